// The ApplicationSet git files generator and the application controller, played over a deploy
// repository of the GitHub double. The generator follows every push (a webhook); the controller
// notices a new branch tip only on a refresh (GET ?refresh=) or on its own poll, then reports
// OutOfSync with a Running operation, then Synced to that revision and Progressing, then Healthy,
// unless the app's `outcome` fixture says Degraded, SyncFailed, NeverSyncs or IgnoresRefresh.
import { isoSeconds } from '../github/ids.js'
import { parseFlatYaml } from '../github/argocd.js'
import type { GitHubSandbox, PushEvent } from '../github/types.js'
import { CONTROL_PLANE_NAMESPACE, newApp, workloadName, type AppRecord } from './applications.js'
import type { ArgoCdOutcome, WatchDeployRepoOptions } from './types.js'

const CONFIG_PATH = /^(?:(.+)\/)?apps\/([^/]+)\/([^/]+)\/config\.yaml$/
const ZERO = '0'.repeat(40)

export interface ControllerOptions {
  github: GitHubSandbox | undefined
  pollIntervalMs: number
  syncDelayMs: number
  sleep(ms: number): Promise<void>
  ensureProject(name: string): void
  /** The server's URL, for statuses' target_url. */
  url(): string
}

interface Watch {
  fullName: string
  branch: string
  project: string
  appNamespace: string
  outcome: (appName: string) => ArgoCdOutcome
  notifications: boolean
  unsubscribe: () => void
}

export class AppController {
  /** `<namespace>/<name>` -> application. */
  readonly apps = new Map<string, AppRecord>()
  private readonly watches: Watch[] = []
  private readonly timers = new Set<NodeJS.Timeout>()

  constructor(private readonly opts: ControllerOptions) {}

  app(name: string, namespace = CONTROL_PLANE_NAMESPACE): AppRecord | undefined {
    return this.apps.get(`${namespace}/${name}`)
  }

  watch(fullName: string, opts: WatchDeployRepoOptions): void {
    const github = this.opts.github
    if (!github) throw new Error('watchDeployRepo: start the Argo CD sandbox with { github }')
    github.gitDir(fullName) // throws unless the repo is git-backed
    const refs = github.refs(fullName)
    const heads = Object.keys(refs).filter((r) => r.startsWith('refs/heads/'))
    const branch =
      opts.branch ??
      (refs['refs/heads/main'] ? 'main' : heads.length === 1 ? heads[0]!.slice(11) : undefined)
    if (!branch || !refs[`refs/heads/${branch}`])
      throw new Error(
        `watchDeployRepo: ${fullName} has no branch ${branch ?? 'main'} (pass branch)`,
      )
    const watch: Watch = {
      fullName,
      branch,
      project: opts.project,
      appNamespace: opts.appNamespace ?? CONTROL_PLANE_NAMESPACE,
      outcome: opts.outcome ?? (() => 'Healthy'),
      notifications: opts.notifications ?? false,
      unsubscribe: () => {},
    }
    this.opts.ensureProject(opts.project)
    watch.unsubscribe = github.onPush(fullName, (e: PushEvent) => {
      if (e.ref === `refs/heads/${branch}` && e.after !== ZERO) this.generate(watch, e.after, false)
    })
    // What the repo holds now has long been synced.
    this.generate(watch, refs[`refs/heads/${branch}`]!, true)
    this.watches.push(watch)
    const poll = setInterval(() => {
      const tip = github.refs(fullName)[`refs/heads/${branch}`]
      if (!tip) return
      for (const app of this.apps.values())
        if (app.deployRepo === fullName && app.branch === branch) this.notice(app, tip)
    }, this.opts.pollIntervalMs)
    poll.unref()
    this.timers.add(poll)
  }

  /** The ApplicationSet generator: one Application per config.yaml at this revision. */
  private generate(watch: Watch, revision: string, initial: boolean): void {
    const files = this.opts.github!.tree(watch.fullName, revision)
    const seen = new Set<string>()
    for (const [path, text] of Object.entries(files)) {
      const m = CONFIG_PATH.exec(path)
      if (!m) continue
      const cfg = parseFlatYaml(text)
      const name = cfg['name'] || `${m[2]}.${m[3]}`
      const key = `${watch.appNamespace}/${name}`
      seen.add(key)
      if (this.apps.has(key)) continue
      const app = newApp({
        name,
        namespace: watch.appNamespace,
        project: watch.project,
        deployRepo: watch.fullName,
        configPath: path,
        notifications: watch.notifications,
        repoURL: `${this.opts.github!.url}/${watch.fullName}.git`,
        path: cfg['manifests'] || path.slice(0, -'/config.yaml'.length),
        branch: watch.branch,
        destNamespace: cfg['namespace'] || m[2]!,
        outcome: watch.outcome(name),
      })
      this.apps.set(key, app)
      if (initial) this.settle(app, revision)
      // A new Application is reconciled as soon as it appears (whatever its refresh fixture).
      else this.notice(app, revision)
    }
    for (const [key, app] of this.apps)
      if (app.deployRepo === watch.fullName && app.branch === watch.branch && !seen.has(key))
        this.apps.delete(key)
  }

  /** An app that was synced and healthy at this revision before the sandbox started. */
  private settle(app: AppRecord, revision: string): void {
    const now = isoSeconds()
    app.target = revision
    app.sync = { status: 'Synced', revision }
    app.health = { status: 'Healthy', since: now }
    app.workload = { status: 'Healthy' }
    app.operation = {
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      revision,
      startedAt: now,
      finishedAt: now,
      result: [
        { status: 'Synced', message: `service/${workloadName(app)} created` },
        { status: 'Synced', message: `deployment.apps/${workloadName(app)} created` },
      ],
    }
    app.history.push({ id: 0, revision, deployedAt: now, deployStartedAt: now })
  }

  /** GET ?refresh=: compare with the branch tip now (unless the fixture ignores refreshes). */
  refresh(app: AppRecord): void {
    app.refreshes++
    if (app.outcome === 'IgnoresRefresh') return
    const tip = this.opts.github?.refs(app.deployRepo)[`refs/heads/${app.branch}`]
    if (tip) this.notice(app, tip)
  }

  private changed(app: AppRecord): void {
    app.resourceVersion++
    app.reconciledAt = isoSeconds()
  }

  /** The controller compares the app with `tip` (on a refresh, its poll, or a new app). */
  private notice(app: AppRecord, tip: string): void {
    app.reconciledAt = isoSeconds()
    if (app.target === tip) return
    app.target = tip
    if (app.outcome === 'NeverSyncs') {
      // The comparison shows the difference, but no sync ever starts: stays on the old revision.
      app.sync = { ...app.sync, status: 'OutOfSync' }
      this.changed(app)
      return
    }
    const startedAt = isoSeconds()
    app.sync = { status: 'OutOfSync', revision: tip }
    this.notify(app, tip, 'pending')
    app.operation = {
      phase: 'Running',
      message: 'one or more tasks are running',
      revision: tip,
      startedAt,
    }
    this.changed(app)
    const still = () => app.target === tip && this.apps.get(`${app.namespace}/${app.name}`) === app
    const workload = workloadName(app)
    void this.opts.sleep(this.opts.syncDelayMs).then(() => {
      if (!still()) return
      const finishedAt = isoSeconds()
      if (app.outcome === 'SyncFailed') {
        const reason = `Deployment.apps "${workload}" is invalid: spec.template.spec.containers[0].image: Required value`
        const message = `one or more objects failed to apply, reason: ${reason}`
        app.operation = {
          phase: 'Failed',
          message,
          revision: tip,
          startedAt,
          finishedAt,
          result: [
            { status: 'Synced', message: `service/${workload} unchanged` },
            { status: 'SyncFailed', message: reason },
          ],
        }
        app.conditions = [
          {
            type: 'SyncError',
            message: `Failed sync attempt to ${tip}: ${message}`,
            at: finishedAt,
          },
        ]
        this.changed(app)
        this.notify(app, tip, 'error')
        return
      }
      app.sync = { status: 'Synced', revision: tip }
      app.operation = {
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        revision: tip,
        startedAt,
        finishedAt,
        result: [
          { status: 'Synced', message: `service/${workload} unchanged` },
          { status: 'Synced', message: `deployment.apps/${workload} configured` },
        ],
      }
      app.conditions = []
      app.history.push({
        id: app.history.length,
        revision: tip,
        deployedAt: finishedAt,
        deployStartedAt: startedAt,
      })
      app.health = { status: 'Progressing', since: finishedAt }
      app.workload = {
        status: 'Progressing',
        message: `Waiting for rollout to finish: 0 of 1 updated replicas are available...`,
      }
      this.changed(app)
      void this.opts.sleep(this.opts.syncDelayMs).then(() => {
        if (!still()) return
        const at = isoSeconds()
        if (app.outcome === 'Degraded') {
          const message = `Deployment "${workload}" exceeded its progress deadline`
          app.health = { status: 'Degraded', message, since: at }
          app.workload = { status: 'Degraded', message }
        } else {
          app.health = { status: 'Healthy', since: at }
          app.workload = { status: 'Healthy' }
        }
        this.changed(app)
        this.notify(app, tip, app.outcome === 'Degraded' ? 'failure' : 'success')
      })
    })
  }

  /**
   * argocd-notifications' commit status for this app at `revision`: on config.yaml's
   * `app_repository` at `app_commit`, when that repository and commit exist in the GitHub double.
   */
  private notify(
    app: AppRecord,
    revision: string,
    state: 'pending' | 'success' | 'failure' | 'error',
  ) {
    if (!app.notifications) return
    const github = this.opts.github!
    const text = github.tree(app.deployRepo, revision)[app.configPath]
    const cfg = text === undefined ? {} : parseFlatYaml(text)
    const repo = cfg['app_repository']
    const sha = cfg['app_commit']?.toLowerCase()
    if (!repo || !sha || !/^[0-9a-f]{40}$/.test(sha)) return
    try {
      github.addStatus(repo, sha, {
        state,
        context: `continuous-delivery/${app.name}`,
        description: 'ArgoCD',
        target_url: `${this.opts.url()}/applications/${app.name}`,
        creator: 'argocd-notifications',
      })
    } catch {
      // No such repository or commit in the double: argocd-notifications' post would fail too.
    }
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t)
    this.timers.clear()
    for (const w of this.watches) w.unsubscribe()
  }
}
