import { explainGitHubError, isRequestError } from '../github-errors.js'
import type { GitHubClient } from '../github.js'
import type { Repository } from '../inputs.js'
import {
  excessSeverity,
  scopeFindings,
  type ExcessPolicy,
  type Finding,
  type PermissionCheck,
  type ProviderFindings,
  type RepositoryCheck,
} from './findings.js'
import type { TokenKind } from './kind.js'
import type { Level, Profile } from './profile-schema.js'
import { compareScopes, parseScopesHeader } from './scopes.js'
import { parseTokenExpiration } from '../github-errors.js'

/**
 * What a GitHub token can do, learned with as few requests as possible, concurrently:
 * classic tokens tell their scopes in a header; fine-grained and app tokens are probed per
 * repository with reads, and (opt-in) with invalid writes that GitHub rejects without change.
 */

export interface GitHubAuditRequest {
  kind: TokenKind
  profile: Profile
  repositories: Record<string, Repository>
  organization?: string
  onExcess: ExcessPolicy
  probeWrites: boolean
}

interface Reply {
  status: number
  headers: Record<string, string | number | undefined>
  data: unknown
  message: string
}

const ZERO_SHA = '0'.repeat(40)

/** A read probe and an invalid-write probe per permission that GitHub lets us observe. */
const PROBES: Record<string, { read: (r: RepoRef) => Call; write: (r: RepoRef) => Call }> = {
  contents: {
    read: (r) => ['GET /repos/{owner}/{repo}/contents/', { owner: r.owner, repo: r.repo }],
    // A ref to a commit that cannot exist: 422 with the permission, 403 without; nothing is created.
    write: (r) => [
      'POST /repos/{owner}/{repo}/git/refs',
      { ...r, ref: 'refs/heads/argocd-actions-permission-probe', sha: ZERO_SHA },
    ],
  },
  statuses: {
    read: (r) => [
      'GET /repos/{owner}/{repo}/commits/{ref}/statuses',
      { ...r, ref: r.branch, per_page: 1 },
    ],
    write: (r) => [
      'POST /repos/{owner}/{repo}/statuses/{sha}',
      { ...r, sha: ZERO_SHA, state: 'pending' },
    ],
  },
  repository_hooks: {
    read: (r) => ['GET /repos/{owner}/{repo}/hooks', { ...r, per_page: 1 }],
    // A hook without a URL is invalid.
    write: (r) => ['POST /repos/{owner}/{repo}/hooks', { ...r, config: {} }],
  },
  administration: {
    read: (r) => ['GET /repos/{owner}/{repo}/keys', { ...r, per_page: 1 }],
    // A deploy key that is not a key is invalid.
    write: (r) => [
      'POST /repos/{owner}/{repo}/keys',
      { ...r, title: 'argocd-actions permission probe', key: 'not-a-key', read_only: true },
    ],
  },
}
export const PROBED_PERMISSIONS = Object.keys(PROBES)

type RepoRef = Repository & { branch: string }
type Call = [string, Record<string, unknown>]

export async function auditGitHubToken(
  octokit: GitHubClient,
  req: GitHubAuditRequest,
): Promise<ProviderFindings> {
  const gh = req.profile.github!
  const out: ProviderFindings = { findings: [], repositories: [], requests: 0 }
  const policies = new Map<string, Finding>()
  let expiry: string | undefined

  const call = async (route: string, params: Record<string, unknown> = {}): Promise<Reply> => {
    out.requests++
    try {
      const r = await octokit.request(route, params)
      return note({ status: r.status, headers: r.headers, data: r.data, message: '' })
    } catch (error) {
      if (isRequestError(error) && error.response) {
        const data = error.response.data as { message?: string } | undefined
        return note(
          {
            status: error.status!,
            headers: error.response.headers ?? {},
            data,
            message: data?.message ?? '',
          },
          error,
        )
      }
      throw explainGitHubError(error, { action: `audit the token (${route})` })
    }
  }
  // Every reply may carry the expiry, or an organization policy that blocks the token.
  const note = (reply: Reply, error?: unknown): Reply => {
    const exp = reply.headers['github-authentication-token-expiration']
    if (exp) expiry = String(exp)
    if (error && reply.status === 403) {
      const explained = explainGitHubError(error, { action: 'use the token' }) as {
        kind?: string
        message: string
      }
      if (
        explained.kind &&
        ['classic-pat-forbidden', 'lifetime-policy', 'sso-required'].includes(explained.kind) &&
        !policies.has(explained.kind)
      ) {
        policies.set(explained.kind, {
          kind: 'policy',
          severity: 'error',
          message: explained.message.replace(/^Could not use the token: /, ''),
        })
      }
    }
    return reply
  }

  const isApp = req.kind === 'installation'
  const scoped = req.kind === 'classic' || req.kind === 'oauth'
  const slots = Object.entries(req.repositories)
  const onlyStatuses = onlyStatusesOf(gh)
  const slotNames = new Set(slots.map(([, r]) => full(r).toLowerCase()))

  // Who the token is, and (apps, fine-grained) every repository it reaches: in parallel with the repos.
  const identityTask: Promise<Reply & { items?: unknown[] }> = isApp
    ? listAll(call, 'GET /installation/repositories', 'repositories')
    : call('GET /user')
  const reachableTask =
    !isApp && !scoped && gh.onlyTheseRepositories
      ? listAll(call, 'GET /user/repos', undefined)
      : Promise.resolve(undefined)
  // GitHub serves the member list to anyone, but shows concealed members only to tokens with
  // Members read: the permission shows as members beyond the public ones.
  const orgTask =
    req.organization && !scoped
      ? Promise.all([
          listAll(call, 'GET /orgs/{org}/members', undefined, { org: req.organization }),
          listAll(call, 'GET /orgs/{org}/public_members', undefined, { org: req.organization }),
        ])
      : Promise.resolve(undefined)
  const repoChecks = slots.map(async ([slot, repo]) => checkRepository(slot, repo))

  async function checkRepository(slot: string, repo: Repository): Promise<RepositoryCheck> {
    const name = full(repo)
    const required = gh.repositories[slot]?.permissions ?? {}
    if (scoped && Object.keys(required).join() === 'statuses') {
      // A status-only classic token (repo:status) cannot see a private repository at all, but
      // can read its statuses: that one request shows both reach and the permission.
      const statuses = await call('GET /repos/{owner}/{repo}/commits/{ref}/statuses', {
        ...repo,
        ref: 'HEAD',
        per_page: 1,
      })
      const ok = statuses.status === 200
      return {
        slot,
        repository: name,
        reachable: ok,
        permissions: ok
          ? [{ permission: 'statuses', required: required.statuses, found: 'write' }]
          : [],
      }
    }
    const reply = await call('GET /repos/{owner}/{repo}', { ...repo })
    const check: RepositoryCheck = {
      slot,
      repository: name,
      reachable: reply.status === 200,
      permissions: [],
    }
    if (reply.status !== 200) return check
    if (scoped) return check
    const ref: RepoRef = {
      ...repo,
      branch: String((reply.data as { default_branch?: string }).default_branch ?? 'main'),
    }
    const reads = await Promise.all(
      PROBED_PERMISSIONS.map(async (permission) => {
        const [route, params] = PROBES[permission].read(ref)
        const r = await call(route, params)
        // An empty repository answers 404/409 to contents: reachable, so the read permission is there.
        const ok =
          r.status === 200 ||
          (permission === 'contents' && (r.status === 409 || /empty/i.test(r.message)))
        return [permission, ok] as const
      }),
    )
    const found: Record<string, Level | 'none'> = Object.fromEntries(
      reads.map(([p, ok]) => [p, ok ? 'read' : 'none']),
    )
    if (req.probeWrites) {
      // Sequential on purpose: GitHub asks that writes are not sent concurrently.
      for (const [permission, ok] of reads) {
        if (!ok) continue
        const [route, params] = PROBES[permission].write(ref)
        const r = await call(route, params)
        if (r.status === 422) found[permission] = 'write'
      }
    }
    for (const permission of new Set([...PROBED_PERMISSIONS, ...Object.keys(required)])) {
      const probed = permission in found || permission === 'metadata'
      const level: PermissionCheck['found'] =
        permission === 'metadata' ? 'read' : probed ? found[permission] : 'unverified'
      check.permissions.push({ permission, required: required[permission], found: level })
    }
    return check
  }

  const identity = await identityTask
  if (!isApp && identity.status === 401) {
    out.fatal = true
    out.findings.push({
      kind: 'credentials',
      severity: 'error',
      message: 'GitHub rejects the token (401 Bad credentials): it is wrong, revoked or expired.',
      fix: 'Create a new token and update the secret.',
    })
    await Promise.allSettled([reachableTask, orgTask, ...repoChecks])
    return finish()
  }
  if (!isApp && identity.status === 200) out.login = (identity.data as { login?: string }).login
  if (scoped)
    out.scopes = parseScopesHeader(identity.headers['x-oauth-scopes'] as string | undefined)

  const [reachable, org, ...repositories] = await Promise.all([
    reachableTask,
    orgTask,
    ...repoChecks,
  ])
  out.repositories = repositories
  if (isApp && identity.status === 401) {
    out.fatal = true
    out.findings.push({
      kind: 'credentials',
      severity: 'error',
      message:
        'GitHub rejects the installation token (401): it expired (they live one hour) or was revoked.',
      fix: 'Mint the token in the same job, e.g. with actions/create-github-app-token.',
    })
    return finish()
  }

  // Kind accepted by the profile?
  const kindName = req.kind === 'oauth' ? 'oauth' : req.kind === 'app-user' ? 'app-user' : req.kind
  if (!gh.kinds.includes(kindName as never)) {
    out.findings.push({
      kind: 'kind',
      severity: 'error',
      message: `A ${req.kind} token is not accepted for profile '${req.profile.name}' (accepted: ${gh.kinds.join(', ')}).`,
      fix:
        req.kind === 'classic'
          ? 'Create a fine-grained token limited to the repositories of the role, or use a GitHub App.'
          : undefined,
    })
  }

  if (scoped) {
    const { missing, excess } = compareScopes(out.scopes ?? [], gh.classicScopes)
    out.findings.push(
      ...scopeFindings(missing, excess, gh.classicScopes, req.onExcess, {
        add: (s) => `Edit the token and tick '${s}'.`,
        remove: (s) => `Remove '${s}' from the token.`,
      }),
    )
  }

  for (const check of repositories) {
    // A classic token without 'repo' cannot see private repositories at all: say so, not 404.
    // (A statuses probe is conclusive: repo:status reads statuses of private repositories.)
    if (
      check.reachable === false &&
      scoped &&
      !hasRepoScope(out.scopes) &&
      !onlyStatuses(check.slot)
    )
      check.reachable = 'unverified'
    if (check.reachable === false) {
      out.findings.push({
        kind: 'unreachable',
        severity: 'error',
        repository: check.repository,
        slot: check.slot,
        message: `The token cannot reach ${check.repository} (slot '${check.slot}'): GitHub answers 404.`,
        fix: 'Check the name, that a fine-grained token has the repository selected (and belongs to its owner), or that the app is installed on it.',
      })
      continue
    }
    if (check.reachable === 'unverified') {
      out.findings.push({
        kind: 'unverified',
        severity: 'warning',
        repository: check.repository,
        slot: check.slot,
        message: `A classic token without 'repo' cannot see the private repository ${check.repository}; access to it was not verified.`,
      })
      continue
    }
    for (const p of check.permissions) {
      const where = { repository: check.repository, slot: check.slot, permission: p.permission }
      if (p.required && p.found === 'unverified') {
        out.findings.push({
          ...where,
          kind: 'unverified',
          severity: 'warning',
          level: p.required,
          message: `'${p.permission}: ${p.required}' on ${check.repository} cannot be observed through the API; not verified.`,
        })
      } else if (p.required && p.found === 'none') {
        out.findings.push({
          ...where,
          kind: 'missing',
          severity: 'error',
          level: p.required,
          message: `'${label(p.permission)}: ${p.required}' is missing on ${check.repository}.`,
          fix: `Grant ${label(p.permission)} (${p.required === 'write' ? 'Read and write' : 'Read-only'}) to the token.`,
        })
      } else if (p.required === 'write' && p.found === 'read') {
        if (req.probeWrites) {
          out.findings.push({
            ...where,
            kind: 'missing',
            severity: 'error',
            level: 'write',
            message: `'${label(p.permission)}: write' is missing on ${check.repository} (it can only read).`,
            fix: `Set ${label(p.permission)} to Read and write.`,
          })
        } else {
          out.findings.push({
            ...where,
            kind: 'unverified',
            severity: 'info',
            level: 'write',
            message: `'${label(p.permission)}: write' on ${check.repository}: read is confirmed, write is not probed (set probe-writes: true).`,
          })
        }
      } else if (!p.required && (p.found === 'read' || p.found === 'write')) {
        out.findings.push({
          ...where,
          kind: 'excess',
          severity: excessSeverity(req.onExcess),
          level: p.found,
          message: `'${label(p.permission)}: ${p.found}' on ${check.repository} is more than the role needs.`,
          fix: `Remove ${label(p.permission)} from the token.`,
        })
      } else if (p.required === 'read' && p.found === 'write') {
        // A fine-grained or app token has one permission set for all its repositories: when
        // another slot needs write, write here cannot be avoided, so it is no finding to fix.
        const unavoidable = Object.values(gh.repositories).some(
          (r) => r.permissions[p.permission] === 'write',
        )
        out.findings.push({
          ...where,
          kind: unavoidable ? 'unverified' : 'excess',
          severity: unavoidable ? 'info' : excessSeverity(req.onExcess),
          level: 'write',
          message: unavoidable
            ? `'${label(p.permission)}: write' on ${check.repository} is more than its slot needs (read), but unavoidable: the token's permissions apply to all its repositories and another slot needs write.`
            : `'${label(p.permission)}: write' on ${check.repository} is more than the role needs (read).`,
          ...(!unavoidable && { fix: `Set ${label(p.permission)} to Read-only.` }),
        })
      }
    }
  }

  // Organization permissions (fine-grained and app tokens; classic ones show them as scopes).
  if (org) {
    const needs = gh.organization.members
    const [members, visible] = org
    const publicLogins = new Set(
      (visible.items ?? []).map((u) => String((u as { login: string }).login)),
    )
    const concealed = (members.items ?? []).filter(
      (u) => !publicLogins.has(String((u as { login: string }).login)),
    )
    const visibleLogins = new Set(
      (members.items ?? []).map((u) => String((u as { login: string }).login).toLowerCase()),
    )
    const has = members.status === 200 && concealed.length > 0
    // Without the permission only public members show. The token's own user is a member (only
    // members can own an org token) and an org always has one: if neither shows, it is missing.
    const certainlyNot =
      members.status !== 200 ||
      visibleLogins.size === 0 ||
      (out.login !== undefined && !visibleLogins.has(out.login.toLowerCase()))
    const told = has || certainlyNot
    if (needs && !told) {
      out.findings.push({
        kind: 'unverified',
        severity: 'warning',
        permission: 'members',
        level: needs,
        message: `Organization permission 'Members: ${needs}' on ${req.organization} cannot be told apart: every member is public, so the token sees the same list either way.`,
      })
    } else if (needs && !has) {
      out.findings.push({
        kind: 'missing',
        severity: 'error',
        permission: 'members',
        level: needs,
        message: `Organization permission 'Members: ${needs}' on ${req.organization} is missing.`,
        fix: 'Grant Members (Read-only) under Organization permissions.',
      })
    }
    if (!needs && has)
      out.findings.push({
        kind: 'excess',
        severity: excessSeverity(req.onExcess),
        permission: 'members',
        level: 'read',
        message: `Organization permission 'Members' on ${req.organization} is more than the role needs.`,
        fix: 'Remove Members from Organization permissions.',
      })
  } else if (gh.organization.members && !scoped) {
    out.findings.push({
      kind: 'unverified',
      severity: 'warning',
      permission: 'members',
      message: "Organization permission 'Members' was not verified: set the 'organization' input.",
    })
  }

  // Repositories reachable beyond the role's slots.
  const extra = isApp ? (identity.status === 200 ? identity.items : undefined) : reachable?.items
  if (extra && gh.onlyTheseRepositories) {
    for (const r of extra) {
      const name = String((r as { full_name: string }).full_name)
      if (!slotNames.has(name.toLowerCase())) {
        out.findings.push({
          kind: 'excess',
          severity: excessSeverity(req.onExcess),
          repository: name,
          message: `The token also reaches ${name}, which the role does not use.`,
          fix: 'Limit the token to "Only select repositories" with just the role\'s repositories.',
        })
      }
    }
  }
  return finish()

  function finish(): ProviderFindings {
    out.findings.unshift(...policies.values())
    const parsed = parseTokenExpiration(expiry)
    out.expiresAt = parsed ?? (expiry === undefined ? null : undefined)
    return out
  }
}

async function listAll(
  call: (route: string, params?: Record<string, unknown>) => Promise<Reply>,
  route: string,
  key: string | undefined,
  params: Record<string, unknown> = {},
): Promise<Reply & { items?: unknown[] }> {
  const items: unknown[] = []
  let first: Reply | undefined
  for (let page = 1; page <= 10; page++) {
    const r = await call(route, { ...params, per_page: 100, page })
    first ??= r
    if (r.status !== 200) return { ...r }
    const batch = (key ? (r.data as Record<string, unknown[]>)[key] : r.data) as unknown[]
    items.push(...batch)
    if (!/rel="next"/.test(String(r.headers.link ?? ''))) break
  }
  return { ...first!, items }
}

function onlyStatusesOf(gh: NonNullable<Profile['github']>) {
  return (slot?: string) =>
    Object.keys(gh.repositories[slot ?? '']?.permissions ?? {}).join() === 'statuses'
}

const full = (r: Repository) => `${r.owner}/${r.repo}`
const hasRepoScope = (scopes?: string[]) => !!scopes?.includes('repo')

const LABELS: Record<string, string> = {
  contents: 'Contents',
  statuses: 'Commit statuses',
  repository_hooks: 'Webhooks',
  administration: 'Administration',
  metadata: 'Metadata',
  pull_requests: 'Pull requests',
  workflows: 'Workflows',
}
const label = (p: string) => LABELS[p] ?? p
