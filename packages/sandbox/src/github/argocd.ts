// A stand-in for Argo CD + argocd-notifications on a git-backed deploy repository: the
// ApplicationSet's git files generator (`<cluster>/apps/*/*/config.yaml`) and the "synchronous
// mode" commit statuses (deploy-flow.md §1, §3): pending, then success | error | failure, on the
// application repository at the commit named by config.yaml's `app_commit`.
import type { Store } from './store.js'
import type { ArgoCdHandle, ArgoCdOptions, ArgoCdSync, PushEvent } from './types.js'

const APP_PATH = /^(?:(.+)\/)?apps\/([^/]+)\/([^/]+)\/.+$/

/** The flat `key: value` YAML of config.yaml (quotes removed, comments ignored). */
export function parseFlatYaml(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z0-9_.-]+):\s*(.*?)\s*$/.exec(line)
    if (!m) continue
    let value = m[2]!.replace(/\s+#.*$/, '')
    const quoted = /^"(.*)"$/.exec(value) ?? /^'(.*)'$/.exec(value)
    if (quoted) value = quoted[1]!
    out[m[1]!] = value
  }
  return out
}

export function enableArgoCd(
  store: Store,
  deployRepo: string,
  opts: ArgoCdOptions,
  sleep: (ms: number) => Promise<void>,
  subscribe: (handler: (e: PushEvent) => void) => () => void,
): ArgoCdHandle {
  const repo = store.mustRepo(deployRepo)
  if (!repo.git)
    throw new Error(`enableArgoCd: ${deployRepo} is not git-backed (addRepo git: true)`)
  const git = repo.git
  const delayMs = opts.delayMs ?? 200
  const base = (opts.url ?? 'https://argocd.example.test').replace(/\/+$/, '')
  const creator = opts.creator ?? 'argocd-notifications'
  const syncs: ArgoCdSync[] = []
  const pending = new Set<Promise<void>>()

  const post = (sync: ArgoCdSync, state: string): void => {
    const input = {
      state,
      context: `continuous-delivery/${sync.name}`,
      description: 'ArgoCD',
      target_url: `${base}/applications/${sync.name}`,
      creator,
    }
    const appRepo = store.repo(sync.appRepository!)
    if (appRepo) store.addStatus(appRepo, sync.appCommit!, input)
    if (opts.statusOnDeployRepo) store.addStatus(repo, sync.revision, input)
  }

  const onPush = (event: PushEvent): void => {
    const branch = opts.branch ?? repo.defaultBranch
    if (event.ref !== `refs/heads/${branch}` || event.after === '0'.repeat(40)) return
    const dirs = new Map<string, { namespace: string; app: string }>()
    for (const path of git.changedPaths(event.before, event.after)) {
      const m = APP_PATH.exec(path)
      if (!m) continue
      const dir = `${m[1] ? `${m[1]}/` : ''}apps/${m[2]}/${m[3]}`
      dirs.set(dir, { namespace: m[2]!, app: m[3]! })
    }
    for (const [dir, { namespace, app }] of dirs) {
      const config = `${dir}/config.yaml`
      const sync: ArgoCdSync = {
        name: `${namespace}.${app}`,
        namespace,
        app,
        config,
        revision: event.after,
        result: 'skipped',
      }
      syncs.push(sync)
      const entry = git.entry(event.after, config)
      if (!entry || entry.type !== 'blob') {
        sync.reason = 'no config.yaml (application deleted or not generated)'
        continue
      }
      const cfg = parseFlatYaml(git.blob(entry.oid).toString('utf8'))
      if (cfg['name']) sync.name = cfg['name']
      if (cfg['namespace']) sync.namespace = cfg['namespace']
      if (cfg['app_repository']) sync.appRepository = cfg['app_repository']
      if (cfg['app_commit']) sync.appCommit = cfg['app_commit'].toLowerCase()
      if (!sync.appRepository || !sync.appCommit) {
        sync.reason = 'config.yaml lacks app_repository or app_commit'
        continue
      }
      const appRepo = store.repo(sync.appRepository)
      if (!appRepo) {
        sync.reason = `unknown repository ${sync.appRepository}`
        continue
      }
      if (!/^[0-9a-f]{40}$/.test(sync.appCommit)) {
        sync.reason = `app_commit is not a full sha: ${sync.appCommit}`
        continue
      }
      if (!appRepo.commits.has(sync.appCommit)) {
        if (appRepo.git || opts.createMissingCommits === false) {
          sync.reason = `${sync.appRepository} has no commit ${sync.appCommit}`
          continue
        }
        store.ensureCommit(appRepo, sync.appCommit)
      }
      const final = opts.outcome ? opts.outcome(sync) : 'success'
      sync.result = 'pending'
      post(sync, 'pending')
      if (final === 'pending') continue
      const p: Promise<void> = sleep(delayMs)
        .then(() => {
          post(sync, final)
          sync.result = final
        })
        .finally(() => pending.delete(p))
      pending.add(p)
    }
  }

  const unsubscribe = subscribe(onPush)
  return {
    syncs,
    async idle() {
      while (pending.size > 0) await Promise.all([...pending])
    },
    disable() {
      unsubscribe()
    },
  }
}
