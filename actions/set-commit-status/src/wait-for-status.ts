import {
  UserError,
  explained,
  requestName,
  sleep,
  type GitHubClient,
  type Repository,
  unexpectedAnswer,
} from '@argocd-actions/core'
import type { State } from './inputs.js'
import type { StatusResult } from './set-status.js'

export interface WaitOptions {
  context: string
  expectedState: State
  timeoutSeconds: number
  intervalSeconds: number
  createdAfter?: Date
  /** Only statuses whose target URL is this URL or under it count. */
  expectedTargetUrl?: URL
}

export interface WaitDeps {
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  log?: (message: string) => void
}

export interface WaitResult {
  status: StatusResult
  waitedSeconds: number
  polls: number
}

/** The wait failed: carries what was last seen so the summary can show it. */
export class WaitError extends UserError {
  readonly lastSeen?: StatusResult
  readonly waitedSeconds: number

  constructor(message: string, waitedSeconds: number, lastSeen?: StatusResult) {
    super(message)
    this.name = 'WaitError'
    this.lastSeen = lastSeen
    this.waitedSeconds = waitedSeconds
  }
}

interface RawStatus {
  id: number
  state: string
  context: string
  description: string | null
  target_url: string | null
  created_at: string
}

/** Same-second statuses: the higher id is the later one. */
function isNewer(a: RawStatus, b: RawStatus): boolean {
  const d = Date.parse(a.created_at) - Date.parse(b.created_at)
  return d !== 0 ? d > 0 : a.id > b.id
}

function isRawStatus(s: unknown): s is RawStatus {
  const r = s as RawStatus
  return (
    typeof s === 'object' &&
    s !== null &&
    Number.isSafeInteger(r.id) &&
    typeof r.state === 'string' &&
    typeof r.context === 'string' &&
    !Number.isNaN(Date.parse(r.created_at)) &&
    (r.target_url === null || r.target_url === undefined || typeof r.target_url === 'string') &&
    (r.description === null || r.description === undefined || typeof r.description === 'string')
  )
}

const toResult = (s: RawStatus): StatusResult => ({
  id: s.id,
  state: s.state,
  context: s.context,
  description: s.description,
  targetUrl: s.target_url,
  createdAt: s.created_at,
})

/**
 * Which statuses are new enough for created-after, exactly. GitHub stamps whole seconds: a
 * status stamped with created-after's own second may be older or newer than it. Such a status
 * counts only if it was not there yet at the first poll made at or after created-after; ids only
 * grow, so that is: its id is above every id that poll listed. Fails closed: a status of that
 * second which was already there is taken for stale.
 */
export class Freshness {
  private baseline?: number
  constructor(readonly after: Date) {}

  /** Created at or after `after` for certain. */
  private surelyNew(s: RawStatus): boolean {
    return Date.parse(s.created_at) >= this.after.getTime()
  }

  /** Created before `after` for certain: its whole second is over before `after`. */
  surelyOld(s: RawStatus): boolean {
    return Date.parse(s.created_at) + 1000 <= this.after.getTime()
  }

  isFresh(s: RawStatus): boolean {
    if (this.surelyNew(s)) return true
    if (this.surelyOld(s)) return false
    return this.baseline !== undefined && s.id > this.baseline
  }

  /** Stamped with created-after's second and already there when the wait began. */
  isUnsure(s: RawStatus): boolean {
    return !this.surelyNew(s) && !this.surelyOld(s) && !this.isFresh(s)
  }

  /** After each poll: the first one started at or after `after` sets the baseline. */
  polled(startedAt: number, maxId: number): void {
    if (this.baseline === undefined && startedAt >= this.after.getTime()) this.baseline = maxId
  }
}

export interface StatusCriteria {
  context: string
  freshness?: Freshness
  expectedTargetUrl?: URL
}

/** The status's target URL is `expected` or under it: same origin, path at or below. */
export function isUnder(targetUrl: string | null, expected: URL): boolean {
  if (!targetUrl) return false
  let url: URL
  try {
    url = new URL(targetUrl)
  } catch {
    return false
  }
  if (url.origin !== expected.origin) return false
  const path = expected.pathname
  return url.pathname === path || url.pathname.startsWith(path.endsWith('/') ? path : `${path}/`)
}

export interface Look {
  /** The newest status that meets every criterion. */
  status?: StatusResult
  /** The newest fresh status of the context whose target URL is not the expected one. */
  elsewhere?: StatusResult
  /** The newest status of the context stamped with created-after's second, taken for stale. */
  unsure?: StatusResult
  /** The highest status id listed (any context). */
  maxId: number
}

/**
 * Looks for the newest status that meets the criteria. Statuses come newest first, so paging
 * stops at the first match or at the first page that is entirely older than created-after.
 */
export async function lookForStatus(
  octokit: GitHubClient,
  repo: Repository,
  sha: string,
  criteria: StatusCriteria,
): Promise<Look> {
  const { context, freshness, expectedTargetUrl } = criteria
  const pages = statusPages(octokit, repo, sha)
  const ctx = {
    action: `read the commit statuses of ${repo.owner}/${repo.repo}@${sha.slice(0, 12)}`,
    permission: 'statuses=read',
    classicScope: 'repo:status',
  }
  return explained(octokit, ctx, async () => {
    let found: RawStatus | undefined
    let elsewhere: RawStatus | undefined
    let unsure: RawStatus | undefined
    let maxId = 0
    const newest = (a: RawStatus | undefined, b: RawStatus) => (!a || isNewer(b, a) ? b : a)
    for await (const { request, data: statuses } of pages) {
      if (!Array.isArray(statuses) || !statuses.every(isRawStatus)) {
        throw unexpectedAnswer(
          request,
          statuses,
          'list of statuses',
          `whether '${context}' is there cannot be told`,
          `Could not ${ctx.action}`,
        )
      }
      for (const s of statuses) {
        maxId = Math.max(maxId, s.id)
        if (s.context !== context) continue
        if (freshness && !freshness.isFresh(s)) {
          if (freshness.isUnsure(s)) unsure = newest(unsure, s)
          continue
        }
        if (expectedTargetUrl && !isUnder(s.target_url, expectedTargetUrl)) {
          elsewhere = newest(elsewhere, s)
          continue
        }
        found = newest(found, s)
      }
      if (found) break
      if (freshness && statuses.length && statuses.every((s) => freshness.surelyOld(s))) break
    }
    return {
      status: found && toResult(found),
      elsewhere: elsewhere && toResult(elsewhere),
      unsure: unsure && toResult(unsure),
      maxId,
    }
  })
}

/**
 * The pages of a commit's statuses, newest first, as GitHub sent them: not octokit.paginate,
 * which reads into a page before anyone could check its shape (an HTML page crashed it).
 * The next page is the Link header's; the client refuses one on another origin, naming the
 * request whose answer pointed there.
 */
async function* statusPages(
  octokit: GitHubClient,
  repo: Repository,
  sha: string,
): AsyncGenerator<{ request: string; data: unknown }> {
  let request = requestName('GET /repos/{owner}/{repo}/commits/{ref}/statuses', {
    ...repo,
    ref: sha,
  })
  let response: { data: unknown; headers: { link?: string } } =
    await octokit.rest.repos.listCommitStatusesForRef({
      ...repo,
      ref: sha,
      per_page: 100,
    })
  for (let page = 1; ; page++) {
    yield { request, data: response.data }
    const next = /<([^<>]+)>;\s*rel="next"/.exec(response.headers.link ?? '')?.[1]
    if (!next) return
    const pointedBy = `the answer to ${request} (its next page)`
    request = `${requestName('GET /repos/{owner}/{repo}/commits/{ref}/statuses', { ...repo, ref: sha })} (page ${page + 1})`
    response = await octokit.request({ method: 'GET', url: next, request: { pointedBy } } as never)
  }
}

/** The newest status of the context, not older than createdAfter (exactly: see Freshness). */
export async function findNewestStatus(
  octokit: GitHubClient,
  repo: Repository,
  sha: string,
  context: string,
  createdAfter?: Date,
): Promise<StatusResult | undefined> {
  // One look has no "before the wait began": a status of created-after's own second is stale.
  const freshness = createdAfter && new Freshness(createdAfter)
  return (await lookForStatus(octokit, repo, sha, { context, freshness })).status
}

const describe = (s: StatusResult) =>
  `'${s.state}'${s.description ? ` ("${s.description}")` : ''}${s.targetUrl ? ` at ${s.targetUrl}` : ''}`

export async function waitForCommitStatus(
  octokit: GitHubClient,
  repo: Repository,
  sha: string,
  opts: WaitOptions,
  deps: WaitDeps = {},
): Promise<WaitResult> {
  const now = deps.now ?? Date.now
  const pause = deps.sleep ?? sleep
  const start = now()
  const deadline = start + opts.timeoutSeconds * 1000
  const waited = () => Math.round((now() - start) / 1000)
  const where = `${repo.owner}/${repo.repo}@${sha.slice(0, 12)}`
  const freshness = opts.createdAfter && new Freshness(opts.createdAfter)
  const criteria = { context: opts.context, freshness, expectedTargetUrl: opts.expectedTargetUrl }
  let lastSeen: StatusResult | undefined
  let look: Look | undefined
  const logged = new Set<number>()
  for (let polls = 1; ; polls++) {
    const startedAt = now()
    look = await lookForStatus(octokit, repo, sha, criteria)
    freshness?.polled(startedAt, look.maxId)
    const other = look.elsewhere
    if (other && !logged.has(other.id)) {
      logged.add(other.id)
      deps.log?.(`${opts.context} is ${describe(other)}: another target URL, ignored`)
    }
    const status = look.status
    if (status) {
      if (!lastSeen || lastSeen.id !== status.id)
        deps.log?.(`${opts.context} is ${describe(status)}`)
      lastSeen = status
      if (status.state === opts.expectedState) return { status, waitedSeconds: waited(), polls }
      if (status.state === 'error' || status.state === 'failure') {
        throw new WaitError(
          `'${opts.context}' on ${where} is ${describe(status)}, not '${opts.expectedState}': stopped waiting.`,
          waited(),
          status,
        )
      }
    }
    const left = deadline - now()
    if (left <= 0) {
      throw new WaitError(
        `Timed out after ${opts.timeoutSeconds} s waiting for '${opts.context}' to be '${opts.expectedState}' on ${where}: ${timeoutFinding(opts, lastSeen, look)}. If nothing changed in the deploy repo, Argo CD posts no new status; check the application in Argo CD.`,
        waited(),
        lastSeen,
      )
    }
    await pause(Math.min(opts.intervalSeconds * 1000, left))
  }
}

/** What the wait saw, and what it ignored and why, for the timeout message. */
function timeoutFinding(opts: WaitOptions, lastSeen: StatusResult | undefined, look: Look): string {
  const parts = [
    lastSeen
      ? `the newest '${opts.context}' status was ${describe(lastSeen)}`
      : `no '${opts.context}' status${opts.createdAfter ? ` created after ${opts.createdAfter.toISOString()}` : ''}${opts.expectedTargetUrl ? ` with a target URL under ${opts.expectedTargetUrl.href}` : ''} appeared`,
  ]
  if (look.elsewhere) {
    parts.push(
      `ignored: ${describe(look.elsewhere)}, whose target URL is not under expected-target-url ${opts.expectedTargetUrl?.href}`,
    )
  }
  if (look.unsure && !lastSeen) {
    parts.push(
      `ignored: ${describe(look.unsure)} stamped ${look.unsure.createdAt}, the second of created-after: GitHub stamps whole seconds and it was there before the wait began, so it cannot be told from an earlier one`,
    )
  }
  return parts.join('; ')
}
