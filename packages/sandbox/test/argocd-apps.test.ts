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

  it('a newer tip noticed mid-sync supersedes the older one: Synced only ever to the newest', async () => {
    // Its own Argo CD with slow syncs, so the second commit surely lands mid-sync.
    const slow = await startArgoCdSandbox({ github: gh, syncDelayMs: 1500, pollIntervalMs: 60_000 })
    try {
      slow.addAccount('bot')
      slow.setPolicy('g, bot, role:readonly')
      const bot = slow.accountToken('bot')
      slow.watchDeployRepo(DEPLOY, { project: 'my-proj' })
      const at = async (query = '') =>
        (await argoGet(slow.url, `/api/v1/applications/web.api${query}`, bot)).json
      const first = await release('api', 2)
      expect((await at('?refresh=normal')).status.operationState).toMatchObject({
        phase: 'Running',
        operation: { sync: { revision: first } },
      })
      const second = gh.addCommit(DEPLOY, {
        message: 'again',
        files: {
          [`${APPS}/web/api/manifests/deployment.yaml`]: 'kind: Deployment\nimage: api:3\n',
        },
      })
      const again = await at('?refresh=normal')
      expect(again.status.sync).toMatchObject({ status: 'OutOfSync', revision: second })
      expect(again.status.operationState.operation.sync.revision).toBe(second)
      const seen: App[] = []
      const deadline = Date.now() + 10_000
      for (;;) {
        const a = await at()
        seen.push(a)
        if (a.status.sync.status === 'Synced' && a.status.health.status === 'Healthy') break
        if (Date.now() > deadline) throw new Error(`never synced: ${JSON.stringify(a.status.sync)}`)
        await new Promise((r) => setTimeout(r, 50))
      }
      // The first sync's steps, due meanwhile, never showed: every answer is about `second`.
      for (const a of seen) {
        expect(a.status.sync.revision).toBe(second)
        expect(a.status.operationState.operation.sync.revision).toBe(second)
      }
      await client.ok(work, ...authArgs(writer), 'pull', '--quiet', 'origin', 'main')
    } finally {
      await slow.stop()
    }
  })

  it('SyncFailed: the operation fails with Argo CD’s words; the app stays OutOfSync at the new tip', async () => {
    const tip = await release('broken', 2)
    const refreshed = await get('web.broken', '?refresh=hard')
    expect(refreshed.json.status.operationState.phase).toBe('Running')
    const seen = await until('web.broken', (a) => a.status.operationState.phase !== 'Running')
    const last = seen.at(-1)
    expect(last.status.operationState).toMatchObject({
      phase: 'Failed',
      message: expect.stringMatching(
        /^one or more objects failed to apply, reason: Deployment\.apps "broken" is invalid: /,
      ),
      syncResult: { revision: tip },
    })
    expect(
      last.status.operationState.syncResult.resources.map((r: App) => [r.kind, r.status]),
    ).toEqual([
      ['Service', 'Synced'],
      ['Deployment', 'SyncFailed'],
    ])
    expect(last.status.sync).toMatchObject({ status: 'OutOfSync', revision: tip })
    expect(last.status.conditions).toEqual([
      {
        type: 'SyncError',
        message: expect.stringMatching(
          new RegExp(`^Failed sync attempt to ${tip}: one or more objects failed to apply`),
        ),
        lastTransitionTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      },
    ])
    expect(argo.application('web.broken')).toMatchObject({
      sync: 'OutOfSync',
      operationPhase: 'Failed',
    })
  })

  it('Degraded: synced to the tip, then health Degraded with a message and the resource that is not healthy', async () => {
    const tip = await release('sick', 2)
    await get('web.sick', '?refresh=normal')
    const seen = await until('web.sick', (a) => a.status.health.status === 'Degraded')
    const last = seen.at(-1)
    expect(last.status.sync).toMatchObject({ status: 'Synced', revision: tip })
    expect(last.status.health.message).toBe('Deployment "sick" exceeded its progress deadline')
    expect(last.status.resources.find((r: App) => r.kind === 'Deployment').health).toEqual({
      status: 'Degraded',
      message: 'Deployment "sick" exceeded its progress deadline',
    })
    expect(last.status.operationState.phase).toBe('Succeeded')
  })

  it('NeverSyncs: OutOfSync forever, still on the old revision (its old operation Succeeded)', async () => {
    const before = argo.application('web.stuck')!.revision!
    const tip = await release('stuck', 2)
    expect(tip).not.toBe(before)
    const refreshed = await get('web.stuck', '?refresh=normal')
    expect(refreshed.json.status.sync).toMatchObject({ status: 'OutOfSync', revision: before })
    await new Promise((r) => setTimeout(r, SYNC_DELAY * 4))
    const later = (await get('web.stuck', '?refresh=normal')).json
    expect(later.status.sync).toMatchObject({ status: 'OutOfSync', revision: before })
    expect(later.status.operationState).toMatchObject({
      phase: 'Succeeded',
      syncResult: { revision: before },
    })
    expect(argo.application('web.stuck')).toMatchObject({
      revision: before,
      sync: 'OutOfSync',
      refreshes: 2,
    })
  })

  it('IgnoresRefresh: a refresh changes nothing; only the controller’s poll notices the tip', async () => {
    const before = argo.application('web.deaf')!.revision!
    const tip = await release('deaf', 2)
    const refreshed = await get('web.deaf', '?refresh=normal')
    expect(refreshed.json.status.sync).toMatchObject({ status: 'Synced', revision: before })
    await new Promise((r) => setTimeout(r, SYNC_DELAY * 3))
    expect(argo.application('web.deaf')).toMatchObject({
      revision: before,
      sync: 'Synced',
      refreshes: 1,
    })
    // A second Argo CD on the same repo that polls every 200 ms.
    const polling = await startArgoCdSandbox({ github: gh, syncDelayMs: 20, pollIntervalMs: 200 })
    try {
      polling.addProject('my-proj', {
        roles: [
          { name: 'ci', policies: ['p, proj:my-proj:ci, applications, get, my-proj/*, allow'] },
        ],
      })
      polling.watchDeployRepo(DEPLOY, { project: 'my-proj', outcome: () => 'IgnoresRefresh' })
      expect(polling.application('web.deaf')).toMatchObject({ revision: tip, sync: 'Synced' })
      const next = await release('deaf', 3)
      const deadline = Date.now() + 5000
      while (
        polling.application('web.deaf')?.health !== 'Healthy' ||
        polling.application('web.deaf')?.revision !== next
      ) {
        if (Date.now() > deadline)
          throw new Error(`never polled: ${JSON.stringify(polling.application('web.deaf'))}`)
        await new Promise((r) => setTimeout(r, 25))
      }
    } finally {
      await polling.stop()
    }
  })

  it('the ApplicationSet follows pushes: a new config.yaml is a new app, reconciled at once; a removed one is gone', async () => {
    expect((await get('web.fresh')).status).toBe(403)
    const tip = await push({
      [`${APPS}/web/fresh/config.yaml`]: config('web', 'fresh', '1'.repeat(40)),
    })
    const seen = await until('web.fresh', (a) => a.status.health.status === 'Healthy')
    expect(seen.at(-1).status.sync).toEqual(
      expect.objectContaining({ status: 'Synced', revision: tip }),
    )
    await client.ok(work, 'rm', '--quiet', '-r', `${APPS}/web/fresh`)
    await push({})
    expect((await get('web.fresh')).status).toBe(403)
    expect(argo.application('web.fresh')).toBeUndefined()
  })
})

describe('notifications', () => {
  it('posts commit statuses from the controller’s transitions: pending, then success | failure | error', async () => {
    gh.addRepo('acme/svc')
    const shas = {
      ok: gh.addCommit('acme/svc', { message: 'ok' }),
      sick: gh.addCommit('acme/svc', { message: 'sick' }),
      broken: gh.addCommit('acme/svc', { message: 'broken' }),
      stuck: gh.addCommit('acme/svc', { message: 'stuck' }),
    }
    const notifying = await startArgoCdSandbox({
      github: gh,
      syncDelayMs: 20,
      pollIntervalMs: 60_000,
    })
    try {
      notifying.watchDeployRepo(DEPLOY, {
        project: 'my-proj',
        notifications: true,
        outcome: (name) =>
          (
            ({
              'svc.sick': 'Degraded',
              'svc.broken': 'SyncFailed',
              'svc.stuck': 'NeverSyncs',
            }) as Record<string, ArgoCdOutcome>
          )[name] ?? 'Healthy',
      })
      const cfg = (app: keyof typeof shas) =>
        [
          `app_repository: acme/svc`,
          `app_commit: ${shas[app]}`,
          `name: svc.${app}`,
          'namespace: svc',
          '',
        ].join('\n')
      await push({
        'c9/apps/svc/ok/config.yaml': cfg('ok'),
        'c9/apps/svc/sick/config.yaml': cfg('sick'),
        'c9/apps/svc/broken/config.yaml': cfg('broken'),
        'c9/apps/svc/stuck/config.yaml': cfg('stuck'),
      })
      const states = (app: keyof typeof shas) =>
        gh.statuses('acme/svc', shas[app]).map((s) => s.state)
      const deadline = Date.now() + 5000
      while (states('ok').length < 2 || states('sick').length < 2 || states('broken').length < 2) {
        if (Date.now() > deadline) throw new Error('statuses never came')
        await new Promise((r) => setTimeout(r, 20))
      }
      expect(states('ok')).toEqual(['success', 'pending'])
      expect(states('sick')).toEqual(['failure', 'pending'])
      expect(states('broken')).toEqual(['error', 'pending'])
      expect(states('stuck')).toEqual([])
      expect(gh.statuses('acme/svc', shas.ok)[0]).toMatchObject({
        context: 'continuous-delivery/svc.ok',
        description: 'ArgoCD',
        target_url: `${notifying.url}/applications/svc.ok`,
      })
      expect(gh.statuses('acme/svc', shas.ok)[0]!.creator).toBe('argocd-notifications')
      // Only these two: the file's main Argo CD also has svc.ok (same repo), but posts nothing.
      expect(argo.application('svc.ok')).toBeDefined()
    } finally {
      await notifying.stop()
    }
  })
})

describe('who may see an application', () => {
  it('403 permission denied for an app the token may not get, and for one that does not exist', async () => {
    const viewer = argo.projectToken('my-proj', 'ci')
    argo.addProject('other-proj', {
      roles: [
        { name: 'ci', policies: ['p, proj:other-proj:ci, applications, get, other-proj/*, allow'] },
      ],
    })
    const other = argo.projectToken('other-proj', 'ci')
    const denied = { error: 'permission denied', code: 7, message: 'permission denied' }
    for (const [name, token] of [
      ['web.web-app', other],
      ['web.nothing', viewer],
    ] as const) {
      const res = await get(name, '', token)
      expect(res.status).toBe(403)
      expect(res.json).toEqual(denied)
      // A refresh asked by someone who may not see the app changes nothing.
      expect((await get(name, '?refresh=hard', token)).status).toBe(403)
    }
    expect(argo.application('web.web-app')!.refreshes).toBe(1)
  })

  it('404 only when the caller named the project and may get apps there', async () => {
    const res = await get('web.nothing', '?project=my-proj')
    expect(res.status).toBe(404)
    expect(res.json).toEqual({
      error: 'applications.argoproj.io "web.nothing" not found',
      code: 5,
      message: 'applications.argoproj.io "web.nothing" not found',
    })
    expect((await get('web.nothing', '?project=other-proj')).status).toBe(403)
    expect((await get('web.web-app', '?project=my-proj')).status).toBe(200)
  })

  it('the list holds only what the caller may get', async () => {
    argo.setPolicy('p, lister, applications, get, my-proj/web.api, allow')
    argo.addAccount('lister')
    const res = await argoGet(argo.url, '/api/v1/applications', argo.accountToken('lister'))
    expect(res.status).toBe(200)
    expect(res.json.items.map((a: App) => a.metadata.name)).toEqual(['web.api'])
    expect(res.json.metadata.resourceVersion).toMatch(/^\d+$/)
    const all = await argoGet(argo.url, '/api/v1/applications?projects=my-proj', ci)
    expect(all.json.items.map((a: App) => a.metadata.name).sort()).toEqual([
      'web.api',
      'web.broken',
      'web.deaf',
      'web.sick',
      'web.stuck',
      'web.web-app',
    ])
    argo.setPolicy('')
  })

  it('apps in another namespace: found only with appNamespace, judged as <project>/<namespace>/<app>', async () => {
    const repo = 'acme/team-deploy'
    gh.addRepo(repo, {
      git: true,
      files: { [`c1/apps/web/portal/config.yaml`]: config('web', 'portal', '2'.repeat(40)) },
    })
    argo.addProject('team', {
      roles: [
        { name: 'ns', policies: ['p, proj:team:ns, applications, get, team/team-a/*, allow'] },
        { name: 'flat', policies: ['p, proj:team:flat, applications, get, team/web.*, allow'] },
      ],
    })
    argo.watchDeployRepo(repo, { project: 'team', appNamespace: 'team-a' })
    const ns = argo.projectToken('team', 'ns')
    expect((await get('web.portal', '', ns)).status).toBe(403)
    const found = await get('web.portal', '?appNamespace=team-a', ns)
    expect(found.status).toBe(200)
    expect(found.json.metadata).toMatchObject({ name: 'web.portal', namespace: 'team-a' })
    expect(
      (await get('web.portal', '?appNamespace=team-a', argo.projectToken('team', 'flat'))).status,
    ).toBe(403)
    expect(argo.application('web.portal', 'team-a')).toMatchObject({
      sync: 'Synced',
      health: 'Healthy',
    })
    expect(argo.application('web.portal')).toBeUndefined()
  })
})
