import { execFile } from 'node:child_process'
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import {
  leaks,
  runBundle,
  startFaultProxy,
  startGitHubSandbox,
  type BundleRun,
  type GitHubSandbox,
} from '@argocd-actions/sandbox'

// transport: graphql, run as users run it (the bundle) against the GitHub sandbox's /graphql,
// which validates every document against GitHub's published schema and executes it on the same
// git repositories its smart-HTTP side serves.

const ACTION = 'sync-argocd-deploy-repo'
const DEPLOY = 'acme/argocd-deploy-gql'
const APPS = 'plat/use2-dev/apps'
const SHA = 'c0ffee'.padEnd(40, '0')
const run = promisify(execFile)

let gh: GitHubSandbox
let writer: string
let workspace: string

const resources = (name: string, host = `https://${name}.use2-dev.acme.test`) =>
  [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    '  annotations:',
    `    outputs.platform.cloudposse.com/webapp-url: ${host}`,
    '',
  ].join('\n')

beforeAll(async () => {
  gh = await startGitHubSandbox()
  gh.addOrg('acme')
  gh.addRepo(DEPLOY, {
    git: true,
    files: {
      'plat/use2-dev/argocd/applicationset.yaml': 'kind: ApplicationSet\n',
      [`${APPS}/web/kustomized/kustomization.yaml`]:
        '# pinned by release\nimages:\n  - name: ghcr.io/acme/kustomized # app image\n    newTag: v1.0.0\n',
      [`${APPS}/web/kustomized/config.yaml`]: 'app_hostname: https://kustomized.acme.test\n',
      [`${APPS}/web/helmed/config.yaml`]: 'name: web.helmed\n',
      [`${APPS}/web/helmed/values.yaml`]:
        'image:\n  repository: ghcr.io/acme/helmed\n  tag: v1.0.0 # current\nreplicas: 2\n',
      [`${APPS}/web/sourced/config.yaml`]: 'name: web.sourced\n',
      [`${APPS}/web/old/config.yaml`]: 'name: web.old\napp_commit: x\n',
      [`${APPS}/web/old/manifests/a/b/c/d/e/deep.yaml`]: 'kind: ConfigMap\n',
      [`${APPS}/web/old/manifests/gone.yaml`]: 'kind: ConfigMap\n',
    },
  })
  writer = gh.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: [DEPLOY],
    permissions: { contents: 'write' },
  })
  workspace = await mkdtemp(path.join(tmpdir(), 'sync-gql-'))
  await mkdir(path.join(workspace, 'rendered'))
  await writeFile(path.join(workspace, 'rendered', 'resources.yaml'), resources('web-app'))
  await mkdir(path.join(workspace, 'release-1'))
  await writeFile(
    path.join(workspace, 'release-1', 'resources.yaml'),
    resources('web-app', 'https://v1.acme.test'),
  )
})
afterAll(async () => {
  await gh.stop()
  await rm(workspace, { recursive: true, force: true })
})
beforeEach(() => {
  gh.clearRequests()
  gh.clearFaults()
})

function sync(inputs: Record<string, string>, token = writer, env: Record<string, string> = {}) {
  return runBundle(
    ACTION,
    {
      token,
      repository: DEPLOY,
      path: APPS,
      namespace: 'web',
      'app-repository': 'acme/web-app',
      'app-commit': SHA,
      'git-url': gh.url,
      'github-api-url': gh.url,
      transport: 'graphql',
      ...inputs,
    },
    { env: { GITHUB_WORKSPACE: workspace, ...env }, timeoutMs: 120_000 },
  )
}
const tree = (repo = DEPLOY, branch = 'main') => gh.tree(repo, branch)
const tip = (repo = DEPLOY, branch = 'main') => gh.refs(repo)[`refs/heads/${branch}`]
const mutations = () => gh.graphqlRequests.filter((r) => r.operationType === 'mutation')
const queries = () => gh.graphqlRequests.filter((r) => r.operationType === 'query')
const gitRequests = () => gh.requests.filter((r) => /\.git\//.test(r.path))
function expectOk(r: BundleRun): void {
  if (r.code !== 0) throw new Error(`expected success, got: ${r.errors.join('\n')}\n${r.stderr}`)
}
function expectRefused(r: BundleRun, ...parts: string[]): void {
  expect(r.code).toBe(1)
  for (const part of parts) expect(r.errors.join('\n')).toContain(part)
  expect(r.errors.join('\n')).not.toContain('a bug in argocd-actions')
}

describe('deploy through GraphQL', () => {
  test('manifests: the layout as the git transport writes it, in 2 requests, signed by GitHub', async () => {
    const before = tree()
    const r = await sync({ application: 'web-app', manifests: 'rendered' })
    expectOk(r)
    const after = tree()
    expect(after[`${APPS}/web/web-app/config.yaml`]).toBe(
      [
        'app_repository: acme/web-app',
        `app_commit: ${SHA}`,
        'app_hostname: https://web-app.use2-dev.acme.test',
        'name: web.web-app',
        'namespace: web',
        `manifests: ${APPS}/web/web-app/manifests`,
        '',
      ].join('\n'),
    )
    expect(after[`${APPS}/web/web-app/manifests/resources.yaml`]).toBe(resources('web-app'))
    for (const [p, content] of Object.entries(before)) expect(after[p]).toBe(content)
    // One query, one mutation, nothing else in a row: no git request, no REST call.
    expect(gh.requests.map((q) => `${q.method} ${q.path}`)).toEqual([
      'POST /graphql',
      'POST /graphql',
    ])
    expect(queries()).toHaveLength(1)
    expect(mutations()).toHaveLength(1)
    expect(mutations()[0].operationName).toBe('ArgocdReleaseCommit')
    expect(r.outputs).toMatchObject({
      changed: 'true',
      sha: tip(),
      verified: 'true',
      'commit-url': `${gh.url}/${DEPLOY}/commit/${tip()}`,
    })
    expect(gh.commitVerification(DEPLOY, r.outputs.sha)).toEqual({
      verified: true,
      reason: 'valid',
    })
    // The same message and trailers as a git push.
    const message = gh.graphqlRequests[1].variables as {
      input: { message: { headline: string; body: string } }
    }
    expect(message.input.message.headline).toBe(`Deploy acme/web-app@${SHA} to web.web-app`)
    expect(message.input.message.body).toContain('Argocd-App: web.web-app')
    expect(message.input.message.body).toContain(`App-Commit: ${SHA}`)
    expect(JSON.parse(r.outputs.files)).toEqual([
      { status: 'A', path: `${APPS}/web/web-app/config.yaml` },
      { status: 'A', path: `${APPS}/web/web-app/manifests/resources.yaml` },
    ])
  })

  test('the same release again is a no-op: no mutation, the current tip, verified false', async () => {
    expectOk(await sync({ application: 'noop', manifests: 'rendered' }))
    gh.clearRequests()
    const r = await sync({ application: 'noop', manifests: 'rendered' })
    expectOk(r)
    expect(r.outputs).toMatchObject({ changed: 'false', sha: tip(), verified: 'false' })
    expect(mutations()).toEqual([])
    expect(queries()).toHaveLength(1)
    expect(gitRequests()).toEqual([])
  })

  test('a release replacing a deep directory deletes every old file, and only those', async () => {
    const r = await sync({ application: 'old', manifests: 'rendered' })
    expectOk(r)
    const after = tree()
    expect(
      Object.keys(after)
        .filter((p) => p.startsWith(`${APPS}/web/old/`))
        .sort(),
    ).toEqual([`${APPS}/web/old/config.yaml`, `${APPS}/web/old/manifests/resources.yaml`])
    const input = (mutations()[0].variables as { input: { fileChanges: unknown } }).input
    expect(input.fileChanges).toMatchObject({
      deletions: [
        { path: `${APPS}/web/old/manifests/a/b/c/d/e/deep.yaml` },
        { path: `${APPS}/web/old/manifests/gone.yaml` },
      ],
    })
  })

  test('dry-run prints the diff and sends no mutation', async () => {
    expectOk(await sync({ application: 'dry', manifests: 'rendered' }))
    gh.clearRequests()
    const before = tip()
    const r = await sync({
      application: 'dry',
      manifests: 'release-1',
      'dry-run': 'true',
    })
    expectOk(r)
    expect(r.stdout).toContain(`-app_hostname: https://web-app.use2-dev.acme.test`)
    expect(r.stdout).toContain(`+app_hostname: https://v1.acme.test`)
    expect(r.outputs).toMatchObject({ changed: 'true', verified: 'false' })
    expect(mutations()).toEqual([])
    expect(tip()).toBe(before)
  })

  test('destroy removes the app directory and nothing else', async () => {
    expectOk(await sync({ application: 'doomed', manifests: 'rendered' }))
    const before = tree()
    const r = await sync({ application: 'doomed', operation: 'destroy' })
    expectOk(r)
    const after = tree()
    expect(Object.keys(after).some((p) => p.startsWith(`${APPS}/web/doomed/`))).toBe(false)
    for (const [p, content] of Object.entries(before))
      if (!p.startsWith(`${APPS}/web/doomed/`)) expect(after[p]).toBe(content)
    expect(r.outputs.verified).toBe('true')
  })
})

describe('image bumps keep comments and key order', () => {
  test('kustomize, helm values and argocd-source', async () => {
    const k = await sync({
      application: 'kustomized',
      image: 'ghcr.io/acme/kustomized',
      tag: 'v2.0.0',
      update: 'kustomize:kustomization.yaml',
    })
    expectOk(k)
    expect(tree()[`${APPS}/web/kustomized/kustomization.yaml`]).toBe(
      '# pinned by release\nimages:\n  - name: ghcr.io/acme/kustomized # app image\n    newTag: v2.0.0\n',
    )
    // config.yaml's hostname came from the old config.yaml, read in the same query.
    expect(tree()[`${APPS}/web/kustomized/config.yaml`]).toContain(
      'app_hostname: https://kustomized.acme.test',
    )
    const h = await sync({
      application: 'helmed',
      image: 'ghcr.io/acme/helmed',
      tag: 'v3.1.0',
      update: 'helm-values:values.yaml:image.tag',
    })
    expectOk(h)
    expect(tree()[`${APPS}/web/helmed/values.yaml`]).toBe(
      'image:\n  repository: ghcr.io/acme/helmed\n  tag: v3.1.0 # current\nreplicas: 2\n',
    )
    const s = await sync({
      application: 'sourced',
      image: 'ghcr.io/acme/sourced',
      tag: 'v4',
      update: 'argocd-source',
    })
    expectOk(s)
    expect(tree()[`${APPS}/web/sourced/.argocd-source-sourced.yaml`]).toBe(
      'kustomize:\n  images:\n    - ghcr.io/acme/sourced:v4\n',
    )
    // Each bump: one read, one write.
    expect(gh.requests.map((q) => q.path)).toEqual(Array(6).fill('/graphql'))
  })
})

/** A deploy repository whose main takes pull requests only, and a token that may open them. */
function protectedRepo(repo: string): { repo: string; token: string } {
  gh.addRepo(repo, { git: true, files: { 'README.md': '# prod\n' } })
  gh.protectBranch(repo, 'main')
  const token = gh.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: [repo],
    permissions: { contents: 'write', pull_requests: 'write' },
  })
  return { repo, token }
}

describe('pull-request mode', () => {
  test('the commit goes on the release branch (created by REST), the pull request opens', async () => {
    const { repo, token } = protectedRepo('acme/argocd-deploy-gql-pr')
    const base = tip(repo)
    const r = await sync(
      { repository: repo, application: 'web-app', manifests: 'rendered', mode: 'pull-request' },
      token,
    )
    expectOk(r)
    const branch = `argocd/web.web-app/${SHA.slice(0, 12)}`
    expect(tip(repo)).toBe(base)
    expect(tip(repo, branch)).toBe(r.outputs.sha)
    expect(r.outputs['pull-request-url']).toMatch(/\/acme\/argocd-deploy-gql-pr\/pull\/\d+$/)
    expect(r.outputs.verified).toBe('true')
    expect(tree(repo, branch)[`${APPS}/web/web-app/manifests/resources.yaml`]).toBe(
      resources('web-app'),
    )
    // A second release of the same commit resets the branch to main and commits again.
    const again = await sync(
      {
        repository: repo,
        application: 'web-app',
        manifests: 'release-1',
        mode: 'pull-request',
        'auto-merge': 'true',
      },
      token,
    )
    expectOk(again)
    expect(tree(repo)[`${APPS}/web/web-app/config.yaml`]).toContain('https://v1.acme.test')
  })
})

describe('pull-request mode, a lost answer', () => {
  test('a commit whose answer was lost but landed is found on the release branch, not made twice', async () => {
    const { repo, token } = protectedRepo('acme/argocd-deploy-gql-pr-lost')
    // A proxy carries the mutation to GitHub, then drops the connection instead of answering.
    const proxy = await startFaultProxy({ target: gh.url })
    proxy.injectFault({
      type: 'lose-answer',
      match: (q) => q.body.toString().includes('ArgocdReleaseCommit'),
    })
    const base = tip(repo)
    const r = await sync(
      {
        repository: repo,
        application: 'web-app',
        manifests: 'rendered',
        mode: 'pull-request',
        'github-api-url': proxy.url,
      },
      token,
    ).finally(() => proxy.stop())
    expectOk(r)
    expect(r.stdout).toContain('its answer was lost or unreadable')
    expect(r.stdout).toContain("is this release's commit: it landed")
    // One mutation, never repeated, and the release branch was not reset under it.
    expect(mutations()).toHaveLength(1)
    expect(
      gh.requests.filter((q) => q.method === 'PATCH' && q.path.includes('/git/refs/')),
    ).toEqual([])
    const branch = `argocd/web.web-app/${SHA.slice(0, 12)}`
    expect(tip(repo, branch)).toBe(r.outputs.sha)
    const log = await run('git', [
      '--git-dir',
      gh.gitDir(repo),
      'rev-list',
      `${base}..${tip(repo, branch)}`,
    ])
    expect(log.stdout.trim().split('\n')).toEqual([r.outputs.sha])
    expect(r.outputs).toMatchObject({ changed: 'true', verified: 'true' })
    expect(r.outputs['pull-request-url']).toMatch(/\/acme\/argocd-deploy-gql-pr-lost\/pull\/\d+$/)
  })
})

describe('the environment map', () => {
  test('gives the deploy repo, cluster path and namespace', async () => {
    gh.addRepo('acme/infra-repo', {
      git: true,
      files: {
        '.github/environments/argocd.yml': [
          'environments:',
          '  dev:',
          `    repository: ${DEPLOY}`,
          '    cluster: plat/use2-dev',
          '    namespace: mapped',
          '',
        ].join('\n'),
      },
    })
    const token = gh.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: [DEPLOY, 'acme/infra-repo'],
      permissions: { contents: 'write' },
    })
    const r = await runBundle(
      ACTION,
      {
        token,
        environment: 'dev',
        'infra-repository': 'acme/infra-repo',
        application: 'env-app',
        manifests: 'rendered',
        'app-repository': 'acme/web-app',
        'app-commit': SHA,
        'git-url': gh.url,
        'github-api-url': gh.url,
        transport: 'graphql',
      },
      { env: { GITHUB_WORKSPACE: workspace } },
    )
    expectOk(r)
    expect(tree()[`${APPS}/mapped/env-app/config.yaml`]).toContain('namespace: mapped')
    expect(r.outputs.verified).toBe('true')
  })
})

describe('a lost race', () => {
  test('a commit landing between the read and the mutation: read again, applied on the new tip', async () => {
    // The mutation is held for a moment; another writer commits meanwhile.
    gh.injectFault({ type: 'delay', ms: 1500, path: '/graphql', operation: 'mutation' })
    const running = sync({ application: 'raced', manifests: 'rendered' })
    const deadline = Date.now() + 60_000
    while (!mutations().length && Date.now() < deadline) await sleep(20)
    gh.addCommit(DEPLOY, { files: { [`${APPS}/web/other/config.yaml`]: 'name: web.other\n' } })
    const r = await running
    expectOk(r)
    expect(r.stdout).toContain('lost a race with another writer')
    const after = tree()
    expect(after[`${APPS}/web/other/config.yaml`]).toBe('name: web.other\n')
    expect(after[`${APPS}/web/raced/manifests/resources.yaml`]).toBe(resources('web-app'))
    expect(mutations()).toHaveLength(2)
    expect(queries()).toHaveLength(2)
    expect(r.summary).toContain('| Attempts | 2 |')
  })

  test('a commit whose answer was lost but landed: found on the branch, not made twice', async () => {
    // A proxy carries the mutation to GitHub, then drops the connection instead of answering.
    const proxy = await startFaultProxy({ target: gh.url })
    proxy.injectFault({
      type: 'lose-answer',
      match: (q) => q.body.toString().includes('ArgocdReleaseCommit'),
    })
    const before = tip()
    const r = await sync({
      application: 'lost-answer',
      manifests: 'rendered',
      'github-api-url': proxy.url,
    }).finally(() => proxy.stop())
    expectOk(r)
    expect(r.stdout).toContain('its answer was lost or unreadable')
    expect(r.stdout).toContain("is this release's commit: it landed")
    // One commit on the tip we started from, and it is the one reported.
    expect(tip()).toBe(r.outputs.sha)
    const log = await run('git', [
      '--git-dir',
      gh.gitDir(DEPLOY),
      'rev-list',
      `${before}..${tip()}`,
    ])
    expect(log.stdout.trim().split('\n')).toHaveLength(1)
    expect(r.outputs).toMatchObject({ changed: 'true', verified: 'true' })
    expect(JSON.parse(r.outputs.files)).toContainEqual({
      status: 'A',
      path: `${APPS}/web/lost-answer/config.yaml`,
    })
  })

  test('5 concurrent releases of different apps all land', async () => {
    const runs = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => sync({ application: `many-${n}`, manifests: 'rendered' })),
    )
    for (const r of runs) expectOk(r)
    const after = tree()
    for (const n of [1, 2, 3, 4, 5])
      expect(after[`${APPS}/web/many-${n}/manifests/resources.yaml`]).toBe(resources('web-app'))
  }, 240_000)
})

describe('signed commits required', () => {
  for (const via of ['branch-protection', 'ruleset'] as const) {
    test(`${via}: git is refused with the way out; graphql is accepted and verified`, async () => {
      const repo = `acme/argocd-deploy-signed-${via}`
      gh.addRepo(repo, { git: true, files: { 'README.md': '# signed\n' } })
      gh.requireSignedCommits(repo, 'main', { via })
      const token = gh.addToken({
        kind: 'fine-grained',
        owner: 'acme',
        repositories: [repo],
        permissions: { contents: 'write' },
      })
      const byGit = await sync(
        { repository: repo, application: 'web-app', manifests: 'rendered', transport: 'git' },
        token,
      )
      expectRefused(
        byGit,
        'requires signed commits',
        via === 'ruleset' ? 'GH013' : 'GH006',
        'Use transport: graphql with a GitHub App installation token',
      )
      const byGraphql = await sync(
        { repository: repo, application: 'web-app', manifests: 'rendered' },
        token,
      )
      expectOk(byGraphql)
      expect(byGraphql.outputs.verified).toBe('true')
      expect(gh.commitVerification(repo, tip(repo))).toEqual({ verified: true, reason: 'valid' })
    })
  }
})

describe('refused, with nothing committed', () => {
  /** A commit with an executable file and a symbolic link in an app directory, pushed by git. */
  async function pushModes(app: string): Promise<void> {
    const dir = await mkdtemp(path.join(tmpdir(), 'modes-'))
    const auth = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${writer}`).toString('base64')}`
    const git = (...args: string[]) =>
      run('git', ['-c', `http.extraHeader=${auth}`, ...args], { cwd: dir })
    try {
      await git('clone', '-q', `${gh.url}/${DEPLOY}.git`, '.')
      const base = path.join(dir, APPS, 'web', app)
      await mkdir(path.join(base, 'manifests'), { recursive: true })
      await writeFile(path.join(base, 'config.yaml'), `name: web.${app}\napp_commit: x\n`)
      await writeFile(path.join(base, 'manifests', 'run.sh'), '#!/bin/sh\n')
      await chmod(path.join(base, 'manifests', 'run.sh'), 0o755)
      await symlink('run.sh', path.join(base, 'manifests', 'link.yaml'))
      await git('add', '-A')
      await git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'modes')
      await git('push', '-q', 'origin', 'HEAD:main')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  test('a symbolic link or an executable file the release would touch', async () => {
    await pushModes('modes')
    gh.clearRequests()
    const before = tip()
    const r = await sync({ application: 'modes', manifests: 'rendered' })
    expectRefused(r, 'createCommitOnBranch writes plain files only', 'Use transport: git')
    expect(r.errors.join('\n')).toMatch(/is (a symbolic link|an executable file)/)
    expect(mutations()).toEqual([])
    expect(tip()).toBe(before)
  })

  test('a release larger than the mutation takes: names the size and the limit', async () => {
    // A chart's templates are written as they are: three of 9 MiB, 36 MiB as base64.
    const chart = path.join(workspace, 'big-chart')
    await mkdir(path.join(chart, 'templates'), { recursive: true })
    await writeFile(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: big\nversion: 1.0.0\n')
    for (const n of [1, 2, 3])
      await writeFile(path.join(chart, 'templates', `big-${n}.tpl`), 'x'.repeat(9 * 1024 * 1024))
    const before = tip()
    const r = await sync({ application: 'huge', manifests: 'big-chart' })
    expectRefused(r, 'MiB as a createCommitOnBranch request', 'over the 32 MiB', 'transport: git')
    expect(mutations()).toEqual([])
    expect(tip()).toBe(before)
  })

  test('a token that can only read: the permission it needs', async () => {
    const reader = gh.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: [DEPLOY],
      permissions: { contents: 'read' },
    })
    const before = tip()
    const r = await sync({ application: 'ro', manifests: 'rendered' }, reader)
    expectRefused(r, 'contents=write')
    expect(tip()).toBe(before)
  })
})

describe('rate limits on the mutation', () => {
  test('a secondary rate limit is waited as Retry-After asks, then the release lands', async () => {
    gh.injectFault({
      type: 'secondary-rate-limit',
      retryAfter: 2,
      path: '/graphql',
      operation: 'mutation',
    })
    const started = Date.now()
    const r = await sync({ application: 'limited', manifests: 'rendered' })
    expectOk(r)
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000)
    expect(r.stdout).toContain('waiting 2 s as it asked')
    expect(tree()[`${APPS}/web/limited/manifests/resources.yaml`]).toBe(resources('web-app'))
  })

  test('one that outlasts timeout-seconds fails at once and says so', async () => {
    gh.injectFault({
      type: 'secondary-rate-limit',
      retryAfter: 600,
      path: '/graphql',
      operation: 'mutation',
    })
    const before = tip()
    const started = Date.now()
    const r = await sync({
      application: 'limited-long',
      manifests: 'rendered',
      'timeout-seconds': '20',
    })
    expectRefused(
      r,
      'secondary rate limit',
      'outlasts timeout-seconds (20)',
      'nothing was committed',
    )
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(tip()).toBe(before)
  })
})

describe('the token', () => {
  test('a canary token appears nowhere, through success, a lost race and failures', async () => {
    const canary = `github_pat_CANARYGQL0_${'c4n4ry'.repeat(10)}`
    gh.addToken({
      kind: 'fine-grained',
      value: canary,
      owner: 'acme',
      repositories: [DEPLOY],
      permissions: { contents: 'write' },
    })
    for (const [inputs, fault] of <
      Array<[Record<string, string>, Parameters<typeof gh.injectFault>[0]?]>
    >[
      [{ application: 'canary', manifests: 'rendered' }],
      [{ application: 'canary', manifests: 'release-1', 'dry-run': 'true' }],
      [
        { application: 'canary-500', manifests: 'rendered' },
        { type: 'status', status: 502, path: '/graphql', operation: 'mutation', times: 8 },
      ],
      [
        { application: 'canary-html', manifests: 'rendered' },
        { type: 'status', status: 200, path: '/graphql', body: '<html>proxy</html>', times: 8 },
      ],
    ]) {
      gh.clearFaults()
      if (fault) gh.injectFault(fault)
      const r = await sync(inputs, canary, { RUNNER_DEBUG: '1' })
      expect(leaks(r, canary)).toEqual([])
      expect(Object.keys(r.tempFiles)).toEqual([])
    }
  })
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
