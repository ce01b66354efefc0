/**
 * `wait: argocd` (issue 15 part 2): the sync-argocd-deploy-repo bundle pushes a release to the
 * GitHub double's deploy repository, then waits for the Argo CD double (its ApplicationSet and
 * controller follow that repository) to report the app Synced to the pushed commit and Healthy.
 */
import { execFileSync } from 'node:child_process'
import {
  leaks,
  runBundle,
  startArgoCdSandbox,
  startFaultProxy,
  startGitHubSandbox,
  type ArgoCdOutcome,
  type ArgoCdSandbox,
  type BundleRun,
  type FaultProxy,
  type GitHubSandbox,
} from '@argocd-actions/sandbox'

const ACTION = 'sync-argocd-deploy-repo'
const DEPLOY = 'acme/argocd-deploy-non-prod'
const TEAM = 'acme/argocd-deploy-team'
const APPS = 'plat/use2-dev/apps'
const PROJECT = 'web'
const APP_SHA = 'c0ffee'.padEnd(40, '0')
// The controller's own poll: long enough that a refresh is seen to save it.
const POLL_MS = 4000

let gh: GitHubSandbox
let argo: ArgoCdSandbox
/** Never polls (10 min): only a refresh moves an app, and one that ignores it stays. */
let slow: ArgoCdSandbox
let proxy: FaultProxy
let writer: string
let ci: string
let slowCi: string
// Each app's fixture, fixed when the ApplicationSet generates it.
const outcomes = new Map<string, ArgoCdOutcome>([
  ['web.poll', 'IgnoresRefresh'],
  ['web.degraded', 'Degraded'],
  ['web.failed', 'SyncFailed'],
  ['web.never', 'NeverSyncs'],
])
const outcome = (name: string) => outcomes.get(name) ?? 'Healthy'
/** Apps released at once, each waiting for Argo CD. */
const PARALLEL = ['p1', 'p2', 'p3', 'p4', 'p5']

const existing = (app: string) => ({
  [`${APPS}/web/${app}/config.yaml`]: `name: web.${app}\nnamespace: web\nmanifests: ${APPS}/web/${app}/manifests\n`,
  [`${APPS}/web/${app}/kustomization.yaml`]: `images:\n  - name: ghcr.io/acme/${app}\n    newTag: v1.0.0\n`,
})

beforeAll(async () => {
  gh = await startGitHubSandbox()
  gh.addOrg('acme')
  const files: Record<string, string> = {
    'plat/use2-dev/argocd/applicationset.yaml': 'kind: ApplicationSet\n',
  }
  for (const app of [
    'ok',
    'fast',
    'poll',
    'degraded',
    'failed',
    'never',
    'older',
    'flaky',
    'canary',
    'carried',
    'superseded',
    'merged',
    'signed',
    ...PARALLEL,
  ])
    Object.assign(files, existing(app))
  gh.addRepo(DEPLOY, { git: true, files })
  gh.addRepo(TEAM, {
    git: true,
    files: {
      'plat/use2-dev/argocd/applicationset.yaml': 'kind: ApplicationSet\n',
      ...existing('team'),
    },
  })
  writer = gh.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: [DEPLOY, TEAM],
    permissions: { contents: 'write', pull_requests: 'write' },
  })
  const role = {
    name: 'ci',
    policies: [`p, proj:${PROJECT}:ci, applications, get, ${PROJECT}/*, allow`],
  }
  // May read one other app only.
  const narrow = {
    name: 'narrow',
    policies: [`p, proj:${PROJECT}:narrow, applications, get, ${PROJECT}/web.x, allow`],
  }
  argo = await startArgoCdSandbox({ github: gh, pollIntervalMs: POLL_MS })
  argo.addProject(PROJECT, { roles: [role, narrow] })
  argo.watchDeployRepo(DEPLOY, { project: PROJECT, outcome })
  argo.watchDeployRepo(TEAM, { project: PROJECT, appNamespace: 'team-apps', outcome })
  ci = argo.projectToken(PROJECT, 'ci', { expiresInSeconds: 3600 })
  slow = await startArgoCdSandbox({ github: gh, pollIntervalMs: 600_000 })
  slow.addProject(PROJECT, { roles: [role] })
  slow.watchDeployRepo(DEPLOY, {
    project: PROJECT,
    outcome: (name) => (name === 'web.older' ? 'IgnoresRefresh' : 'Healthy'),
  })
  slowCi = slow.projectToken(PROJECT, 'ci', { expiresInSeconds: 3600 })
  proxy = await startFaultProxy({ target: argo.url })
}, 60_000)
afterAll(async () => {
  await Promise.all([proxy?.stop(), slow?.stop(), argo?.stop(), gh?.stop()])
})
beforeEach(() => {
  argo.clearRequests()
  proxy.clearFaults()
})

let release = 0
/** An image bump of `app` (a new tag each time, so each run pushes), waiting for Argo CD. */
async function deploy(
  app: string,
  inputs: Record<string, string> = {},
  server = argo.url,
  token = ci,
): Promise<BundleRun> {
  const r = await runBundle(
    ACTION,
    {
      token: writer,
      repository: DEPLOY,
      path: APPS,
      namespace: 'web',
      application: app,
      image: `ghcr.io/acme/${app}`,
      tag: `v1.1.${++release}`,
      update: 'kustomize:kustomization.yaml',
      'app-repository': 'acme/web-app',
      'app-commit': APP_SHA,
      'git-url': gh.url,
      'github-api-url': gh.url,
      wait: 'argocd',
      'argocd-url': server,
      'argocd-token': token,
      'wait-timeout-seconds': '30',
      ...inputs,
    },
    { timeoutMs: 120_000 },
  )
  // Neither token, in any form, anywhere: logs, outputs, summary, files left behind.
  expect(leaks(r, writer)).toEqual([])
  expect(leaks(r, token)).toEqual([])
  return r
}
function expectOk(r: BundleRun): void {
  if (r.code !== 0) throw new Error(`expected success, got: ${r.errors.join('\n')}\n${r.stderr}`)
}
const tip = (repo = DEPLOY) => gh.refs(repo)['refs/heads/main']!
const appGets = (name: string) =>
  argo.requests.filter((q) => q.method === 'GET' && q.path === `/api/v1/applications/${name}`)
const waited = (r: BundleRun) => Number(/\| Waited \| (\d+) s \|/.exec(r.summary)?.[1] ?? NaN)

test('Synced to the pushed commit and Healthy: outputs, summary; the refresh saves the poll', async () => {
  const r = await deploy('ok')
  expectOk(r)
  expect(r.outputs).toMatchObject({
    changed: 'true',
    sha: tip(),
    'sync-status': 'Synced',
    'health-status': 'Healthy',
    'argocd-revision': tip(),
  })
  expect(argo.application('web.ok')).toMatchObject({ revision: tip(), health: 'Healthy' })
  // One refresh, then plain polls; every request authorized and scoped to the project.
  const gets = appGets('web.ok')
  expect(gets[0]!.query).toContain('refresh=normal')
  expect(gets.slice(1).every((q) => !q.query.includes('refresh'))).toBe(true)
  expect(gets.every((q) => q.authorized && q.query.includes(`project=${PROJECT}`))).toBe(true)
  // Well inside the controller's own poll interval: the refresh made Argo CD look at once.
  expect(waited(r)).toBeLessThan(POLL_MS / 1000)
  expect(r.summary).toMatch(/Argo CD: web\.ok Synced to [0-9a-f]{12} and Healthy/)
  expect(r.summary).toContain(`${argo.url}/applications/web.ok`)
})

test('with no poll at all, the refresh alone lands the release', async () => {
  const r = await deploy('fast', {}, slow.url, slowCi)
  expectOk(r)
  expect(r.outputs['argocd-revision']).toBe(tip())
  expect(slow.application('web.fast')).toMatchObject({ revision: tip(), refreshes: 1 })
})

test('an app that ignores the refresh is seen through the poll', async () => {
  const r = await deploy('poll')
  expectOk(r)
  expect(r.outputs['argocd-revision']).toBe(tip())
  expect(argo.application('web.poll')!.refreshes).toBeGreaterThan(0)
  // Whatever the wait saw before the controller's poll (the previous commit, or nothing if the
  // poll came first), it reported success only at the pushed commit.
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('Argo CD application web.poll:'))
  expect(lines.at(-1)).toMatch(new RegExp(`Synced at ${tip().slice(0, 12)}, Healthy`))
})

test('Degraded: fails in Argo CD words and lists the resources that are not healthy', async () => {
  const r = await deploy('degraded')
  expect(r.code).toBe(1)
  expect(r.errors.join('\n')).toMatch(
    /Argo CD application web\.degraded is Degraded at [0-9a-f]{12}: Deployment "degraded" exceeded its progress deadline/,
  )
  expect(r.errors.join('\n')).not.toContain('a bug in argocd-actions')
  expect(r.outputs).toMatchObject({
    changed: 'true',
    'sync-status': 'Synced',
    'health-status': 'Degraded',
    'argocd-revision': tip(),
  })
  expect(r.summary).toContain(
    '| Deployment | web/degraded | Degraded | Deployment "degraded" exceeded its progress deadline |',
  )
  expect(r.summary).not.toContain('| Service |')
})

test('a failed sync: stops with the operation message', async () => {
  const r = await deploy('failed')
  expect(r.code).toBe(1)
  expect(r.errors.join('\n')).toContain(
    `failed to sync ${tip().slice(0, 12)} (operation Failed): one or more objects failed to apply, reason: Deployment.apps "failed" is invalid`,
  )
  expect(r.outputs['sync-status']).toBe('OutOfSync')
  expect(r.summary).toContain('| Last operation | Failed: one or more objects failed to apply')
})

test('a revision that never arrives: a timeout naming the last revision seen', async () => {
  // The controller compares each new tip but never syncs: the app stays at its first revision.
  const before = argo.application('web.never')!.revision!
  const r = await deploy('never', { 'wait-timeout-seconds': '10' })
  expect(r.code).toBe(1)
  const error = r.errors.join('\n')
  expect(error).toContain('Timed out after 10 s waiting for Argo CD application web.never')
  expect(error).toContain(`last OutOfSync at ${before.slice(0, 12)} (not ${tip().slice(0, 12)})`)
  expect(r.outputs['argocd-revision']).toBe(before)
})

test('an older revision Synced and Healthy never counts', async () => {
  const before = slow.application('web.older')!.revision!
  const r = await deploy('older', { 'wait-timeout-seconds': '10' }, slow.url, slowCi)
  expect(r.code).toBe(1)
  expect(r.errors.join('\n')).toContain(
    `last Synced at ${before.slice(0, 12)} (not ${tip().slice(0, 12)}), Healthy`,
  )
  expect(r.outputs).toMatchObject({
    'sync-status': 'Synced',
    'health-status': 'Healthy',
    'argocd-revision': before,
  })
  expect(slow.application('web.older')!.refreshes).toBeGreaterThan(0)
})

/**
 * Another release lands on the branch right after ours, before Argo CD looks: Argo CD compares
 * the app at the branch's tip, so it reports that later commit, never ours.
 */
function landAfterOurs(files: Record<string, string>): { later: () => string } {
  let later = ''
  const off = gh.onPush(DEPLOY, (event) => {
    if (event.source !== 'push') return
    off()
    // Once the push is answered, before the bundle's first request to Argo CD can arrive.
    setImmediate(() => (later = gh.addCommit(DEPLOY, { files, message: 'Another release' })))
  })
  return { later: () => later }
}

test('another release lands right after ours: Synced at that later commit carries ours', async () => {
  const other = landAfterOurs({ [`${APPS}/web/neighbour/notes.txt`]: 'another app\n' })
  const r = await deploy('carried', {}, slow.url, slowCi)
  expectOk(r)
  const ours = r.outputs.sha!
  expect(other.later()).toBe(tip())
  expect(gh.tree(DEPLOY, ours)[`${APPS}/web/carried/kustomization.yaml`]).toContain('v1.1.')
  expect(r.outputs['argocd-revision']).toBe(tip())
  expect(slow.application('web.carried')).toMatchObject({ revision: tip(), health: 'Healthy' })
  expect(r.stdout).toContain(
    `is at ${tip().slice(0, 12)}, 1 commit(s) after ${ours.slice(0, 12)}, with the app's directory as this release left it`,
  )
  expect(r.summary).toContain(
    `Synced to ${ours.slice(0, 12)} (at ${tip().slice(0, 12)}, a later commit that carries it) and Healthy`,
  )
})

test('a later release of the same app before Argo CD looked: superseded, said so at once', async () => {
  const other = landAfterOurs({
    [`${APPS}/web/superseded/kustomization.yaml`]:
      'images:\n  - name: ghcr.io/acme/superseded\n    newTag: v9.9.9\n',
  })
  const r = await deploy('superseded', {}, slow.url, slowCi)
  expect(r.code).toBe(1)
  expect(other.later()).toBe(tip())
  expect(r.errors.join('\n')).toContain(
    `Argo CD application web.superseded is at ${tip().slice(0, 12)}, 1 commit(s) after ${r.outputs.sha!.slice(0, 12)}, which changed the app's directory again: this release was superseded`,
  )
  expect(r.outputs['argocd-revision']).toBe(tip())
  expect(waited(r)).toBeLessThan(10)
})

test('releases of five apps at once, each waiting: all done, at their commit or one carrying it', async () => {
  // Argo CD looks 5 s after each refresh is asked: by then the other releases have landed on top.
  const late = await startFaultProxy({ target: slow.url })
  late.injectFault({
    type: 'delay',
    ms: 5000,
    match: (q) => q.path.includes('refresh=normal'),
    times: PARALLEL.length,
  })
  const runs = await Promise.all(PARALLEL.map((app) => deploy(app, {}, late.url, slowCi)))
  await late.stop()
  const isAncestor = (a: string, b: string) => {
    try {
      execFileSync('git', ['merge-base', '--is-ancestor', a, b], { cwd: gh.gitDir(DEPLOY) })
      return true
    } catch {
      return false
    }
  }
  for (const r of runs) {
    expectOk(r)
    const { sha, 'argocd-revision': at } = r.outputs
    expect(isAncestor(sha!, at!)).toBe(true)
    if (at !== sha) expect(r.summary).toContain('a later commit that carries it')
  }
  // Those that landed before another were reported at a later commit (only the last is certain not to be).
  expect(runs.filter((r) => r.outputs['argocd-revision'] !== r.outputs.sha).length).toBeGreaterThan(
    0,
  )
})

test('transport: graphql: waits for the commit GitHub created and signed', async () => {
  const r = await deploy('signed', { transport: 'graphql' })
  expectOk(r)
  expect(r.outputs).toMatchObject({ verified: 'true', sha: tip(), 'argocd-revision': tip() })
  expect(argo.application('web.signed')).toMatchObject({ revision: tip(), health: 'Healthy' })
})

test('pull request with auto-merge: waits for the merge commit', async () => {
  const r = await deploy('merged', { mode: 'pull-request', 'auto-merge': 'true' })
  expectOk(r)
  expect(r.outputs['pull-request-url']).toMatch(/\/pull\/\d+$/)
  // The merge commit is the branch's tip, and what Argo CD reported.
  expect(r.outputs.sha).toBe(tip())
  expect(r.outputs['argocd-revision']).toBe(tip())
  expect(gh.tree(DEPLOY)[`${APPS}/web/merged/kustomization.yaml`]).toContain(`v1.1.${release}`)
  expect(argo.application('web.merged')).toMatchObject({ revision: tip(), health: 'Healthy' })
})

test('401: a revoked token is explained, and not retried', async () => {
  const revoked = argo.projectToken(PROJECT, 'ci')
  argo.revokeToken(revoked)
  const r = await deploy('ok', {}, argo.url, revoked)
  expect(r.code).toBe(1)
  expect(r.errors.join('\n')).toMatch(
    /refreshing Argo CD application web\.ok: GET \/api\/v1\/applications\/web\.ok\?refresh=normal&project=web was refused with 401.*invalid, expired or revoked/,
  )
  expect(appGets('web.ok')).toHaveLength(1)
})

test("403: names the policy line that grants 'applications, get' on the app", async () => {
  const narrow = argo.projectToken(PROJECT, 'narrow')
  const r = await deploy('ok', {}, argo.url, narrow)
  expect(r.code).toBe(1)
  const error = r.errors.join('\n')
  expect(error).toContain('was refused with 403')
  expect(error).toContain(`p, proj:${PROJECT}:narrow, applications, get, ${PROJECT}/web.ok, allow`)
  expect(appGets('web.ok')).toHaveLength(1)
})

test('5xx (gRPC Unavailable) then recovery: retried, then Synced and Healthy', async () => {
  const unavailable = { error: 'connection refused', code: 14, message: 'connection refused' }
  proxy.injectFault({
    type: 'respond',
    status: 503,
    body: unavailable,
    match: (q) => q.path.startsWith('/api/v1/applications/web.flaky'),
    times: 2,
  })
  const r = await deploy('flaky', {}, proxy.url)
  expectOk(r)
  expect(r.outputs['argocd-revision']).toBe(tip())
  const through = proxy.requests.filter((q) => q.path.startsWith('/api/v1/applications/web.flaky'))
  expect(through.length).toBeGreaterThanOrEqual(3)
})

test('argocd-app-namespace: the Application outside the control-plane namespace', async () => {
  const r = await runBundle(
    ACTION,
    {
      token: writer,
      repository: TEAM,
      path: APPS,
      namespace: 'web',
      application: 'team',
      image: 'ghcr.io/acme/team',
      tag: 'v2.0.0',
      update: 'kustomize:kustomization.yaml',
      'app-repository': 'acme/web-app',
      'app-commit': APP_SHA,
      'git-url': gh.url,
      'github-api-url': gh.url,
      wait: 'argocd',
      'argocd-url': argo.url,
      'argocd-token': ci,
      'argocd-app-namespace': 'team-apps',
      'wait-timeout-seconds': '30',
    },
    { timeoutMs: 120_000 },
  )
  expectOk(r)
  expect(r.outputs['argocd-revision']).toBe(tip(TEAM))
  expect(argo.application('web.team', 'team-apps')).toMatchObject({ revision: tip(TEAM) })
  expect(appGets('web.team').every((q) => q.query.includes('appNamespace=team-apps'))).toBe(true)
})

describe('inputs', () => {
  test('wait: argocd without its URL or token: refused before anything is pushed', async () => {
    const before = tip()
    for (const [missing, input] of [
      [{ 'argocd-url': '' }, 'argocd-url'],
      [{ 'argocd-token': '' }, 'argocd-token'],
    ] as const) {
      const r = await deploy('canary', missing)
      expect(r.code).toBe(1)
      expect(r.errors[0]).toContain(`Input '${input}' is required with 'wait: argocd'`)
    }
    expect(tip()).toBe(before)
    expect(argo.requests).toEqual([])
  })

  test('the Argo CD token in another input is refused, never printed; nothing pushed', async () => {
    const before = tip()
    const r = await deploy('canary', { 'commit-message': `Deploy ${ci}` })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toMatch(/Input 'commit-message' contains the token/)
    expect(tip()).toBe(before)
  })

  test.each([
    ['wait', 'sometimes', /Input 'wait' has an unknown value/],
    ['argocd-url', 'argocd.acme.test', /Input 'argocd-url' is not an absolute URL/],
    ['wait-timeout-seconds', '3', /Input 'wait-timeout-seconds' must be between 10 and 21600/],
    ['refresh', 'maybe', /Input 'refresh' must be true or false/],
    ['argocd-app-namespace', 'Team_Apps', /Input 'argocd-app-namespace' must be a DNS label/],
    ['operation', 'destroy', /Input 'wait' 'argocd' waits for a deployed application/],
    ['mode', 'pull-request', /Input 'wait' 'argocd' needs the release on the branch/],
  ])('%s: %s is refused before anything is pushed', async (input, value, message) => {
    const before = tip()
    const r = await deploy('canary', { [input]: value })
    expect(r.code).toBe(1)
    expect(r.errors[0]).toMatch(message)
    expect(tip()).toBe(before)
    expect(argo.requests).toEqual([])
  })

  test('a dry run does not wait', async () => {
    const r = await deploy('canary', { 'dry-run': 'true' })
    expectOk(r)
    expect(r.stdout).toContain('Dry run: nothing pushed, so no wait for Argo CD.')
    expect(r.outputs['sync-status']).toBe('')
    expect(argo.requests).toEqual([])
  })
})
