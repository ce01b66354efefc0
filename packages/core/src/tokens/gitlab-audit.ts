import {
  isJsonObject,
  listOf,
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
  type RepositoryCheck,
} from './findings.js'
import type { Profile } from './profile-schema.js'
import { GITLAB_IMPLIES, compareScopes } from './scopes.js'

/** GitLab: the token describes itself (scopes, expiry, state); associations list what it reaches. */
export interface GitLabAuditRequest {
  token: string
  apiUrl: string
  profile: Profile
  /** slot → group/project full path */
  repositories: Record<string, string>
  onExcess: ExcessPolicy
}

interface SelfInfo {
  scopes: string[]
  expires_at?: string | null
  active?: boolean
  revoked?: boolean
}
type Reach = { path_with_namespace?: string; full_path?: string }

const SELF: AnswerRules = {
  provider: 'GitLab',
  shape: {
    test: (b) =>
      isJsonObject(b) &&
      Array.isArray(b.scopes) &&
      (b.expires_at === undefined || b.expires_at === null || typeof b.expires_at === 'string'),
    is: "a JSON object with a list 'scopes' and an 'expires_at'",
  },
}
const PROJECTS = listOf('path_with_namespace')
const GROUPS = listOf('full_path')
/** Every item must name what it is: a list of something else would read as "reaches nothing". */
const ASSOCIATIONS: AnswerRules = {
  provider: 'GitLab',
  shape: {
    test: (b) =>
      PROJECTS.test(b) ||
      (isJsonObject(b) &&
        (b.projects === undefined || PROJECTS.test(b.projects)) &&
        (b.groups === undefined || GROUPS.test(b.groups))),
    is: `${PROJECTS.is}, or a JSON object with 'projects' (each with a string 'path_with_namespace') and 'groups' (each with a string 'full_path')`,
  },
}

export async function auditGitLabToken(req: GitLabAuditRequest): Promise<ProviderFindings> {
  const base = `${req.apiUrl.replace(/\/+$/, '').replace(/\/api\/v4$/, '')}/api/v4`
  const headers = { 'PRIVATE-TOKEN': req.token, 'User-Agent': 'argocd-actions' }
  const out: ProviderFindings = { findings: [], repositories: [], requests: 0 }
  const required = req.profile.gitlab!.scopes
  const slots = Object.entries(req.repositories)
  const get = (url: string) => {
    out.requests++
    return getJson(url, headers)
  }

  const selfTask = get(`${base}/personal_access_tokens/self`)
  const assocTask = slots.length ? reachable(get, base) : undefined
  const self = await selfTask
  if (rejectsCredentials(self)) {
    out.fatal = true
    out.findings.push({
      kind: 'credentials',
      severity: 'error',
      message: 'GitLab rejects the token (401): it is wrong, revoked or expired.',
      fix: 'Create a new token and update the secret.',
    })
    await assocTask
    return out
  }
  const selfReading = readAnswer(self, SELF)
  if (selfReading.state === 'present') {
    const info = self.body as SelfInfo
    out.scopes = info.scopes.map(String)
    out.expiresAt = info.expires_at ? new Date(`${info.expires_at}T00:00:00Z`) : null
    if (out.expiresAt && Number.isNaN(out.expiresAt.getTime())) out.expiresAt = undefined
    if (info.revoked || info.active === false) {
      out.findings.push({
        kind: 'credentials',
        severity: 'error',
        message: `The token is ${info.revoked ? 'revoked' : 'not active'}.`,
        fix: 'Create a new token.',
      })
    }
    const { missing, excess } = compareScopes(out.scopes, required, GITLAB_IMPLIES)
    out.findings.push(
      ...scopeFindings(missing, excess, required, req.onExcess, {
        add: (s) => `Create a token with '${s}' (scopes cannot be changed later).`,
        remove: (s) => `Create a token without '${s}'.`,
      }),
    )
  } else {
    // Scopes and expiry unknown: neither "missing" nor "never expires".
    out.findings.push(
      unreadableFinding(
        self,
        selfReading.state === 'absent'
          ? `answered ${self.status}: this GitLab cannot describe the token (personal_access_tokens/self needs GitLab 15.5+)`
          : selfReading.reason,
        "the token's scopes and expiry",
      ),
    )
  }

  if (assocTask) {
    const assoc = await assocTask
    const reach = assoc.reach
    for (const [slot, path] of slots) {
      const lower = path.toLowerCase()
      const ok =
        reach?.has(lower) ||
        [...(reach ?? [])].some((r) => r.endsWith('/*') && lower.startsWith(r.slice(0, -1)))
      const check: RepositoryCheck = {
        slot,
        repository: path,
        reachable: reach ? !!ok : 'unverified',
        permissions: [],
      }
      out.repositories.push(check)
      if (!reach)
        out.findings.push(
          unreadableFinding(assoc.answer, assoc.reason, `that the token reaches ${path}`, {
            slot,
            repository: path,
          }),
        )
      else if (!ok)
        out.findings.push({
          kind: 'unreachable',
          severity: 'error',
          slot,
          repository: path,
          message: `The token does not reach ${path} (slot '${slot}').`,
          fix: "Give the token's user (or the project/group token) access to the project.",
        })
    }
  }
  return out
}

/** Every project and group the token reaches (lowercased; groups as 'path/*'), or why not known. */
async function reachable(
  get: (url: string) => Promise<Answer>,
  base: string,
): Promise<{ reach?: Set<string>; answer: Answer; reason: string }> {
  const reach = new Set<string>()
  let page = '1'
  let answer: Answer | undefined
  for (let n = 0; n < 10; n++) {
    answer = await get(`${base}/personal_access_tokens/self/associations?per_page=100&page=${page}`)
    const reading = readAnswer(answer, ASSOCIATIONS)
    if (reading.state !== 'present') {
      const reason =
        reading.state === 'absent'
          ? `answered ${answer.status}: this GitLab cannot list what a token reaches (the associations API needs GitLab 17.4+)`
          : reading.reason
      return { answer, reason }
    }
    const body = answer.body as Reach[] | { projects?: Reach[]; groups?: Reach[] }
    const projects = Array.isArray(body) ? body : (body.projects ?? [])
    for (const p of projects)
      if (typeof p?.path_with_namespace === 'string') reach.add(p.path_with_namespace.toLowerCase())
    const groups = Array.isArray(body) ? [] : (body.groups ?? [])
    for (const g of groups)
      if (typeof g?.full_path === 'string') reach.add(`${g.full_path.toLowerCase()}/*`)
    const next = answer.headers['x-next-page']
    if (!next) return { reach, answer, reason: '' }
    page = next
  }
  // Beyond ten pages the list is cut short: a slot not in it is not proven unreachable.
  return { answer: answer!, reason: 'has more than ten pages; the rest was not read' }
}
