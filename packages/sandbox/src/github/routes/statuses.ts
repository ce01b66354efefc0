// Commit statuses: create, list (paginated), combined.
import { authorizeRepo, type Requirement } from '../access.js'
import type { Reply, RouteContext } from '../context.js'
import {
  ApiError,
  DOCS,
  errorBody,
  noCommitFound,
  notFound,
  parseJsonObject,
  validationFailed,
} from '../errors.js'
import { paginate } from '../pagination.js'
import { combinedState, minimalRepository, simpleStatus, status } from '../render.js'
import { STATUS_STATES, type RepoRecord } from '../store.js'
import type { StatusRecord } from '../types.js'

const readStatuses = (doc: string): Requirement => ({
  permission: 'statuses',
  access: 'read',
  privateScopes: ['repo', 'repo:status'],
  publicScopes: [],
  doc,
})

/** GitHub caps statuses per sha and context. */
const MAX_STATUSES_PER_CONTEXT = 1000
const MAX_DESCRIPTION = 140

function optionalString(
  input: Record<string, unknown>,
  field: string,
  doc: string,
): string | null | undefined {
  const v = input[field]
  if (v === undefined || v === null || typeof v === 'string') return v
  throw new ApiError(
    422,
    errorBody(
      422,
      `Invalid request.\n\nFor 'properties/${field}', ${JSON.stringify(v)} is not a string or null.`,
      doc,
    ),
  )
}

/** POST /repos/{owner}/{repo}/statuses/{sha} */
export function createStatus(ctx: RouteContext, repo: RepoRecord, sha: string): Reply {
  const doc = DOCS.createStatus
  authorizeRepo(
    ctx.store,
    ctx.token,
    repo,
    {
      permission: 'statuses',
      access: 'write',
      privateScopes: ['repo', 'repo:status'],
      publicScopes: ['repo', 'repo:status', 'public_repo'],
      doc,
      acceptedScopesHeader: '',
    },
    ctx.headers,
  )
  const input = parseJsonObject(ctx.body, doc)
  // Only a full sha of an existing commit is accepted here, unlike the {ref} endpoints.
  if (!/^[0-9a-fA-F]{40}$/.test(sha) || !repo.commits.has(sha.toLowerCase()))
    throw noCommitFound(sha, doc)

  const state = input['state']
  if (typeof state !== 'string' || !(STATUS_STATES as readonly string[]).includes(state)) {
    throw validationFailed(doc, [
      {
        resource: 'Status',
        code: 'custom',
        field: 'state',
        message: 'state is not included in the list',
      },
    ])
  }
  const description = optionalString(input, 'description', doc)
  const targetUrl = optionalString(input, 'target_url', doc)
  const context = optionalString(input, 'context', doc) ?? 'default'
  // GitHub rejects rather than truncates: 422 with a custom error on `description`. Its store
  // takes no 4-byte UTF-8 (emoji and everything else beyond U+FFFF), and the 140 are characters
  // (Ruby's String#length: code points), so the two checks together make every accepted
  // description at most 140 UTF-16 code units too.
  if (description && /[\u{10000}-\u{10FFFF}]/u.test(description)) {
    throw validationFailed(doc, [
      {
        resource: 'Status',
        code: 'custom',
        field: 'description',
        message: "description doesn't accept 4-byte Unicode",
      },
    ])
  }
  if (description && [...description].length > MAX_DESCRIPTION) {
    throw validationFailed(doc, [
      {
        resource: 'Status',
        code: 'custom',
        field: 'description',
        message: `description is too long (maximum is ${MAX_DESCRIPTION} characters)`,
      },
    ])
  }
  const existing = (repo.statuses.get(sha.toLowerCase()) ?? []).filter((s) => s.context === context)
  if (existing.length >= MAX_STATUSES_PER_CONTEXT) {
    throw validationFailed(doc, [
      {
        resource: 'Status',
        code: 'custom',
        field: 'context',
        message: 'This SHA and context has reached the maximum number of statuses.',
      },
    ])
  }
  const token = ctx.token!
  const creator = token.kind === 'installation' ? `${token.appSlug}[bot]` : token.login
  const record = ctx.store.addStatus(repo, sha, {
    state,
    context,
    description: description ?? null,
    target_url: targetUrl ?? null,
    ...(creator ? { creator } : {}),
  })
  const body = status(ctx.api, ctx.store, repo, record)
  ctx.headers['location'] = String(body['url'])
  return { status: 201, body }
}

/** Statuses of a ref, newest first; a full sha without commit simply has none. */
function statusesOf(
  ctx: RouteContext,
  repo: RepoRecord,
  ref: string,
): { sha: string; list: StatusRecord[] } | undefined {
  const found = ctx.store.resolveRef(repo, ref)
  if (found) return { sha: found.sha, list: ctx.store.statusesNewestFirst(repo, found.sha) }
  return undefined
}

/** Link URLs use GitHub's /repositories/{id}/... form, which the router also serves. */
function linkBase(ctx: RouteContext, repo: RepoRecord, rawRef: string, suffix: string): URL {
  return new URL(`${ctx.api}/repositories/${repo.id}/commits/${rawRef}/${suffix}${ctx.url.search}`)
}

/** GET /repos/{owner}/{repo}/commits/{ref}/statuses */
export function listStatuses(
  ctx: RouteContext,
  repo: RepoRecord,
  ref: string,
  rawRef: string,
): Reply {
  authorizeRepo(ctx.store, ctx.token, repo, readStatuses(DOCS.listStatuses), ctx.headers)
  const found = statusesOf(ctx, repo, ref)
  if (!found && !/^[0-9a-fA-F]{40}$/.test(ref)) throw notFound(DOCS.listStatuses)
  const page = paginate(found?.list ?? [], linkBase(ctx, repo, rawRef, 'statuses'))
  if (page.link) ctx.headers['link'] = page.link
  return { status: 200, body: page.items.map((s) => status(ctx.api, ctx.store, repo, s)) }
}

/** GET /repos/{owner}/{repo}/commits/{ref}/status */
export function combinedStatus(
  ctx: RouteContext,
  repo: RepoRecord,
  ref: string,
  rawRef: string,
): Reply {
  authorizeRepo(ctx.store, ctx.token, repo, readStatuses(DOCS.combinedStatus), ctx.headers)
  const found = statusesOf(ctx, repo, ref)
  if (!found) throw notFound(DOCS.combinedStatus)
  const latest: StatusRecord[] = []
  const seen = new Set<string>()
  for (const s of found.list) {
    if (seen.has(s.context)) continue
    seen.add(s.context)
    latest.push(s)
  }
  // Recorded GitHub responses list the combined entries oldest first.
  latest.reverse()
  const page = paginate(latest, linkBase(ctx, repo, rawRef, 'status'))
  if (page.link) ctx.headers['link'] = page.link
  const r = `${ctx.api}/repos/${repo.fullName}`
  return {
    status: 200,
    body: {
      state: combinedState(latest),
      statuses: page.items.map((s) => simpleStatus(ctx.api, ctx.store, repo, s)),
      sha: found.sha,
      total_count: latest.length,
      repository: minimalRepository(ctx.api, ctx.store, repo),
      commit_url: `${r}/commits/${found.sha}`,
      url: `${r}/commits/${found.sha}/status`,
    },
  }
}
