import { UserError, sleep } from '@argocd-actions/core'
import { describeResource, isAt, type AppObservation } from './argocd-app.js'
import type { Lineage } from './release-lineage.js'

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
  /**
   * How a revision Argo CD reports relates to ours (see release-lineage.ts); without it, only
   * our own commit counts. Asked once per revision; what it cannot read, it throws.
   */
  lineage?: (revision: string) => Promise<Lineage>
}

export interface ArgoCdWaitResult {
  app: AppObservation
  /** The later commit Argo CD reported, which carries ours unchanged; undefined: ours itself. */
  carriedBy?: string
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
  const release = new Release(opts.revision, deps)
  let lastSeen: AppObservation | undefined
  let lastLine = ''
  let lastRefresh = -Infinity
  let notFound = 0
  for (let polls = 1; ; polls++) {
    const refresh =
      opts.refresh &&
      (polls === 1 || (!!lastSeen && !release.runsIn(lastSeen))) &&
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
      const replaced = await release.follow(app, what)
      if (replaced) throw new ArgoCdWaitError(replaced, waited(), app)
      const line = describe(app, release)
      if (line !== lastLine) deps.log?.(`${what}: ${line}`)
      lastLine = line
      const failure = failureOf(app, release)
      if (failure) throw new ArgoCdWaitError(`${what} ${failure}`, waited(), app)
      if (isDone(app, release))
        return { app, waitedSeconds: waited(), polls, carriedBy: release.carrier(app) }
    }
    const left = deadline - now()
    if (left <= 0)
      throw new ArgoCdWaitError(
        `Timed out after ${opts.timeoutSeconds} s waiting for ${what} to be Synced to ${short(opts.revision)} and Healthy: ${timeoutFinding(lastSeen, notFound, opts, release)}`,
        waited(),
        lastSeen,
      )
    await pause(Math.min(pollInterval(polls, deps.random), left))
  }
}

const SHA = /^[0-9a-f]{40}$/

/**
 * Our release and the later commits found to carry it unchanged. Argo CD reports an app at the
 * branch's tip: after another app's release lands on top of ours, Synced at that commit is
 * Synced with our release, and a failure there is a failure of it.
 */
class Release {
  private readonly carriers = new Set<string>()
  private readonly known = new Map<string, Lineage>()
  readonly sha: string

  constructor(
    sha: string,
    private readonly deps: WaitDeps,
  ) {
    this.sha = sha.toLowerCase()
  }

  /** Whether a later commit can be found to carry ours (the deploy repository is read). */
  get checksLater(): boolean {
    return !!this.deps.lineage
  }

  /** The commits that run our release: ours, and those found to carry it. */
  get commits(): string[] {
    return [this.sha, ...this.carriers]
  }

  runsIn(app: AppObservation): boolean {
    return this.commits.some((c) => isAt(app, c))
  }

  /** The later commit the app is at, when it carries ours. */
  carrier(app: AppObservation): string | undefined {
    return isAt(app, this.sha) ? undefined : this.commits.find((c) => isAt(app, c))
  }

  /**
   * Asks once how the revision the app is at relates to ours. Only a single-source app's revision
   * is asked about: a multi-source app's revisions are of other repositories too. Returns why the
   * wait must stop when a later commit replaced our release.
   */
  async follow(app: AppObservation, what: string): Promise<string | undefined> {
    const revision = app.revision.toLowerCase()
    if (!this.deps.lineage || app.revisions.length || !SHA.test(revision) || isAt(app, this.sha))
      return undefined
    let lineage = this.known.get(revision)
    if (!lineage) {
      lineage = await this.deps.lineage(revision)
      this.known.set(revision, lineage)
      if (lineage.kind === 'carries') {
        this.carriers.add(revision)
        this.deps.log?.(
          `${what} is at ${short(revision)}, ${lineage.commits} commit(s) after ${short(this.sha)}, with the app's directory as this release left it: that commit carries this release`,
        )
      }
    }
    if (lineage.kind === 'replaced')
      return `${what} is at ${short(revision)}, ${lineage.commits} commit(s) after ${short(this.sha)}, which changed the app's directory again: this release was superseded by a later one before Argo CD reported it, so whether it ran cannot be verified (what Argo CD runs now is ${short(revision)}'s)`
    return undefined
  }
}

/** No operation (a sync, its hooks) is running: health and conditions are about what is applied. */
const settled = (app: AppObservation) =>
  !app.operation || ['Succeeded', ...TERMINAL_FAILURE].includes(app.operation.phase)

/** Synced at our commit (or one carrying it), Healthy, and no operation still running. */
function isDone(app: AppObservation, release: Release): boolean {
  return app.sync === 'Synced' && release.runsIn(app) && app.health === 'Healthy' && settled(app)
}

const SHA_IN_TEXT = /\b[0-9a-f]{40}\b/gi

/**
 * Why the wait stops early, about our commit only; undefined to go on waiting. While our sync
 * runs, the app still shows the previous sync's health and conditions: those are the past.
 */
function failureOf(app: AppObservation, release: Release): string | undefined {
  const ours = (sha: string) => release.commits.includes(sha.toLowerCase())
  const op = app.operation
  if (op && TERMINAL_FAILURE.includes(op.phase) && ours(op.revision))
    return `failed to sync ${short(op.revision)}${carried(op.revision, release)} (operation ${op.phase}): ${op.message || 'Argo CD gave no message'}`
  if (!release.runsIn(app) || !settled(app)) return undefined
  const at = release.carrier(app) ?? release.sha
  // A condition naming another commit ("Failed sync attempt to <sha>") is about that commit.
  const errors = app.errors.filter((c) =>
    [...c.message.matchAll(SHA_IN_TEXT)].every((m) => ours(m[0])),
  )
  if (errors.length)
    return `refused ${short(at)}${carried(at, release)}: ${errors.map((c) => `${c.type}: ${c.message}`).join('; ')}`
  if (app.health === 'Degraded' && app.sync === 'Synced')
    return `is Degraded at ${short(at)}${carried(at, release)}${app.healthMessage ? `: ${app.healthMessage}` : ''}${unhealthyList(app)}`
  return undefined
}

/** ` (which carries 1a2b3c4d5e6f)` for a later commit that carries ours; '' for ours. */
const carried = (sha: string, release: Release) =>
  sha.toLowerCase() === release.sha ? '' : ` (which carries ${short(release.sha)})`

const unhealthyList = (app: AppObservation) =>
  app.unhealthy.length ? `. Not healthy: ${app.unhealthy.map(describeResource).join('; ')}` : ''

/** `OutOfSync at 1a2b3c4d5e6f (not 0a1b2c3d4e5f), Healthy`. */
function describe(app: AppObservation, release: Release): string {
  const carrier = release.carrier(app)
  const at = app.revision
    ? `${short(app.revision)}${carrier ? carried(carrier, release) : release.runsIn(app) ? '' : ` (not ${short(release.sha)})`}`
    : 'no revision'
  const op = app.operation?.phase ? `, operation ${app.operation.phase}` : ''
  return `${app.sync || 'no sync status'} at ${at}, ${app.health || 'no health'}${op}`
}

function timeoutFinding(
  app: AppObservation | undefined,
  notFound: number,
  opts: ArgoCdWaitOptions,
  release: Release,
): string {
  if (!app)
    return notFound
      ? `the application was never found (Argo CD answered "not found" ${notFound} time(s)): is the ApplicationSet generating it, and is the name (or argocd-app-namespace) right?`
      : 'no answer was read'
  const parts = [`it was last ${describe(app, release)}`]
  if (!release.runsIn(app))
    parts.push(
      `Argo CD never reported ${short(opts.revision)}${release.checksLater ? ', or a later commit carrying it,' : ''} as the app's revision${opts.refresh ? '' : " (with 'refresh: false' it waits for its own poll of the repository, 3 minutes by default)"}`,
    )
  if (app.errors.length)
    parts.push(`its conditions: ${app.errors.map((c) => `${c.type}: ${c.message}`).join('; ')}`)
  if (app.unhealthy.length)
    parts.push(`not healthy: ${app.unhealthy.map(describeResource).join('; ')}`)
  return `${parts.join('. ')}.`
}
