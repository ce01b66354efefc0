import {
  UserError,
  explained,
  sleep,
  type GitHubClient,
  type Repository,
} from '@argocd-actions/core'
import type { State } from './inputs.js'
import type { StatusResult } from './set-status.js'

export interface WaitOptions {
  context: string
  expectedState: State
  timeoutSeconds: number
  intervalSeconds: number
  createdAfter?: Date
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

const toResult = (s: RawStatus): StatusResult => ({
  id: s.id,
  state: s.state,
  context: s.context,
  description: s.description,
  targetUrl: s.target_url,
  createdAt: s.created_at,
})

/**
 * The newest status of the context, not older than createdAfter. Statuses come newest first, so
 * paging stops at the first match or at the first page that is entirely older than createdAfter.
 */
export async function findNewestStatus(
  octokit: GitHubClient,
  repo: Repository,
  sha: string,
  context: string,
  createdAfter?: Date,
): Promise<StatusResult | undefined> {
  // GitHub's created_at has whole seconds: a status posted later in the same second as
  // createdAfter reads as earlier, so compare at second precision.
  const after = createdAfter && Math.floor(createdAfter.getTime() / 1000) * 1000
  const pages = octokit.paginate.iterator(octokit.rest.repos.listCommitStatusesForRef, {
    ...repo,
    ref: sha,
    per_page: 100,
  })
  const ctx = {
    action: `read the commit statuses of ${repo.owner}/${repo.repo}@${sha.slice(0, 12)}`,
    permission: 'statuses=read',
    classicScope: 'repo:status',
  }
  const best = await explained(octokit, ctx, async () => {
    let found: RawStatus | undefined
    for await (const page of pages) {
      const statuses = page.data as RawStatus[]
      for (const s of statuses) {
        if (s.context !== context) continue
        if (after !== undefined && Date.parse(s.created_at) < after) continue
        if (!found || isNewer(s, found)) found = s
      }
      if (found) break
      if (
        after !== undefined &&
        statuses.length &&
        statuses.every((s) => Date.parse(s.created_at) < after)
      )
        break
    }
    return found
  })
  return best && toResult(best)
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
  let lastSeen: StatusResult | undefined
  for (let polls = 1; ; polls++) {
    const status = await findNewestStatus(octokit, repo, sha, opts.context, opts.createdAfter)
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
      const saw = lastSeen
        ? `the newest '${opts.context}' status was ${describe(lastSeen)}`
        : `no '${opts.context}' status${opts.createdAfter ? ` created after ${opts.createdAfter.toISOString()}` : ''} appeared`
      throw new WaitError(
        `Timed out after ${opts.timeoutSeconds} s waiting for '${opts.context}' to be '${opts.expectedState}' on ${where}: ${saw}. If nothing changed in the deploy repo, Argo CD posts no new status; check the application in Argo CD.`,
        waited(),
        lastSeen,
      )
    }
    await pause(Math.min(opts.intervalSeconds * 1000, left))
  }
}
