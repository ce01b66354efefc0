import { UserError, sleep } from '@argocd-actions/core'
import { describeResource, isAt, type AppObservation } from './argocd-app.js'

export interface ArgoCdAppClient {
  /**
   * `GET /api/v1/applications/{name}` (`?refresh=normal` when asked): the Application read, or
   * undefined for Argo CD's own "not found". Every other answer it cannot read is thrown,
   * explained (401, 403, 5xx after retries, HTML, a body that is not an Application).
   */
  getApplication(refresh: boolean): Promise<AppObservation | undefined>
}

export interface ArgoCdWaitOptions {
  /** `<namespace>.<application>`. */
  appName: string
  /** The deploy commit: Synced at any other revision never counts. */
  revision: string
  timeoutSeconds: number
  refresh: boolean
}

export interface WaitDeps {
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  log?: (message: string) => void
}

export interface ArgoCdWaitResult {
  app: AppObservation
  waitedSeconds: number
  polls: number
}

/** The wait ended without Synced and Healthy: what was last seen goes to the outputs and summary. */
export class ArgoCdWaitError extends UserError {
  constructor(
    message: string,
    readonly waitedSeconds: number,
    readonly lastSeen?: AppObservation,
  ) {
    super(message)
    this.name = 'ArgoCdWaitError'
  }
}

// Polls start at 1 s (a refresh usually lands within seconds) and back off to 10 s; each is
// jittered to 50-100 % so parallel releases do not poll Argo CD in step.
const FIRST_INTERVAL_MS = 1000
const MAX_INTERVAL_MS = 10_000
// A refresh asked before Argo CD could see the push compares an older commit: ask again, at most
// this often, while the app is not at our commit (each is one reconciliation on the server).
const REFRESH_AGAIN_MS = 30_000

export function pollInterval(poll: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_INTERVAL_MS, FIRST_INTERVAL_MS * 2 ** Math.max(0, poll - 1))
  return Math.round(ceiling * (0.5 + random() / 2))
}

const short = (sha: string) => sha.slice(0, 12)
const TERMINAL_FAILURE = ['Failed', 'Error']

/**
 * Waits until Argo CD reports the application Synced to `revision` and Healthy, with no
 * operation still running on it. It stops early, in Argo CD's own words, when the sync of that
 * commit failed, when the app is Degraded at it, or when Argo CD refuses it (an error condition
 * at that commit); anything else about an older commit is the past and is waited through.
 * Every answer the client cannot read throws: never "not yet".
 */
export async function waitForArgoCd(
  client: ArgoCdAppClient,
  opts: ArgoCdWaitOptions,
  deps: WaitDeps = {},
): Promise<ArgoCdWaitResult> {
  const now = deps.now ?? Date.now
  const pause = deps.sleep ?? sleep
  const start = now()
  const deadline = start + opts.timeoutSeconds * 1000
  const waited = () => Math.round((now() - start) / 1000)
  const what = `Argo CD application ${opts.appName}`
  let lastSeen: AppObservation | undefined
  let lastLine = ''
  let lastRefresh = -Infinity
  let notFound = 0
  for (let polls = 1; ; polls++) {
    const refresh =
      opts.refresh &&
      (polls === 1 || (!!lastSeen && !isAt(lastSeen, opts.revision))) &&
      now() - lastRefresh >= REFRESH_AGAIN_MS
    if (refresh) lastRefresh = now()
    const app = await client.getApplication(refresh)
    if (!app) {
      if (!notFound++)
        deps.log?.(
          `${what} does not exist yet: the ApplicationSet creates it from config.yaml; waiting`,
        )
    } else {
      lastSeen = app
      const line = describe(app, opts.revision)
      if (line !== lastLine) deps.log?.(`${what}: ${line}`)
      lastLine = line
      const failure = failureOf(app, opts.revision)
      if (failure) throw new ArgoCdWaitError(`${what} ${failure}`, waited(), app)
      if (isDone(app, opts.revision)) return { app, waitedSeconds: waited(), polls }
    }
    const left = deadline - now()
    if (left <= 0)
      throw new ArgoCdWaitError(
        `Timed out after ${opts.timeoutSeconds} s waiting for ${what} to be Synced to ${short(opts.revision)} and Healthy: ${timeoutFinding(lastSeen, notFound, opts)}`,
        waited(),
        lastSeen,
      )
    await pause(Math.min(pollInterval(polls, deps.random), left))
  }
}

/** No operation (a sync, its hooks) is running: health and conditions are about what is applied. */
const settled = (app: AppObservation) =>
  !app.operation || ['Succeeded', ...TERMINAL_FAILURE].includes(app.operation.phase)

/** Synced at our commit, Healthy, and no operation still running. */
function isDone(app: AppObservation, sha: string): boolean {
  return app.sync === 'Synced' && isAt(app, sha) && app.health === 'Healthy' && settled(app)
}

const SHA_IN_TEXT = /\b[0-9a-f]{40}\b/gi

/**
 * Why the wait stops early, about our commit only; undefined to go on waiting. While our sync
 * runs, the app still shows the previous sync's health and conditions: those are the past.
 */
function failureOf(app: AppObservation, sha: string): string | undefined {
  const op = app.operation
  if (op && TERMINAL_FAILURE.includes(op.phase) && op.revision.toLowerCase() === sha.toLowerCase())
    return `failed to sync ${short(sha)} (operation ${op.phase}): ${op.message || 'Argo CD gave no message'}`
  if (!isAt(app, sha) || !settled(app)) return undefined
  // A condition naming another commit ("Failed sync attempt to <sha>") is about that commit.
  const errors = app.errors.filter((c) =>
    [...c.message.matchAll(SHA_IN_TEXT)].every((m) => m[0].toLowerCase() === sha.toLowerCase()),
  )
  if (errors.length)
    return `refused ${short(sha)}: ${errors.map((c) => `${c.type}: ${c.message}`).join('; ')}`
  if (app.health === 'Degraded' && app.sync === 'Synced')
    return `is Degraded at ${short(sha)}${app.healthMessage ? `: ${app.healthMessage}` : ''}${unhealthyList(app)}`
  return undefined
}

const unhealthyList = (app: AppObservation) =>
  app.unhealthy.length ? `. Not healthy: ${app.unhealthy.map(describeResource).join('; ')}` : ''

/** `OutOfSync at 1a2b3c4d5e6f (not ours yet), Healthy`. */
function describe(app: AppObservation, sha: string): string {
  const at = app.revision
    ? `${short(app.revision)}${isAt(app, sha) ? '' : ` (not ${short(sha)})`}`
    : 'no revision'
  const op = app.operation?.phase ? `, operation ${app.operation.phase}` : ''
  return `${app.sync || 'no sync status'} at ${at}, ${app.health || 'no health'}${op}`
}

function timeoutFinding(
  app: AppObservation | undefined,
  notFound: number,
  opts: ArgoCdWaitOptions,
): string {
  if (!app)
    return notFound
      ? `the application was never found (Argo CD answered "not found" ${notFound} time(s)): is the ApplicationSet generating it, and is the name (or argocd-app-namespace) right?`
      : 'no answer was read'
  const parts = [`it was last ${describe(app, opts.revision)}`]
  if (!isAt(app, opts.revision))
    parts.push(
      `Argo CD never reported ${short(opts.revision)} as the app's revision${opts.refresh ? '' : " (with 'refresh: false' it waits for its own poll of the repository, 3 minutes by default)"}; if a later push to the branch superseded this release, the app is at that commit instead`,
    )
  if (app.errors.length)
    parts.push(`its conditions: ${app.errors.map((c) => `${c.type}: ${c.message}`).join('; ')}`)
  if (app.unhealthy.length)
    parts.push(`not healthy: ${app.unhealthy.map(describeResource).join('; ')}`)
  return `${parts.join('. ')}.`
}
