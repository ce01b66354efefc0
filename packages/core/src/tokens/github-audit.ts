import {
  bodyKindOf,
  eitherOf,
  isJsonObject,
  listOf,
  normaliseHeaders,
  objectWith,
  provesAbsence,
  readAnswer,
  rejectsCredentials,
  requestName,
  type Answer,
  type AnswerRules,
  type Reading,
} from '../answers.js'
import { explainGitHubError, isRequestError, isTimeout } from '../github-errors.js'
import type { GitHubClient } from '../github.js'
import { OffOriginError } from '../origin.js'
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

type Reply = Answer

const REPOSITORY: AnswerRules = { provider: 'GitHub', shape: objectWith('full_name') }
const USER: AnswerRules = { provider: 'GitHub', shape: objectWith('login') }
/** What each read probe must answer to count as "the permission is there". */
const READ_RULES: Record<string, AnswerRules> = {
  contents: {
    provider: 'GitHub',
    // The root of a repository is a directory listing (a file or submodule object elsewhere).
    shape: {
      ...eitherOf(listOf('type', 'path'), objectWith('type', 'path')),
      is: "a directory listing or a content object, each with a string 'type' and 'path'",
    },
    // An empty repository answers 404 "This repository is empty." or 409: reachable, so read is there.
    presentToo: (a) =>
      (a.status === 409 || a.status === 404) &&
      isJsonObject(a.body) &&
      /empty/i.test(String(a.body.message ?? '')),
  },
  statuses: { provider: 'GitHub', shape: listOf('state', 'context') },
  repository_hooks: { provider: 'GitHub', shape: listOf('type') },
  administration: { provider: 'GitHub', shape: listOf('key') },
}
/** An invalid write: 422 shows the permission (GitHub validated it), a proven 403 its absence. */
const WRITE_RULES: AnswerRules = {
  provider: 'GitHub',
  presentToo: (a) => a.status === 422 && isJsonObject(a.body),
  // A 2xx to an invalid write is no answer GitHub gives: not taken for anything.
  shape: { test: () => false, is: 'a refusal (422 or 403), which an invalid write gets' },
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
  /** Some answer came from GitHub itself: only then does a missing expiry header mean "never". */
  let readable = false
  /** Repositories GitHub proved the token cannot reach, with the status it answered. */
  const unreachable = new Map<string, number>()

  // Every request is answered with an Answer, never an exception: what it shows is decided by
  // readAnswer (answers.ts), so an unreadable answer is "cannot verify", never "absent".
  const call = async (route: string, params: Record<string, unknown> = {}): Promise<Reply> => {
    out.requests++
    const request = requestName(route, params)
    try {
      const r = await octokit.request(route, params)
      const headers = normaliseHeaders(r.headers)
      return note({
        request,
        status: r.status,
        headers,
        body: r.data,
        bodyKind: bodyKindOf(r.data, headers['content-type']),
      })
    } catch (error) {
      if (isRequestError(error) && error.response) {
        const headers = normaliseHeaders(error.response.headers)
        const body = error.response.data
        return note(
          {
            request,
            status: error.status!,
            headers,
            body,
            bodyKind: bodyKindOf(body, headers['content-type']),
          },
          error,
        )
      }
      // A redirect the client would not follow (another origin, a write): an answer, unreadable.
      if (error instanceof OffOriginError && error.redirect) {
        const { status, location } = error.redirect
        const headers = location ? { location } : {}
        return { request, status, headers, body: undefined, bodyKind: 'none' }
      }
      if (isRequestError(error) || isTimeout(error)) {
        const e = error as Error
        const failure = isTimeout(error) ? 'timed out' : e.message
        return { request, status: 0, headers: {}, body: undefined, bodyKind: 'none', failure }
      }
      throw explainGitHubError(error, { action: `audit the token (${request})` })
    }
  }
  // Every reply from GitHub itself may carry the expiry, or an organization policy that blocks the token.
  const note = (reply: Reply, error?: unknown): Reply => {
    const fromGitHub =
      (reply.status >= 200 && reply.status < 300 && reply.bodyKind === 'json') ||
      provesAbsence(reply, 'GitHub')
    if (!fromGitHub) return reply
    readable = true
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
  /** An answer that could not be read: a finding naming the request; what it was about is unknown. */
  const unread = (
    reply: Reply,
    reading: Reading,
    unknown: string,
    where?: Parameters<typeof unreadableFinding>[3],
  ) => {
    out.findings.push(
      unreadableFinding(
        reply,
        reading.state === 'unreadable' ? reading.reason : `answered ${reply.status}`,
        unknown,
        where,
      ),
    )
  }

  const isApp = req.kind === 'installation'
  const scoped = req.kind === 'classic' || req.kind === 'oauth'
  const slots = Object.entries(req.repositories)
  const onlyStatuses = onlyStatusesOf(gh)
  const slotNames = new Set(slots.map(([, r]) => full(r).toLowerCase()))

  // Who the token is, and (apps, fine-grained) every repository it reaches: in parallel with the repos.
  const identityTask: Promise<Listing | Reply> = isApp
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
  // Awaited below, one after another: one that fails while an earlier one is awaited must not
  // count as an unhandled rejection (which ends the process without an error line).
  for (const task of [identityTask, reachableTask, orgTask, ...repoChecks]) task.catch(() => {})

  async function checkRepository(slot: string, repo: Repository): Promise<RepositoryCheck> {
    const name = full(repo)
    const where = { repository: name, slot }
    const required = gh.repositories[slot]?.permissions ?? {}
    if (scoped && Object.keys(required).join() === 'statuses') {
      // A status-only classic token (repo:status) cannot see a private repository at all, but
      // can read its statuses: that one request shows both reach and the permission.
      const statuses = await call('GET /repos/{owner}/{repo}/commits/{ref}/statuses', {
        ...repo,
        ref: 'HEAD',
        per_page: 1,
      })
      const reading = readAnswer(statuses, READ_RULES.statuses)
      if (reading.state === 'unreadable')
        unread(statuses, reading, `that the token reaches ${name} and reads its statuses`, where)
      const ok = reading.state === 'present'
      return {
        slot,
        repository: name,
        reachable: reading.state === 'unreadable' ? 'unverified' : ok,
        permissions: ok
          ? [{ permission: 'statuses', required: required.statuses, found: 'write' }]
          : [],
      }
    }
    const reply = await call('GET /repos/{owner}/{repo}', { ...repo })
    const reading = readAnswer(reply, REPOSITORY)
    const check: RepositoryCheck = {
      slot,
      repository: name,
      reachable: reading.state === 'unreadable' ? 'unverified' : reading.state === 'present',
      permissions: [],
    }
    if (reading.state === 'unreadable') {
      unread(reply, reading, `that the token reaches ${name} or what it may do there`, where)
      return check
    }
    if (reading.state === 'absent') unreachable.set(name, reply.status)
    if (reading.state !== 'present' || scoped) return check
    const data = reply.body as { default_branch?: unknown }
    const ref: RepoRef = {
      ...repo,
      branch: typeof data.default_branch === 'string' ? data.default_branch : 'main',
    }
    const reads = await Promise.all(
      PROBED_PERMISSIONS.map(async (permission) => {
        const [route, params] = PROBES[permission].read(ref)
        const r = await call(route, params)
        const seen = readAnswer(r, READ_RULES[permission])
        if (seen.state === 'unreadable')
          unread(r, seen, `'${label(permission)}' on ${name}`, { ...where, permission })
        return [permission, seen.state, r.request] as const
      }),
    )
    const found: Record<string, Level | 'none' | 'unverified'> = {}
    const unknown: Record<string, string> = {}
    for (const [permission, state, request] of reads) {
      found[permission] = state === 'present' ? 'read' : state === 'absent' ? 'none' : 'unverified'
      if (state === 'unreadable') unknown[permission] = request
    }
    if (req.probeWrites) {
      // Sequential on purpose: GitHub asks that writes are not sent concurrently.
      for (const [permission, state] of reads) {
        if (state !== 'present') continue
        const [route, params] = PROBES[permission].write(ref)
        const r = await call(route, params)
        const seen = readAnswer(r, WRITE_RULES)
        if (seen.state === 'present') found[permission] = 'write'
        else if (seen.state === 'unreadable') {
          unread(r, seen, `whether the token may write '${label(permission)}' on ${name}`, {
            ...where,
            permission,
          })
          unknown[permission] = r.request
        }
      }
    }
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

  const identity = await identityTask
  if (!isApp && rejectsCredentials(identity)) {
    out.fatal = true
    await Promise.allSettled([reachableTask, orgTask, ...repoChecks])
    // The other requests were refused too: their findings would only repeat this one.
    out.findings.length = 0
    out.findings.push({
      kind: 'credentials',
      severity: 'error',
      message: 'GitHub rejects the token (401 Bad credentials): it is wrong, revoked or expired.',
      fix: 'Create a new token and update the secret.',
    })
    return finish()
  }
  if (!isApp) {
    const who = readAnswer(identity, USER)
    if (who.state === 'present') {
      out.login = String((identity.body as { login: string }).login)
      if (scoped) out.scopes = parseScopesHeader(identity.headers['x-oauth-scopes'])
    } else unread(identity, who, scoped ? "the token's user and scopes" : "the token's user")
  }

  const [reachable, org, ...repositories] = await Promise.all([
    reachableTask,
    orgTask,
    ...repoChecks,
  ])
  out.repositories = repositories
  if (isApp && rejectsCredentials(identity)) {
    out.fatal = true
    // The other requests were refused too: their findings would only repeat this one.
    out.findings.length = 0
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

  if (scoped && out.scopes) {
    const { missing, excess } = compareScopes(out.scopes, gh.classicScopes)
    out.findings.push(
      ...scopeFindings(missing, excess, gh.classicScopes, req.onExcess, {
        add: (s) => `Edit the token and tick '${s}'.`,
        remove: (s) => `Remove '${s}' from the token.`,
      }),
    )
  }

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
        message: `The token cannot reach ${check.repository} (slot '${check.slot}'): GitHub answers ${unreachable.get(check.repository) ?? 404}.`,
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
      // Its probe's answer could not be read: already a finding that names the request.
      if (p.request) continue
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
  // Members refused (JSON 403/404) proves the permission absent; otherwise both lists are needed
  // to tell concealed members apart, so either one unread leaves it unknown.
  const orgUnread =
    org && org[0].reading.state !== 'absent'
      ? org.find((l) => l.reading.state !== 'present')
      : undefined
  if (orgUnread) {
    unread(
      orgUnread,
      orgUnread.reading,
      `organization permission 'Members' on ${req.organization}`,
      {
        permission: 'members',
      },
    )
  } else if (org) {
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
  const listing = isApp ? (identity as Listing) : reachable
  if (listing && listing.reading.state !== 'present' && (isApp || gh.onlyTheseRepositories))
    unread(
      listing,
      listing.reading,
      isApp
        ? 'which repositories the installation reaches'
        : "that the token reaches no repositories beyond the role's",
    )
  const extra = listing?.items
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
    // No expiry header means "never expires" only if GitHub itself answered at least once.
    out.expiresAt = parsed ?? (expiry === undefined && readable ? null : undefined)
    return out
  }
}

/** Every item of a listing (at most ten pages), or the answer that could not be read. */
interface Listing extends Reply {
  reading: Reading
  items?: unknown[]
}

async function listAll(
  call: (route: string, params?: Record<string, unknown>) => Promise<Reply>,
  route: string,
  key: string | undefined,
  params: Record<string, unknown> = {},
): Promise<Listing> {
  // Every item must carry the field the audit reads: a list of something else is unreadable.
  const field = route.includes('members') ? 'login' : 'full_name'
  const items_ = (b: unknown) => (key ? isJsonObject(b) && b[key] : b)
  const page = listOf(field)
  const rules: AnswerRules = {
    provider: 'GitHub',
    shape: key
      ? { test: (b) => page.test(items_(b)), is: `a JSON object whose '${key}' is ${page.is}` }
      : page,
  }
  const items: unknown[] = []
  let first: Reply | undefined
  for (let page = 1; page <= 10; page++) {
    const r = await call(route, { ...params, per_page: 100, page })
    first ??= r
    const reading = readAnswer(r, rules)
    if (reading.state !== 'present') return { ...r, reading }
    items.push(...(items_(r.body) as unknown[]))
    if (!/rel="next"/.test(String(r.headers.link ?? ''))) break
  }
  return { ...first!, reading: { state: 'present' }, items }
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
