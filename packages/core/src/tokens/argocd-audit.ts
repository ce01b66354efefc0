import { isJsonObject, readAnswer, type Answer, type AnswerRules } from '../answers.js'
import {
  argoCdFailure,
  argoCdGet,
  argoCdPaths,
  policyHome,
  policyLine,
  rbacSubject,
  readCanI,
  type ArgoCdGetOptions,
  type ArgoCdServer,
} from '../argocd-api.js'
import {
  excessSeverity,
  unreadableFinding,
  type ExcessPolicy,
  type Finding,
  type ProviderFindings,
  type RepositoryCheck,
} from './findings.js'
import type { TokenIdentity } from './kind.js'
import type { Profile } from './profile-schema.js'
import { argoCdAsks, type ArgoCdAsk } from './scopes.js'

/**
 * Argo CD: the token's claims say what it claims to be; the server says what it may do. Asked
 * first who it is (session/userinfo), then can-i for every permission the profile needs (missing
 * when "no") and every one a CI role must not have (excess when "yes"). Only a readable
 * `{"value":"no"}` proves "no": anything else makes that permission "cannot verify".
 */
export interface ArgoCdAuditRequest {
  server: ArgoCdServer
  identity: TokenIdentity
  profile: Profile
  /** The release's project and applications (`<app>` or `<namespace>/<app>`). */
  project: string
  applications: string[]
  onExcess: ExcessPolicy
  now: Date
  http?: ArgoCdGetOptions
  /** can-i requests in flight at once. */
  concurrency?: number
}

const USERINFO: AnswerRules = {
  provider: 'Argo CD',
  shape: {
    // Argo CD's gateway leaves out false and empty fields: `{}` is "not logged in".
    test: (b) =>
      isJsonObject(b) &&
      (b.loggedIn === undefined || typeof b.loggedIn === 'boolean') &&
      (b.username === undefined || typeof b.username === 'string') &&
      (b.loggedIn !== true || typeof b.username === 'string'),
    is: "a JSON object with 'loggedIn' (and 'username' when logged in)",
  },
}

export async function auditArgoCdToken(req: ArgoCdAuditRequest): Promise<ProviderFindings> {
  const claims = req.identity.argocd!
  const subject = rbacSubject(claims.sub)
  // Argo CD names its own tokens' users by subject, an SSO session's by e-mail (session.Username).
  const username = claims.iss === 'argocd' ? subject : (claims.email ?? claims.sub)
  const out: ProviderFindings = {
    findings: [],
    repositories: [],
    requests: 0,
    login: subject,
    expiresAt: claims.expiresAt,
  }
  const get = (path: string) => {
    out.requests++
    return argoCdGet(req.server, path, req.http)
  }
  out.findings.push(...kindFindings(req))

  const who = await get(argoCdPaths.userInfo())
  const reading = readAnswer(who, USERINFO)
  const body = who.body as { loggedIn?: boolean; username?: string }
  if (who.status === 401 && (who.bodyKind === 'json' || who.bodyKind === 'empty')) {
    return rejected(out, who, req, subject)
  }
  if (reading.state !== 'present') {
    // Who the server takes the token for is unknown: no can-i answer could be attributed.
    out.findings.push(
      unreadableFinding(
        who,
        reading.state === 'absent' ? refusal(who) : reading.reason,
        'that Argo CD accepts the token',
      ),
    )
    out.fatal = true
    return out
  }
  if (!body.loggedIn) {
    // userinfo never refuses (it says "not logged in"); a request that needs a session gets
    // Argo CD's own reason (expired, revoked, bad signature) in its 401.
    const first = argoCdAsks({
      project: req.project,
      applications: req.applications,
      actions: ['get'],
      onlyTheseApplications: false,
    }).needed[0]!
    const why = await get(argoCdPaths.canI(first.resource, first.action, first.object))
    return rejected(out, readCanI(why).state === 'rejected' ? why : who, req, subject)
  }
  if (body.username !== username) {
    out.findings.push({
      kind: 'credentials',
      severity: 'error',
      message: `Argo CD takes the token for '${body.username ?? ''}', but its claims say '${username}': the token is not what it claims to be (or the server is not the Argo CD that issued it).`,
      fix: "Check 'api-url' and create the token again on that Argo CD.",
    })
    out.fatal = true
    return out
  }

  const profile = req.profile.argocd!
  const { needed, excess } = argoCdAsks({
    project: req.project,
    applications: req.applications,
    actions: profile.applications,
    onlyTheseApplications: profile.onlyTheseApplications,
  })
  const asked = [
    ...needed.map((ask) => ({ ask, needed: true })),
    ...excess.map((ask) => ({ ask, needed: false })),
  ]
  // Once one answer cannot be read (the server or a proxy failing), no new question is sent:
  // the rest would fail the same way, each after its own retries. Those stay "cannot verify".
  let failing: Answer | undefined
  const answers = await inPool(asked, req.concurrency ?? 6, async ({ ask }) => {
    if (failing) return undefined
    const answer = await get(argoCdPaths.canI(ask.resource, ask.action, ask.object))
    const state = readCanI(answer).state
    if (state !== 'yes' && state !== 'no') failing ??= answer
    return answer
  })

  const rows = new Map<string, RepositoryCheck>()
  const row = (object: string) => {
    let r = rows.get(object)
    if (!r) {
      r = { repository: object, reachable: true, permissions: [] }
      rows.set(object, r)
    }
    return r
  }
  let refusedOnce = false
  let notAsked = 0
  asked.forEach(({ ask, needed: isNeeded }, i) => {
    const answer = answers[i]
    const permission = `${ask.resource}, ${ask.action}`
    if (!answer) {
      notAsked++
      row(ask.object).permissions.push({
        permission,
        required: isNeeded ? 'allowed' : undefined,
        found: 'unverified',
        request: failing!.request,
      })
      return
    }
    const r = readCanI(answer)
    if (r.state === 'rejected') {
      // Accepted by userinfo, then refused: revoked in between, or a proxy's doing. Said once.
      if (!refusedOnce)
        out.findings.push({
          kind: 'credentials',
          severity: 'error',
          request: answer.request,
          message: argoCdFailure(answer, {
            doing: 'Asking what the token may do',
            expiresAt: claims.expiresAt,
            now: req.now,
          }).message,
          fix: 'Create a new token and update the secret.',
        })
      refusedOnce = true
      row(ask.object).permissions.push({
        permission,
        required: isNeeded ? 'allowed' : undefined,
        found: 'unverified',
        request: answer.request,
      })
      return
    }
    if (r.state === 'unreadable') {
      row(ask.object).permissions.push({
        permission,
        required: isNeeded ? 'allowed' : undefined,
        found: 'unverified',
        request: answer.request,
      })
      out.findings.push(
        unreadableFinding(
          answer,
          r.reason,
          `whether the token may ${ask.about} ('${permission}' on '${ask.object}')`,
          {
            repository: ask.object,
            permission,
          },
        ),
      )
      return
    }
    const yes = r.state === 'yes'
    if (isNeeded || yes)
      row(ask.object).permissions.push({
        permission,
        required: isNeeded ? 'allowed' : undefined,
        found: yes ? 'allowed' : 'none',
      })
    if (isNeeded && !yes) out.findings.push(missingFinding(ask, subject))
    if (!isNeeded && yes)
      out.findings.push(excessFinding(ask, subject, req.onExcess, req.profile.name))
  })
  if (notAsked)
    out.findings.push(
      unreadableFinding(
        failing!,
        'could not be read, so they were not asked',
        `${notAsked} more permission${notAsked > 1 ? 's' : ''} (what the token needs and what it must not have)`,
      ),
    )
  out.repositories = [...rows.values()]
  return out
}

function missingFinding(ask: ArgoCdAsk, subject: string): Finding {
  return {
    kind: 'missing',
    severity: 'error',
    repository: ask.object,
    permission: `${ask.resource}, ${ask.action}`,
    message: `The token may not ${ask.about}: '${ask.resource}, ${ask.action}' on '${ask.object}' is missing.`,
    fix: `Add to ${policyHome(subject)}: ${policyLine(subject, ask)}`,
  }
}

function excessFinding(
  ask: ArgoCdAsk,
  subject: string,
  onExcess: ExcessPolicy,
  profile: string,
): Finding {
  return {
    kind: 'excess',
    severity: excessSeverity(onExcess),
    repository: ask.object,
    permission: `${ask.resource}, ${ask.action}`,
    message: `The token may ${ask.about} ('${ask.resource}, ${ask.action}' on '${ask.object}'): more than profile '${profile}' needs.`,
    fix: `Remove the grant from ${policyHome(subject)}: a policy line, a wildcard, or a role given by a 'g' line (e.g. role:admin, role:readonly).`,
  }
}

/** What the claims alone tell: an account's key or a login session is broader than a role's. */
function kindFindings(req: ArgoCdAuditRequest): Finding[] {
  const { kind, argocd } = req.identity
  const out: Finding[] = []
  const roleToken = `a project role's token (argocd proj role create-token ${req.project} <role> --expires-in 30d)`
  if (kind === 'argocd-account')
    out.push({
      kind: 'kind',
      severity: 'warning',
      message: `This is an API key of the local account '${argocd!.account}': an account's policies are not bound to one project, so it is broader than a project role's token, which can only ever act within its project.`,
      fix: `Use ${roleToken}.`,
    })
  else if (kind === 'argocd-session')
    out.push({
      kind: 'kind',
      severity: 'warning',
      message: `This is a login session's token (subject '${rbacSubject(argocd!.sub)}', issuer '${argocd!.iss || 'none'}'), not an API token: it acts as a person or an account, with all of its permissions.`,
      fix: `Use ${roleToken}.`,
    })
  else if (kind === 'argocd-project' && argocd!.project !== req.project)
    out.push({
      kind: 'kind',
      severity: 'error',
      message: `The token is role '${argocd!.role}' of project '${argocd!.project}', but the release's applications are in project '${req.project}': a project role can only act within its own project.`,
      fix: `Create a token for a role of project ${req.project}, or correct 'argocd-project'.`,
    })
  return out
}

function rejected(
  out: ProviderFindings,
  answer: Answer,
  req: ArgoCdAuditRequest,
  subject: string,
): ProviderFindings {
  const loggedOut = answer.status < 300
  const expired = req.identity.argocd!.expiresAt
  const message = loggedOut
    ? `Argo CD does not accept the token (${answer.request} says it is not logged in): it is invalid, revoked${expired && expired <= req.now ? `, or expired (on ${expired.toISOString()})` : ' or expired'}, or was signed by another Argo CD.`
    : argoCdFailure(answer, {
        doing: 'Checking the token',
        expiresAt: expired,
        now: req.now,
        subject,
      }).message
  out.findings.push({
    kind: 'credentials',
    severity: 'error',
    request: answer.request,
    message,
    fix: 'Create a new token (argocd proj role create-token, or argocd account generate-token) and update the secret.',
  })
  out.fatal = true
  return out
}

/** A JSON 403/404 on userinfo: it answers every caller, so a refusal is not an answer. */
const refusal = (answer: Answer) =>
  `answered ${answer.status}, where Argo CD answers every caller: a proxy or an API that is not Argo CD's`

/** Runs `task` over `items`, at most `limit` at a time, answers in the order of the items. */
async function inPool<T, R>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await task(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
