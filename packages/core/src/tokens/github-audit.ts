import { readAnswer, rejectsCredentials, type Answer, type Reading } from '../answers.js'
import { permissionLabel } from '../github-errors.js'
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
  unreadableFinding,
} from './findings.js'
import { auditClient, listAll, type AuditCall, type Listing } from './github-audit-client.js'
import {
  PROBED_PERMISSIONS,
  PROBES,
  READ_RULES,
  REPOSITORY,
  USER,
  WRITE_RULES,
  type RepoRef,
} from './github-probes.js'
import type { TokenKind } from './kind.js'
import type { Level, Profile } from './profile-schema.js'
import { compareScopes, parseScopesHeader } from './scopes.js'

export { PROBED_PERMISSIONS } from './github-probes.js'

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

type GitHubProfile = NonNullable<Profile['github']>

/** What every step of one audit works with. */
interface Audit {
  req: GitHubAuditRequest
  gh: GitHubProfile
  out: ProviderFindings
  call: AuditCall
  /** An app installation token (it lists its repositories instead of having a user). */
  isApp: boolean
  /** A classic or OAuth token: it tells its scopes. */
  scoped: boolean
  /** Repositories GitHub proved the token cannot reach, with the status it answered. */
  unreachable: Map<string, number>
}

export async function auditGitHubToken(
  octokit: GitHubClient,
  req: GitHubAuditRequest,
): Promise<ProviderFindings> {
  const out: ProviderFindings = { findings: [], repositories: [], requests: 0 }
  const { call, finish } = auditClient(octokit, out)
  const a: Audit = {
    req,
    gh: req.profile.github!,
    out,
    call,
    isApp: req.kind === 'installation',
    scoped: req.kind === 'classic' || req.kind === 'oauth',
    unreachable: new Map(),
  }

  // All at once: who the token is, what it reaches, the organization, each repository.
  const identityTask = readIdentity(a)
  const reachableTask = listReachable(a)
  const orgTask = listOrganizationMembers(a)
  const repoChecks = Object.entries(req.repositories).map(([slot, repo]) =>
    checkRepository(a, slot, repo),
  )
  // Awaited below, one after another: one that fails while an earlier one is awaited must not
  // count as an unhandled rejection (which ends the process without an error line).
  for (const task of [identityTask, reachableTask, orgTask, ...repoChecks]) task.catch(() => {})

  const identity = await identityTask
  if (!a.isApp && rejectsCredentials(identity)) {
    await Promise.allSettled([reachableTask, orgTask, ...repoChecks])
    rejected(
      a,
      'GitHub rejects the token (401 Bad credentials): it is wrong, revoked or expired.',
      'Create a new token and update the secret.',
    )
    return finish()
  }
  if (!a.isApp) noteUser(a, identity)

  const [reachable, org, ...repositories] = await Promise.all([
    reachableTask,
    orgTask,
    ...repoChecks,
  ])
  out.repositories = repositories
  if (a.isApp && rejectsCredentials(identity)) {
    rejected(
      a,
      'GitHub rejects the installation token (401): it expired (they live one hour) or was revoked.',
      'Mint the token in the same job, e.g. with actions/create-github-app-token.',
    )
    return finish()
  }

  kindFindings(a)
  if (a.scoped && out.scopes) classicScopeFindings(a, out.scopes)
  repositoryFindings(a, repositories)
  organizationFindings(a, org)
  reachableBeyondFindings(a, a.isApp ? (identity as Listing) : reachable)
  return finish()
}

/** An answer that could not be read: a finding naming the request; what it was about is unknown. */
function unread(
  { out }: Audit,
  reply: Answer,
  reading: Reading,
  unknown: string,
  where?: Parameters<typeof unreadableFinding>[3],
) {
  out.findings.push(
    unreadableFinding(
      reply,
      reading.state === 'unreadable' ? reading.reason : `answered ${reply.status}`,
      unknown,
      where,
    ),
  )
}

/** The token's user (and scopes), or for an app every repository the installation reaches. */
function readIdentity({ isApp, call }: Audit): Promise<Listing | Answer> {
  return isApp ? listAll(call, 'GET /installation/repositories', 'repositories') : call('GET /user')
}

/** Every repository a fine-grained token reaches, when the role wants only its own. */
async function listReachable({ isApp, scoped, gh, call }: Audit) {
  return !isApp && !scoped && gh.onlyTheseRepositories
    ? listAll(call, 'GET /user/repos', undefined)
    : undefined
}

/**
 * The organization's members and public members. GitHub serves the member list to anyone, but
 * shows concealed members only to tokens with Members read: the permission shows as members
 * beyond the public ones.
 */
async function listOrganizationMembers({ req, scoped, call }: Audit) {
  if (!req.organization || scoped) return undefined
  const org = req.organization
  return Promise.all([
    listAll(call, 'GET /orgs/{org}/members', undefined, { org }),
    listAll(call, 'GET /orgs/{org}/public_members', undefined, { org }),
  ])
}

/** The token is refused: that one finding replaces the others (they only repeat it). */
function rejected({ out }: Audit, message: string, fix: string): void {
  out.fatal = true
  out.findings.length = 0
  out.findings.push({ kind: 'credentials', severity: 'error', message, fix })
}

function noteUser(a: Audit, identity: Answer): void {
  const who = readAnswer(identity, USER)
  if (who.state === 'present') {
    a.out.login = String((identity.body as { login: string }).login)
    if (a.scoped) a.out.scopes = parseScopesHeader(identity.headers['x-oauth-scopes'])
  } else unread(a, identity, who, a.scoped ? "the token's user and scopes" : "the token's user")
}

/** Whether the token reaches the repository and, for fine-grained and app tokens, what it may do. */
async function checkRepository(a: Audit, slot: string, repo: Repository): Promise<RepositoryCheck> {
  const name = full(repo)
  const where = { repository: name, slot }
  const required = a.gh.repositories[slot]?.permissions ?? {}
  if (a.scoped && Object.keys(required).join() === 'statuses')
    return checkStatusesOnly(a, slot, repo, required.statuses)
  const reply = await a.call('GET /repos/{owner}/{repo}', { ...repo })
  const reading = readAnswer(reply, REPOSITORY)
  const check: RepositoryCheck = {
    slot,
    repository: name,
    reachable: reading.state === 'unreadable' ? 'unverified' : reading.state === 'present',
    permissions: [],
  }
  if (reading.state === 'unreadable') {
    unread(a, reply, reading, `that the token reaches ${name} or what it may do there`, where)
    return check
  }
  if (reading.state === 'absent') a.unreachable.set(name, reply.status)
  if (reading.state !== 'present' || a.scoped) return check
  const data = reply.body as { default_branch?: unknown }
  const ref: RepoRef = {
    ...repo,
    branch: typeof data.default_branch === 'string' ? data.default_branch : 'main',
  }
  const found: Record<string, Level | 'none' | 'unverified'> = {}
  /** The request whose answer could not be read, per permission. */
  const unknown: Record<string, string> = {}
  const reads = await readProbes(a, ref, where, found, unknown)
  if (a.req.probeWrites) await writeProbes(a, ref, where, reads, found, unknown)
  for (const permission of new Set([...PROBED_PERMISSIONS, ...Object.keys(required)])) {
    const probed = permission in found || permission === 'metadata'
    const level: PermissionCheck['found'] =
      permission === 'metadata' ? 'read' : probed ? found[permission] : 'unverified'
    check.permissions.push({
      permission,
      required: required[permission],
      found: level,
      ...(unknown[permission] && { request: unknown[permission] }),
    })
  }
  return check
}

/**
 * A status-only classic token (repo:status) cannot see a private repository at all, but can read
 * its statuses: that one request shows both reach and the permission.
 */
async function checkStatusesOnly(
  a: Audit,
  slot: string,
  repo: Repository,
  required: Level | undefined,
): Promise<RepositoryCheck> {
  const name = full(repo)
  const statuses = await a.call('GET /repos/{owner}/{repo}/commits/{ref}/statuses', {
    ...repo,
    ref: 'HEAD',
    per_page: 1,
  })
  const reading = readAnswer(statuses, READ_RULES.statuses)
  if (reading.state === 'unreadable')
    unread(a, statuses, reading, `that the token reaches ${name} and reads its statuses`, {
      repository: name,
      slot,
    })
  const ok = reading.state === 'present'
  return {
    slot,
    repository: name,
    reachable: reading.state === 'unreadable' ? 'unverified' : ok,
    permissions: ok ? [{ permission: 'statuses', required, found: 'write' }] : [],
  }
}

type Where = { repository: string; slot: string }

/** One read per probed permission, concurrently: 'read', 'none' or 'unverified' for each. */
async function readProbes(
  a: Audit,
  ref: RepoRef,
  where: Where,
  found: Record<string, Level | 'none' | 'unverified'>,
  unknown: Record<string, string>,
) {
  const reads = await Promise.all(
    PROBED_PERMISSIONS.map(async (permission) => {
      const [route, params] = PROBES[permission].read(ref)
      const r = await a.call(route, params)
      const seen = readAnswer(r, READ_RULES[permission])
      if (seen.state === 'unreadable')
        unread(a, r, seen, `'${permissionLabel(permission)}' on ${where.repository}`, {
          ...where,
          permission,
        })
      return [permission, seen.state, r.request] as const
    }),
  )
  for (const [permission, state, request] of reads) {
    found[permission] = state === 'present' ? 'read' : state === 'absent' ? 'none' : 'unverified'
    if (state === 'unreadable') unknown[permission] = request
  }
  return reads
}

/** An invalid write per permission that reads: 'write' where GitHub validated it. */
async function writeProbes(
  a: Audit,
  ref: RepoRef,
  where: Where,
  reads: Awaited<ReturnType<typeof readProbes>>,
  found: Record<string, Level | 'none' | 'unverified'>,
  unknown: Record<string, string>,
) {
  // Sequential on purpose: GitHub asks that writes are not sent concurrently.
  for (const [permission, state] of reads) {
    if (state !== 'present') continue
    const [route, params] = PROBES[permission].write(ref)
    const r = await a.call(route, params)
    const seen = readAnswer(r, WRITE_RULES)
    if (seen.state === 'present') found[permission] = 'write'
    else if (seen.state === 'unreadable') {
      unread(
        a,
        r,
        seen,
        `whether the token may write '${permissionLabel(permission)}' on ${where.repository}`,
        {
          ...where,
          permission,
        },
      )
      unknown[permission] = r.request
    }
  }
}

/** Kind accepted by the profile? */
function kindFindings({ req, gh, out }: Audit): void {
  if ((gh.kinds as readonly string[]).includes(req.kind)) return
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

function classicScopeFindings({ req, gh, out }: Audit, scopes: string[]): void {
  const { missing, excess } = compareScopes(scopes, gh.classicScopes)
  out.findings.push(
    ...scopeFindings(missing, excess, gh.classicScopes, req.onExcess, {
      add: (s) => `Edit the token and tick '${s}'.`,
      remove: (s) => `Remove '${s}' from the token.`,
    }),
  )
}

/** Per repository: unreachable, not verified, or each permission's finding. */
function repositoryFindings(a: Audit, repositories: RepositoryCheck[]): void {
  const { out, scoped } = a
  const onlyStatuses = onlyStatusesOf(a.gh)
  const unreadableRepos = new Set(
    out.findings.filter((f) => f.request && f.repository && !f.permission).map((f) => f.repository),
  )
  for (const check of repositories) {
    // Its answer could not be read: the finding naming the request is already there.
    if (unreadableRepos.has(check.repository)) continue
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
        message: `The token cannot reach ${check.repository} (slot '${check.slot}'): GitHub answers ${a.unreachable.get(check.repository) ?? 404}.`,
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
      // Its probe's answer could not be read: already a finding that names the request.
      if (p.request) continue
      const finding = permissionFinding(a, check, p)
      if (finding) out.findings.push(finding)
    }
  }
}

/** What a permission found on a repository says against what its slot requires. */
function permissionFinding(
  { req, gh }: Audit,
  check: RepositoryCheck,
  p: PermissionCheck,
): Finding | undefined {
  const where = { repository: check.repository, slot: check.slot, permission: p.permission }
  const name = permissionLabel(p.permission)
  if (p.required && p.found === 'unverified') {
    return {
      ...where,
      kind: 'unverified',
      severity: 'warning',
      level: p.required,
      message: `'${p.permission}: ${p.required}' on ${check.repository} cannot be observed through the API; not verified.`,
    }
  }
  if (p.required && p.found === 'none') {
    return {
      ...where,
      kind: 'missing',
      severity: 'error',
      level: p.required,
      message: `'${name}: ${p.required}' is missing on ${check.repository}.`,
      fix: `Grant ${name} (${p.required === 'write' ? 'Read and write' : 'Read-only'}) to the token.`,
    }
  }
  if (p.required === 'write' && p.found === 'read') {
    return req.probeWrites
      ? {
          ...where,
          kind: 'missing',
          severity: 'error',
          level: 'write',
          message: `'${name}: write' is missing on ${check.repository} (it can only read).`,
          fix: `Set ${name} to Read and write.`,
        }
      : {
          ...where,
          kind: 'unverified',
          severity: 'info',
          level: 'write',
          message: `'${name}: write' on ${check.repository}: read is confirmed, write is not probed (set probe-writes: true).`,
        }
  }
  if (!p.required && (p.found === 'read' || p.found === 'write')) {
    return {
      ...where,
      kind: 'excess',
      severity: excessSeverity(req.onExcess),
      level: p.found,
      message: `'${name}: ${p.found}' on ${check.repository} is more than the role needs.`,
      fix: `Remove ${name} from the token.`,
    }
  }
  if (p.required === 'read' && p.found === 'write') {
    // A fine-grained or app token has one permission set for all its repositories: when
    // another slot needs write, write here cannot be avoided, so it is no finding to fix.
    const unavoidable = Object.values(gh.repositories).some(
      (r) => r.permissions[p.permission] === 'write',
    )
    return {
      ...where,
      kind: unavoidable ? 'unverified' : 'excess',
      severity: unavoidable ? 'info' : excessSeverity(req.onExcess),
      level: 'write',
      message: unavoidable
        ? `'${name}: write' on ${check.repository} is more than its slot needs (read), but unavoidable: the token's permissions apply to all its repositories and another slot needs write.`
        : `'${name}: write' on ${check.repository} is more than the role needs (read).`,
      ...(!unavoidable && { fix: `Set ${name} to Read-only.` }),
    }
  }
  return undefined
}

/**
 * Organization permissions (fine-grained and app tokens; classic ones show them as scopes).
 * Members refused (JSON 403/404) proves the permission absent; otherwise both lists are needed
 * to tell concealed members apart, so either one unread leaves it unknown.
 */
function organizationFindings(a: Audit, org: [Listing, Listing] | undefined): void {
  const { req, gh, out } = a
  const orgUnread =
    org && org[0].reading.state !== 'absent'
      ? org.find((l) => l.reading.state !== 'present')
      : undefined
  if (orgUnread) {
    unread(
      a,
      orgUnread,
      orgUnread.reading,
      `organization permission 'Members' on ${req.organization}`,
      {
        permission: 'members',
      },
    )
    return
  }
  if (!org) {
    if (gh.organization.members && !a.scoped)
      out.findings.push({
        kind: 'unverified',
        severity: 'warning',
        permission: 'members',
        message:
          "Organization permission 'Members' was not verified: set the 'organization' input.",
      })
    return
  }
  const needs = gh.organization.members
  const [members, visible] = org
  const loginOf = (u: unknown) => String((u as { login: string }).login)
  const publicLogins = new Set((visible.items ?? []).map(loginOf))
  const concealed = (members.items ?? []).filter((u) => !publicLogins.has(loginOf(u)))
  const visibleLogins = new Set((members.items ?? []).map((u) => loginOf(u).toLowerCase()))
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
}

/** Repositories reachable beyond the role's slots. */
function reachableBeyondFindings(a: Audit, listing: Listing | undefined): void {
  const { req, gh, out, isApp } = a
  if (listing && listing.reading.state !== 'present' && (isApp || gh.onlyTheseRepositories))
    unread(
      a,
      listing,
      listing.reading,
      isApp
        ? 'which repositories the installation reaches'
        : "that the token reaches no repositories beyond the role's",
    )
  const extra = listing?.items
  if (!extra || !gh.onlyTheseRepositories) return
  const slotNames = new Set(Object.values(req.repositories).map((r) => full(r).toLowerCase()))
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

function onlyStatusesOf(gh: GitHubProfile) {
  return (slot?: string) =>
    Object.keys(gh.repositories[slot ?? '']?.permissions ?? {}).join() === 'statuses'
}

const full = (r: Repository) => `${r.owner}/${r.repo}`
const hasRepoScope = (scopes?: string[]) => !!scopes?.includes('repo')
