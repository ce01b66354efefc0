// The Argo CD double's applications and controller over a git-backed deploy repo of the GitHub
// double: apps generated from `<cluster>/apps/*/*/config.yaml`, pushes with the real git client,
// refresh or poll noticing the new tip, then OutOfSync/Running -> Synced/Progressing -> Healthy
// (or the outcome fixture), and answers shaped like Argo CD's swagger `v1alpha1Application`.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  startArgoCdSandbox,
  startGitHubSandbox,
  type ArgoCdOutcome,
  type ArgoCdSandbox,
  type GitHubSandbox,
} from '../src/index.js'
import { argoGet } from './helpers/argocd.js'
import { authArgs, gitClient, type GitClient } from './helpers/git.js'

const DEPLOY = 'acme/argocd-deploy-non-prod'
const APPS = 'plat/use2-dev/apps'
const SYNC_DELAY = 150
let gh: GitHubSandbox
let argo: ArgoCdSandbox
let client: GitClient
let writer: string
let work: string
let ci: string
const outcomes = new Map<string, ArgoCdOutcome>()

const config = (ns: string, app: string, sha: string) =>
  [
    `app_repository: acme/${app}`,
    `app_commit: ${sha}`,
    `name: ${ns}.${app}`,
    `namespace: ${ns}`,
    `manifests: ${APPS}/${ns}/${app}/manifests`,
    '',
  ].join('\n')

/** Writes files into the working clone, commits and pushes to main; the new tip. */
async function push(files: Record<string, string>, message = 'deploy'): Promise<string> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(work, file)), { recursive: true })
    await writeFile(path.join(work, file), text)
  }
  await client.ok(work, 'add', '-A')
  await client.ok(work, 'commit', '--quiet', '-m', message)
  await client.ok(work, ...authArgs(writer), 'push', '--quiet', 'origin', 'HEAD:main')
  return (await client.ok(work, 'rev-parse', 'HEAD')).trim()
}

const release = (app: string, n: number) =>
  push({
    [`${APPS}/web/${app}/manifests/deployment.yaml`]: `kind: Deployment\nimage: ${app}:${n}\n`,
  })

async function get(name: string, query = '', token = ci) {
  const res = await argoGet(argo.url, `/api/v1/applications/${name}${query}`, token)
  return res
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are asserted field by field
type App = any

/** Polls the app (no refresh) until `done` holds; every answer seen, oldest first. */
async function until(name: string, done: (app: App) => boolean, ms = 5000): Promise<App[]> {
  const seen: App[] = []
  const deadline = Date.now() + ms
  for (;;) {
    const res = await get(name)
    expect(res.status).toBe(200)
    seen.push(res.json)
    if (done(res.json)) return seen
    if (Date.now() > deadline)
      throw new Error(`${name} never got there: ${JSON.stringify(res.json.status)}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

beforeAll(async () => {
  gh = await startGitHubSandbox()
  gh.addOrg('acme')
  gh.addRepo(DEPLOY, {
    git: true,
    files: {
      'plat/use2-dev/argocd/applicationset.yaml': 'kind: ApplicationSet\n',
      [`${APPS}/web/web-app/config.yaml`]: config('web', 'web-app', 'a'.repeat(40)),
      [`${APPS}/web/api/config.yaml`]: config('web', 'api', 'b'.repeat(40)),
      [`${APPS}/web/broken/config.yaml`]: config('web', 'broken', 'c'.repeat(40)),
      [`${APPS}/web/sick/config.yaml`]: config('web', 'sick', 'd'.repeat(40)),
      [`${APPS}/web/stuck/config.yaml`]: config('web', 'stuck', 'e'.repeat(40)),
      [`${APPS}/web/deaf/config.yaml`]: config('web', 'deaf', 'f'.repeat(40)),
    },
  })
  writer = gh.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: [DEPLOY],
    permissions: { contents: 'write' },
  })
  client = await gitClient()
  work = path.join(client.home, 'work')
  await client.ok(
    client.home,
    ...authArgs(writer),
    'clone',
    '--quiet',
    `${gh.url}/${DEPLOY}.git`,
    work,
  )
  outcomes.set('web.broken', 'SyncFailed')
  outcomes.set('web.sick', 'Degraded')
  outcomes.set('web.stuck', 'NeverSyncs')
  outcomes.set('web.deaf', 'IgnoresRefresh')
  argo = await startArgoCdSandbox({ github: gh, syncDelayMs: SYNC_DELAY, pollIntervalMs: 60_000 })
  argo.addProject('my-proj', {
    roles: [
      { name: 'ci', policies: ['p, proj:my-proj:ci, applications, get, my-proj/web.*, allow'] },
    ],
  })
  argo.watchDeployRepo(DEPLOY, {
    project: 'my-proj',
    outcome: (name) => outcomes.get(name) ?? 'Healthy',
  })
  ci = argo.projectToken('my-proj', 'ci')
}, 60_000)

afterAll(async () => {
  await argo?.stop()
  await gh?.stop()
  await client?.cleanup()
})

describe('applications', () => {
  it('generates one app per config.yaml, synced and healthy at the tip it started on', async () => {
    const tip = gh.refs(DEPLOY)['refs/heads/main']!
    const res = await get('web.web-app')
    expect(res.status).toBe(200)
    expect(res.json.metadata).toMatchObject({ name: 'web.web-app', namespace: 'argocd' })
    expect(res.json.spec).toMatchObject({
      project: 'my-proj',
      source: {
        repoURL: `${gh.url}/${DEPLOY}.git`,
        path: `${APPS}/web/web-app/manifests`,
        targetRevision: 'main',
      },
      destination: { namespace: 'web' },
    })
    expect(res.json.status.sync).toMatchObject({ status: 'Synced', revision: tip })
    expect(res.json.status.health.status).toBe('Healthy')
    expect(argo.application('web.web-app')).toEqual({
      revision: tip,
      sync: 'Synced',
      health: 'Healthy',
      operationPhase: 'Succeeded',
      refreshes: 0,
    })
  })

  it('a refresh notices the pushed tip: OutOfSync + Running, then Synced to it, Progressing, Healthy', async () => {
    const before = gh.refs(DEPLOY)['refs/heads/main']!
    const tip = await release('web-app', 2)
    // Without a refresh nothing happens (the poll is a minute away).
    expect((await get('web.web-app')).json.status.sync).toMatchObject({
      status: 'Synced',
      revision: before,
    })
    const refreshed = await get('web.web-app', '?refresh=normal')
    expect(refreshed.status).toBe(200)
    expect(refreshed.json.status.sync).toMatchObject({ status: 'OutOfSync', revision: tip })
    expect(refreshed.json.status.operationState).toMatchObject({
      phase: 'Running',
      operation: { sync: { revision: tip } },
    })
    // Health stays Healthy (the old pods) while the sync runs: only Synced to `tip` and then
    // Healthy means the release is out.
    expect(refreshed.json.status.health.status).toBe('Healthy')
    const seen = await until(
      'web.web-app',
      (a) =>
        a.status.sync.status === 'Synced' &&
        a.status.sync.revision === tip &&
        a.status.health.status === 'Healthy',
    )
    const last = seen.at(-1)
    expect(last.status.sync).toMatchObject({ status: 'Synced', revision: tip })
    expect(last.status.operationState).toMatchObject({
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      syncResult: { revision: tip },
    })
    expect(last.status.resources.map((r: App) => [r.kind, r.status, r.health.status])).toEqual([
      ['Service', 'Synced', 'Healthy'],
      ['Deployment', 'Synced', 'Healthy'],
    ])
    expect(last.status.history.at(-1).revision).toBe(tip)
    // Progressing came between, and Synced never pointed at another revision on the way.
    expect(seen.some((a) => a.status.health.status === 'Progressing')).toBe(true)
    for (const a of seen.filter((a) => a.status.sync.status === 'Synced'))
      expect(a.status.sync.revision).toBe(tip)
    expect(argo.application('web.web-app')).toMatchObject({ revision: tip, refreshes: 1 })
    expect(Number(last.metadata.resourceVersion)).toBeGreaterThan(
      Number(refreshed.json.metadata.resourceVersion),
    )
  })
})
