import { getJson } from '../http.js'
import {
  scopeFindings,
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

export async function auditGitLabToken(req: GitLabAuditRequest): Promise<ProviderFindings> {
  const base = `${req.apiUrl.replace(/\/+$/, '').replace(/\/api\/v4$/, '')}/api/v4`
  const headers = { 'PRIVATE-TOKEN': req.token, 'User-Agent': 'argocd-actions' }
  const out: ProviderFindings = { findings: [], repositories: [], requests: 0 }
  const required = req.profile.gitlab!.scopes
  const slots = Object.entries(req.repositories)

  out.requests++
  const selfTask = getJson(`${base}/personal_access_tokens/self`, headers)
  const assocTask = slots.length
    ? (out.requests++,
      getJson(`${base}/personal_access_tokens/self/associations?per_page=100`, headers))
    : undefined
  const self = await selfTask
  if (self.status === 401) {
    out.fatal = true
    out.findings.push({
      kind: 'credentials',
      severity: 'error',
      message: 'GitLab rejects the token (401): it is wrong, revoked or expired.',
      fix: 'Create a new token and update the secret.',
    })
    await assocTask?.catch(() => undefined)
    return out
  }
  if (self.status !== 200)
    throw new Error(`GitLab answered ${self.status} to /personal_access_tokens/self`)
  const info = self.body as {
    scopes?: string[]
    expires_at?: string | null
    active?: boolean
    revoked?: boolean
    name?: string
  }
  out.scopes = info.scopes ?? []
  out.expiresAt = info.expires_at ? new Date(`${info.expires_at}T00:00:00Z`) : null
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

  if (assocTask) {
    const assoc = await assocTask
    const reachable = new Set<string>()
    if (assoc.status === 200) {
      const body = assoc.body as
        | {
            projects?: Array<{ path_with_namespace?: string }>
            groups?: Array<{ full_path?: string }>
          }
        | Array<{ path_with_namespace?: string }>
      const projects = Array.isArray(body) ? body : (body.projects ?? [])
      for (const p of projects)
        if (p.path_with_namespace) reachable.add(p.path_with_namespace.toLowerCase())
      const groups = Array.isArray(body) ? [] : (body.groups ?? [])
      for (const g of groups) if (g.full_path) reachable.add(`${g.full_path.toLowerCase()}/*`)
    }
    for (const [slot, path] of slots) {
      const known = assoc.status === 200
      const lower = path.toLowerCase()
      const ok =
        reachable.has(lower) ||
        [...reachable].some((r) => r.endsWith('/*') && lower.startsWith(r.slice(0, -1)))
      const check: RepositoryCheck = {
        slot,
        repository: path,
        reachable: known ? ok : 'unverified',
        permissions: [],
      }
      out.repositories.push(check)
      if (!known)
        out.findings.push({
          kind: 'unverified',
          severity: 'warning',
          slot,
          repository: path,
          message: `GitLab could not list what the token reaches (associations API answered ${assoc.status}; it needs GitLab 17.4+); ${path} not verified.`,
        })
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
