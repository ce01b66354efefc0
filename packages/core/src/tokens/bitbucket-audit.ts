import {
  isJsonObject,
  objectWith,
  readAnswer,
  rejectsCredentials,
  type Answer,
  type AnswerRules,
} from '../answers.js'
import { getJson } from '../http.js'
import {
  scopeFindings,
  unreadableFinding,
  type ExcessPolicy,
  type ProviderFindings,
} from './findings.js'
import type { TokenKind } from './kind.js'
import type { Profile } from './profile-schema.js'
import { BITBUCKET_IMPLIES, compareScopes, parseScopesHeader } from './scopes.js'

/**
 * Bitbucket Cloud answers with the token's scopes in `x-oauth-scopes`. Bitbucket Data Center
 * has no way for a token to describe itself: that is a "cannot verify" finding, never a pass.
 */
export interface BitbucketAuditRequest {
  token: string
  kind: TokenKind
  apiUrl: string
  profile: Profile
  /** slot → workspace/slug */
  repositories: Record<string, string>
  onExcess: ExcessPolicy
}

/** GET /2.0/user: a user (or, for some access tokens, Bitbucket's refusal with the scopes). */
const RULES: AnswerRules = { provider: 'Bitbucket', shape: objectWith('type', 'uuid') }
const REPOSITORY: AnswerRules = { provider: 'Bitbucket', shape: objectWith('full_name') }
/** A JSON error of Bitbucket's own ({"type": "error", ...}), e.g. a rate limit. */
const isError = (a: Answer) => isJsonObject(a.body) && a.body.type === 'error'

export const APP_PASSWORDS_ENDED = '2026-06-09'

export async function auditBitbucketToken(
  req: BitbucketAuditRequest,
  now = new Date(),
): Promise<ProviderFindings> {
  const out: ProviderFindings = { findings: [], repositories: [], requests: 0 }
  const base = req.apiUrl.replace(/\/+$/, '').replace(/\/2\.0$/, '')
  // Data Center serves /rest/api/1.0 and nothing under /2.0.
  if (/\/rest(\/|$)/.test(base)) return dataCenter(out)
  if (
    req.kind === 'bitbucket-app-password' &&
    now >= new Date(`${APP_PASSWORDS_ENDED}T00:00:00Z`)
  ) {
    out.fatal = true
    out.findings.push({
      kind: 'credentials',
      severity: 'error',
      message: `Bitbucket app passwords stopped working on ${APP_PASSWORDS_ENDED}.`,
      fix: 'Create an API token with scopes (or a repository/workspace access token) instead.',
    })
    return out
  }
  if (req.kind === 'bitbucket-api-token') {
    // API tokens authenticate as `email:token` (Basic); Bearer is refused. Without the e-mail the
    // token cannot be used here: say so rather than report a misleading 401.
    out.fatal = true
    out.findings.push({
      kind: 'unverified',
      severity: 'error',
      message:
        'Atlassian API tokens (ATATT) authenticate together with the account e-mail, which this check does not take: the token cannot be verified.',
      fix: 'Check its scopes at id.atlassian.com (Security → API tokens), or use a repository, project or workspace access token.',
    })
    return out
  }
  const headers = { Authorization: `Bearer ${req.token}`, 'User-Agent': 'argocd-actions' }
  const slots = Object.entries(req.repositories)
  const targets: Array<[string | undefined, string]> = slots.length
    ? slots.map(([slot, path]) => [slot, `${base}/2.0/repositories/${path}`])
    : [[undefined, `${base}/2.0/user`]]
  const replies = await Promise.all(
    targets.map(async ([slot, url]) => {
      out.requests++
      return [slot, url, await getJson(url, headers)] as const
    }),
  )
  let scopes: string[] | undefined
  let unreadable = 0
  for (const [slot, , reply] of replies) {
    if (rejectsCredentials(reply)) {
      out.fatal = true
      out.findings.push({
        kind: 'credentials',
        severity: 'error',
        message: 'Bitbucket rejects the token (401): it is wrong, revoked or expired.',
        fix: 'Create a new token and update the secret.',
      })
      return out
    }
    const reading = readAnswer(reply, slot ? REPOSITORY : RULES)
    // Only Bitbucket's own answers (a repository, or its JSON refusal) tell the scopes.
    const header = reply.headers['x-oauth-scopes']
    if (header !== undefined && (reading.state !== 'unreadable' || isError(reply)))
      scopes ??= parseScopesHeader(header)
    const path = slot ? req.repositories[slot] : undefined
    if (reading.state === 'unreadable') {
      unreadable++
      out.findings.push(
        unreadableFinding(
          reply,
          reading.reason,
          path ? `that the token reaches ${path} (and its scopes)` : "the token's scopes",
          path ? { slot, repository: path } : {},
        ),
      )
    }
    if (slot && path) {
      out.repositories.push({
        slot,
        repository: path,
        reachable: reading.state === 'unreadable' ? 'unverified' : reading.state === 'present',
        permissions: [],
      })
      if (reading.state === 'absent')
        out.findings.push({
          kind: 'unreachable',
          severity: 'error',
          slot,
          repository: path,
          message: `The token cannot reach ${path} (Bitbucket answered ${reply.status}).`,
          fix: "Check the workspace/repository name and the token's access.",
        })
    }
  }
  if (!scopes && replies.every(([, , r]) => r.status === 404)) return dataCenter(out)
  if (!scopes) {
    if (!unreadable)
      out.findings.push({
        kind: 'unverified',
        severity: 'error',
        message:
          "Bitbucket did not report the token's scopes (no x-oauth-scopes header): scopes cannot be verified.",
      })
    return out
  }
  out.scopes = scopes
  const required = req.profile.bitbucket!.scopes
  const { missing, excess } = compareScopes(scopes, required, BITBUCKET_IMPLIES)
  out.findings.push(
    ...scopeFindings(missing, excess, required, req.onExcess, {
      add: (s) => `Create a token with '${s}'.`,
      remove: (s) => `Create a token without '${s}'.`,
    }),
  )
  return out
}

function dataCenter(out: ProviderFindings): ProviderFindings {
  out.fatal = true
  out.repositories = []
  out.findings = [
    {
      kind: 'unverified',
      severity: 'error',
      message:
        'This looks like Bitbucket Data Center (no /2.0 API): its tokens cannot describe their own permissions, so this token cannot be verified.',
      fix: "Check the token's project and repository permissions in Bitbucket (Manage account → HTTP access tokens).",
    },
  ]
  return out
}
