import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  leaks,
  runBundle,
  startFaultProxy,
  startGitHubSandbox,
  type BundleRun,
  type FaultProxy,
  type GitHubSandbox,
  type ProxiedRequest,
} from '@argocd-actions/sandbox'

const ACTION = 'sync-argocd-deploy-repo'
const DEPLOY = 'acme/argocd-deploy-non-prod'
const APPS = 'plat/use2-dev/apps'
const SHA = 'c0ffee'.padEnd(40, '0')

let gh: GitHubSandbox
let writer: string
let reader: string
let workspace: string

const resources = (name: string, host = `https://${name}.use2-dev.acme.test`) =>
  [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    '  annotations:',
    `    outputs.platform.cloudposse.com/webapp-url: ${host}`,
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '',
  ].join('\n')

beforeAll(async () => {
  gh = await startGitHubSandbox()
  gh.addOrg('acme')
  gh.addRepo(DEPLOY, {
    git: true,
    files: {
      'plat/use2-dev/argocd/applicationset.yaml': 'kind: ApplicationSet\n',
      [`${APPS}/web/legacy/config.yaml`]: 'app_repository: acme/legacy\n',
      [`${APPS}/web/kustomized/kustomization.yaml`]:
        '# pinned by release\nimages:\n  - name: ghcr.io/acme/kustomized # app image\n    newTag: v1.0.0\n',
      [`${APPS}/web/kustomized/config.yaml`]: 'app_hostname: https://kustomized.acme.test\n',
      // An app directory holds config.yaml: a release replaces nothing else.
      [`${APPS}/web/helmed/config.yaml`]: 'name: web.helmed\n',
      [`${APPS}/web/helmed/values.yaml`]:
        'image:\n  repository: ghcr.io/acme/helmed\n  tag: v1.0.0 # current\nreplicas: 2\n',
    },
  })
  writer = gh.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: [DEPLOY],
    permissions: { contents: 'write' },
  })
  reader = gh.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: [DEPLOY],
    permissions: { contents: 'read' },
  })
  workspace = await mkdtemp(path.join(tmpdir(), 'sync-ws-'))
  await mkdir(path.join(workspace, 'rendered'))
  await writeFile(path.join(workspace, 'rendered', 'resources.yaml'), resources('web-app'))
  await mkdir(path.join(workspace, 'release-0'))
  await writeFile(
    path.join(workspace, 'release-0', 'resources.yaml'),
    resources('web-app', 'https://pr.acme.test'),
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

function sync(
  inputs: Record<string, string>,
  token = writer,
  env: Record<string, string> = {},
  timeoutMs = 120_000,
) {
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
      ...inputs,
    },
    { env: { GITHUB_WORKSPACE: workspace, ...env }, timeoutMs },
  )
}
const tree = () => gh.tree(DEPLOY, 'main')
const pushes = () =>
  gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/git-receive-pack'))
function expectOk(r: BundleRun): void {
  if (r.code !== 0) throw new Error(`expected success, got: ${r.errors.join('\n')}\n${r.stderr}`)
}
function expectRefused(r: BundleRun, ...parts: string[]): void {
  expect(r.code).toBe(1)
  for (const part of parts) expect(r.errors.join('\n')).toContain(part)
}

describe('deploy', () => {
  test('manifests: the layout and config.yaml exactly as the ApplicationSet reads them', async () => {
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
    // Nothing outside the app directory changed.
    for (const [p, content] of Object.entries(before)) expect(after[p]).toBe(content)
    expect(r.outputs).toMatchObject({
      changed: 'true',
      'app-name': 'web.web-app',
      'status-context': 'continuous-delivery/web.web-app',
      sha: gh.refs(DEPLOY)['refs/heads/main'],
      'commit-url': `${gh.url}/${DEPLOY}/commit/${gh.refs(DEPLOY)['refs/heads/main']}`,
    })
    expect(JSON.parse(r.outputs.files)).toEqual([
      { status: 'A', path: `${APPS}/web/web-app/config.yaml` },
      { status: 'A', path: `${APPS}/web/web-app/manifests/resources.yaml` },
    ])
    expect(Date.parse(r.outputs['pushed-at'])).toBeGreaterThan(Date.now() - 60_000)
    expect(r.summary).toContain('Released web.web-app')
  })

  test('the same release again is a no-op: no commit, the current tip', async () => {
    // Released first here too, so the test stands alone (e.g. under -t).
    expectOk(await sync({ application: 'noop-app', manifests: 'rendered' }))
    gh.clearRequests()
    const tip = gh.refs(DEPLOY)['refs/heads/main']
    const r = await sync({ application: 'noop-app', manifests: 'rendered' })
    expectOk(r)
    expect(r.outputs).toMatchObject({ changed: 'false', sha: tip, 'pushed-at': '' })
    expect(pushes()).toEqual([])
  })

  test('a blob-URL target', async () => {
    const r = await runBundle(
      ACTION,
      {
        token: writer,
        target: `${gh.url}/${DEPLOY}/blob/main/${APPS}`,
        namespace: 'web',
        application: 'blob-app',
        manifests: 'rendered',
        'app-repository': 'acme/web-app',
        'app-commit': SHA,
      },
      { env: { GITHUB_WORKSPACE: workspace } },
    )
    expectOk(r)
    expect(tree()[`${APPS}/web/blob-app/config.yaml`]).toContain('name: web.blob-app')
  })

  test('dry-run prints the diff and pushes nothing', async () => {
    const tip = gh.refs(DEPLOY)['refs/heads/main']
    const r = await sync({ application: 'dry-app', manifests: 'rendered', 'dry-run': 'true' })
    expectOk(r)
    expect(r.stdout).toContain(`+++ b/${APPS}/web/dry-app/config.yaml`)
    expect(pushes()).toEqual([])
    expect(gh.refs(DEPLOY)['refs/heads/main']).toBe(tip)
  })

  // Regression (issue 12, item 5): the dry run's diff was made by `git diff` in a throwaway
  // repository whose config file held the basic-auth header; without git on PATH the step failed
  // and left RUNNER_TEMP/argocd-deploy-*/gitconfig behind. The diff is now made in process.
  test('dry-run without git on PATH: the diff is made in process, and no file is left', async () => {
    expectOk(await sync({ application: 'dry-mod', manifests: 'rendered' }))
    const tip = gh.refs(DEPLOY)['refs/heads/main']
    const noGit = await mkdtemp(path.join(tmpdir(), 'no-git-'))
    const canary = `github_pat_DRYRUN0000_${'d4ry'.repeat(15)}`
    gh.addToken({
      kind: 'fine-grained',
      value: canary,
      owner: 'acme',
      repositories: [DEPLOY],
      permissions: { contents: 'write' },
    })
    const r = await sync(
      {
        application: 'dry-mod',
        manifests: 'rendered',
        'dry-run': 'true',
        'app-commit': 'b'.repeat(40),
      },
      canary,
      { PATH: noGit, RUNNER_DEBUG: '1' },
    )
    await rm(noGit, { recursive: true, force: true })
    expectOk(r)
    const file = `${APPS}/web/dry-mod/config.yaml`
    expect(r.stdout).toContain(`diff --git a/${file} b/${file}`)
    expect(r.stdout).toMatch(/index [0-9a-f]{7}\.\.[0-9a-f]{7} 100644/)
    expect(r.stdout).toContain(`--- a/${file}`)
    expect(r.stdout).toContain(`-app_commit: ${SHA}`)
    expect(r.stdout).toContain(`+app_commit: ${'b'.repeat(40)}`)
    expect(r.outputs['changed']).toBe('true')
    expect(Object.keys(r.tempFiles)).toEqual([])
    expect(leaks(r, canary)).toEqual([])
    expect(gh.refs(DEPLOY)['refs/heads/main']).toBe(tip)
  })
})

describe('the environment map in the infra repository', () => {
  beforeAll(() => {
    gh.addRepo('acme/infra-repo', {
      git: true,
      files: {
        '.github/environments/argocd.yml': [
          'environments:',
          '  dev: # the nonprod cluster',
          `    repository: ${DEPLOY}`,
          '    cluster: plat/use2-dev',
          '    namespace: mapped',
          '',
        ].join('\n'),
      },
    })
  })
  const mapped = (environment: string, token: string) =>
    runBundle(
      ACTION,
      {
        token,
        environment,
        'infra-repository': 'acme/infra-repo',
        application: 'env-app',
        manifests: 'rendered',
        'app-repository': 'acme/web-app',
        'app-commit': SHA,
        'git-url': gh.url,
        'github-api-url': gh.url,
      },
      { env: { GITHUB_WORKSPACE: workspace } },
    )

  test('gives the deploy repo, cluster path and namespace', async () => {
    const token = gh.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: [DEPLOY, 'acme/infra-repo'],
      permissions: { contents: 'write' },
    })
    const r = await mapped('dev', token)
    expectOk(r)
    expect(tree()[`${APPS}/mapped/env-app/config.yaml`]).toContain('name: mapped.env-app')
  })

  test('an unknown environment lists the known ones, and nothing is pushed', async () => {
    const token = gh.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: [DEPLOY, 'acme/infra-repo'],
      permissions: { contents: 'write' },
    })
    const r = await mapped('staging', token)
    expectRefused(
      r,
      "Input 'environment' 'staging' is not in acme/infra-repo:.github/environments/argocd.yml; known: dev",
    )
    expect(pushes()).toEqual([])
  })
})

describe('image bumps keep comments and key order', () => {
  test('kustomize', async () => {
    const r = await sync({
      application: 'kustomized',
      image: 'ghcr.io/acme/kustomized',
      tag: 'v1.1.0',
      update: 'kustomize:kustomization.yaml',
    })
    expectOk(r)
    expect(tree()[`${APPS}/web/kustomized/kustomization.yaml`]).toBe(
      '# pinned by release\nimages:\n  - name: ghcr.io/acme/kustomized # app image\n    newTag: v1.1.0\n',
    )
    expect(tree()[`${APPS}/web/kustomized/config.yaml`]).toContain(
      'app_hostname: https://kustomized.acme.test',
    )
  })
  test('helm values', async () => {
    const r = await sync({
      application: 'helmed',
      image: 'ghcr.io/acme/helmed',
      tag: 'v2.0.0',
      update: 'helm-values:values.yaml:image.tag',
    })
    expectOk(r)
    expect(tree()[`${APPS}/web/helmed/values.yaml`]).toBe(
      'image:\n  repository: ghcr.io/acme/helmed\n  tag: v2.0.0 # current\nreplicas: 2\n',
    )
  })
  test('argocd-source', async () => {
    const r = await sync({
      application: 'sourced',
      image: 'ghcr.io/acme/sourced',
      tag: 'v3',
      update: 'argocd-source',
    })
    expectOk(r)
    expect(tree()[`${APPS}/web/sourced/.argocd-source-sourced.yaml`]).toBe(
      'kustomize:\n  images:\n    - ghcr.io/acme/sourced:v3\n',
    )
  })
})

test('destroy removes the app directory and nothing else', async () => {
  expectOk(await sync({ application: 'doomed', manifests: 'rendered' }))
  const r = await sync({ application: 'doomed', operation: 'destroy' })
  expectOk(r)
  expect(Object.keys(tree()).filter((p) => p.includes('/doomed/'))).toEqual([])
  expect(tree()[`${APPS}/web/legacy/config.yaml`]).toBe('app_repository: acme/legacy\n')
})

describe('refused, with nothing pushed', () => {
  test.each<[Record<string, string>, ...string[]]>([
    [
      { 'app-commit': 'main' },
      "Input 'app-commit' must be a full 40-character commit SHA, never a branch",
    ],
    [{ manifests: '../etc' }, "Input 'manifests' must be a file or directory inside the workspace"],
    [{ manifests: 'link' }, "Input 'manifests' must not be or go through a symbolic link"],
    [{ manifests: 'broken' }, 'a Kubernetes manifest needs apiVersion and kind'],
    [{ manifests: 'invalid' }, "Input 'manifests' invalid.yaml, document 1"],
    [
      { path: '../other' },
      "Input 'path' must be a relative directory of the deploy repo without '..'",
    ],
    [{ path: '/abs' }, "Input 'path' must be a relative directory"],
    [{ application: 'Web_App' }, "Input 'application' must be a DNS label"],
    [{ namespace: 'a.b' }, "Input 'namespace' must be a DNS label"],
    [{ operation: 'upgrade' }, "Input 'operation' has an unknown value 'upgrade'"],
    [{ manifests: '' }, "Input 'manifests' or 'image' + 'tag' + 'update' is required"],
    [
      { manifests: '', image: 'x', tag: 'v1', update: 'kustomize:../../x' },
      "Input 'update' needs a file path relative to the app directory",
    ],
    [{ 'max-attempts': '0' }, "Input 'max-attempts' must be between 1 and 100"],
    [
      { 'commit-message': 'Deploy {who}' },
      "Input 'commit-message' has an unknown placeholder {who}",
    ],
    [
      { target: 'https://github.com/acme/x/tree', repository: '', path: '' },
      "Input 'target' must look like https://HOST/<org>/<repo>/blob/<branch>/<path>",
    ],
  ])('%j', async (bad, ...parts) => {
    await mkdir(path.join(workspace, 'broken'), { recursive: true })
    await writeFile(path.join(workspace, 'broken', 'a.yaml'), 'metadata:\n  name: x\n')
    await mkdir(path.join(workspace, 'invalid'), { recursive: true })
    await writeFile(path.join(workspace, 'invalid', 'invalid.yaml'), 'kind: [unclosed\n')
    await symlink(path.join(workspace, 'rendered'), path.join(workspace, 'link')).catch(
      () => undefined,
    )
    const r = await sync({ application: 'refused', manifests: 'rendered', ...bad })
    expectRefused(r, ...parts)
    expect(pushes()).toEqual([])
    expect(Object.keys(tree()).some((p) => p.includes('/refused/'))).toBe(false)
  })

  test('a token that can only read: a clear error', async () => {
    const r = await sync({ application: 'read-only', manifests: 'rendered' }, reader)
    expectRefused(
      r,
      'may read acme/argocd-deploy-non-prod but not write to it',
      'Contents: Read and write',
    )
  })

  test('a protected branch: says to use a pull request', async () => {
    gh.addRepo('acme/argocd-deploy-prod', { git: true, files: { 'README.md': '# prod\n' } })
    gh.protectBranch('acme/argocd-deploy-prod', 'main')
    const prodWriter = gh.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: ['acme/argocd-deploy-prod'],
      permissions: { contents: 'write' },
    })
    const r = await sync(
      { repository: 'acme/argocd-deploy-prod', application: 'web-app', manifests: 'rendered' },
      prodWriter,
    )
    expectRefused(r, 'is a protected branch')
  })
})

describe('a file where the release needs a directory: refused, nothing pushed', () => {
  test('on the path to the app', async () => {
    const r = await sync({
      path: 'plat/use2-dev/argocd/applicationset.yaml',
      application: 'web-app',
      manifests: 'rendered',
    })
    expectRefused(r, "'applicationset.yaml' is a file in the deploy repository", "check 'path'")
    expect(pushes()).toEqual([])
  })

  test('at the app directory itself', async () => {
    gh.addCommit(DEPLOY, { files: { [`${APPS}/web/stray`]: 'not a directory\n' } })
    const before = tree()
    const r = await sync({ application: 'stray', manifests: 'rendered' })
    expectRefused(r, `${APPS}/web/stray is a file in ${DEPLOY}@main, not an app directory`)
    expect(pushes()).toEqual([])
    expect(tree()).toEqual(before)
  })
})

describe('pull-request mode, for protected branches', () => {
  test('opens a pull request from the release branch; auto-merge merges it', async () => {
    gh.addRepo('acme/argocd-deploy-prod-pr', { git: true, files: { 'README.md': '# prod\n' } })
    gh.protectBranch('acme/argocd-deploy-prod-pr', 'main')
    const token = gh.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: ['acme/argocd-deploy-prod-pr'],
      permissions: { contents: 'write', pull_requests: 'write' },
    })
    const base = {
      repository: 'acme/argocd-deploy-prod-pr',
      application: 'web-app',
      manifests: 'rendered',
      mode: 'pull-request',
    }
    const tip = gh.refs('acme/argocd-deploy-prod-pr')['refs/heads/main']
    const opened = await sync(base, token)
    expectOk(opened)
    expect(opened.outputs['pull-request-url']).toMatch(/\/acme\/argocd-deploy-prod-pr\/pull\/\d+$/)
    expect(gh.refs('acme/argocd-deploy-prod-pr')['refs/heads/main']).toBe(tip)
    expect(
      gh.refs('acme/argocd-deploy-prod-pr')[`refs/heads/argocd/web.web-app/${SHA.slice(0, 12)}`],
    ).toBe(opened.outputs.sha)

    const merged = await sync({ ...base, manifests: 'release-0', 'auto-merge': 'true' }, token)
    expectOk(merged)
    expect(merged.outputs['pull-request-url']).toBe(opened.outputs['pull-request-url'])
    expect(
      gh.tree('acme/argocd-deploy-prod-pr', 'main')[`${APPS}/web/web-app/config.yaml`],
    ).toContain(`app_commit: ${SHA}`)
  })
})

describe('what a release downloads', () => {
  // 4 clusters × 100 apps × 2 files: every app's trees differ, as in a real deploy repo.
  const LARGE = 'acme/argocd-deploy-large'
  let token: string
  beforeAll(() => {
    const files: Record<string, string> = {}
    for (const cluster of ['use2-dev', 'use2-staging', 'use2-prod', 'euw1-prod'])
      for (let n = 0; n < 100; n++) {
        const dir = `plat/${cluster}/apps/ns${n % 10}/app-${n}`
        files[`${dir}/config.yaml`] = `name: ns${n % 10}.app-${n}\ncluster: ${cluster}\n`
        files[`${dir}/manifests/resources.yaml`] = resources(`app-${n}-${cluster}`)
      }
    gh.addRepo(LARGE, { git: true, files })
    token = gh.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: [LARGE],
      permissions: { contents: 'write' },
    })
  })
  const downloaded = () =>
    gh.requests
      .filter((r) => r.path.endsWith('/git-upload-pack'))
      .reduce((sum, r) => sum + (r.bytesOut ?? 0), 0)

  test("only the trees on the app's path: a small part of what a treeless clone would fetch", async () => {
    // The yardstick: a shallow clone with every tree and no blob, what git's own lazy fetch of
    // the root tree brings (the bug this guards against).
    const dir = await mkdtemp(path.join(tmpdir(), 'sync-yardstick-'))
    const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`
    await new Promise<void>((resolve, reject) =>
      execFile(
        'git',
        [
          '-c',
          `http.extraheader=${header}`,
          'clone',
          '--quiet',
          '--bare',
          '--depth',
          '1',
          '--filter=blob:none',
          `${gh.url}/${LARGE}.git`,
          dir,
        ],
        (error) => (error ? reject(error) : resolve()),
      ),
    )
    await rm(dir, { recursive: true, force: true })
    const allTrees = downloaded()
    gh.clearRequests()

    const r = await sync(
      {
        repository: LARGE,
        path: 'plat/use2-prod/apps',
        namespace: 'ns3',
        application: 'app-13',
        manifests: 'rendered',
      },
      token,
    )
    expectOk(r)
    const ours = downloaded()
    expect(gh.tree(LARGE, 'main')['plat/use2-prod/apps/ns3/app-13/manifests/resources.yaml']).toBe(
      resources('web-app'),
    )
    expect(allTrees).toBeGreaterThan(50_000)
    expect(ours).toBeLessThan(allTrees / 10)
    // One request per object read, none from git on its own: ls-refs and the tip, the five trees
    // above the app (root, plat, use2-prod, apps, ns3), the app's directory. The hostname is in
    // the manifests, so the old config.yaml is not read.
    const uploadPacks = gh.requests
      .filter((q) => q.method === 'POST' && q.path.endsWith('/git-upload-pack'))
      .map((q) => q.bytesOut)
    expect(uploadPacks).toHaveLength(8)
  })

  test('an image bump reads its file and config.yaml, not the rest of the repository', async () => {
    const r = await sync(
      {
        repository: LARGE,
        path: 'plat/use2-dev/apps',
        namespace: 'ns4',
        application: 'app-24',
        manifests: '',
        image: 'ghcr.io/acme/app-24',
        tag: 'v2.0.0',
        update: 'argocd-source',
      },
      token,
    )
    expectOk(r)
    expect(downloaded()).toBeLessThan(10_000)
    const after = gh.tree(LARGE, 'main')
    expect(after['plat/use2-dev/apps/ns4/app-24/.argocd-source-app-24.yaml']).toContain('v2.0.0')
    expect(after['plat/use2-dev/apps/ns4/app-24/config.yaml']).toContain(`app_commit: ${SHA}`)
  })
  test('a lost race costs the changed trees on the path, not the new tip with every tree', async () => {
    // Another writer pushes between our read of the tip and our update: the update is refused.
    gh.injectFault({
      type: 'reject-push',
      stage: 'update',
      files: { 'plat/use2-prod/apps/ns5/app-15/config.yaml': 'name: raced\n' },
    })
    const r = await sync(
      {
        repository: LARGE,
        path: 'plat/use2-prod/apps',
        namespace: 'ns6',
        application: 'app-16',
        manifests: 'rendered',
      },
      token,
    )
    expectOk(r)
    expect(r.summary).toContain('| Attempts | 2 |')
    expect(downloaded()).toBeLessThan(10_000)
    const after = gh.tree(LARGE, 'main')
    expect(after['plat/use2-prod/apps/ns5/app-15/config.yaml']).toBe('name: raced\n')
    expect(after['plat/use2-prod/apps/ns6/app-16/config.yaml']).toContain('name: ns6.app-16')
  })
})

describe('faults', () => {
  test('5xx answers and a reset connection are retried: the release lands once', async () => {
    const before = gh.requests.length
    gh.injectFault({ type: 'status', status: 502, path: /git-upload-pack$/, times: 2 })
    gh.injectFault({ type: 'reset', path: /git-receive-pack$/ })
    const r = await sync({ application: 'flaky', manifests: 'rendered' })
    expectOk(r)
    // A push is never re-sent blindly: its lost answer makes the step read the branch, which is
    // not at our commit (the reset came first), so the release is applied again (attempt 2).
    expect(r.summary).toContain('| Attempts | 2 |')
    expect(r.stdout).toContain('its answer was lost')
    const pushes = gh.requests.slice(before).filter((q) => q.path.endsWith('/git-receive-pack'))
    expect(pushes.map((q) => q.status)).toEqual([0, 200])
    expect(tree()[`${APPS}/web/flaky/config.yaml`]).toContain('name: web.flaky')
  })

  test('a redirect (a renamed repository) is not followed: the step names where it points', async () => {
    const before = tree()
    gh.injectFault({
      type: 'status',
      status: 301,
      path: /git-upload-pack$/,
      headers: {
        location: 'https://github.example/acme/argocd-deploy-renamed.git/git-upload-pack',
      },
    })
    const r = await sync({ application: 'moved', manifests: 'rendered' })
    expectRefused(
      r,
      'redirects to https://github.example/acme/argocd-deploy-renamed.git',
      'renamed or moved',
    )
    expect(tree()).toEqual(before)
  })

  test.each([
    [
      'a refused token',
      { application: 'nope', manifests: 'rendered' },
      'ghp_' + 'x'.repeat(36),
      'the token was refused (wrong, revoked or expired)',
    ],
    [
      'an unknown repository',
      { repository: 'acme/no-such-repo', application: 'nope', manifests: 'rendered' },
      undefined,
      'repository not found, or the token cannot see it',
    ],
    [
      'an unknown branch',
      { branch: 'no-such-branch', application: 'nope', manifests: 'rendered' },
      undefined,
      "has no branch 'no-such-branch'",
    ],
  ])('%s fails at once with an explanation, nothing pushed', async (_, inputs, token, message) => {
    const before = tree()
    const requests = gh.requests.length
    const r = await sync(inputs, token)
    expectRefused(r, message)
    // Permanent: no retry.
    expect(gh.requests.length - requests).toBe(1)
    expect(tree()).toEqual(before)
  })
  // Regression (issue 12, item 6): both ended as "unexpected error (a bug in argocd-actions)".
  test('SAML SSO on the read, and 5xx that outlast the retries, are explained', async () => {
    gh.addOrg('sso-corp', { ssoRequired: true })
    gh.addRepo('sso-corp/deploy', { git: true, files: { 'README.md': '# deploy\n' } })
    const token = gh.addToken({ kind: 'classic', scopes: ['repo'] })
    const sso = await sync(
      { repository: 'sso-corp/deploy', application: 'sso', manifests: 'rendered' },
      token,
    )
    expectRefused(sso, 'SAML single sign-on', 'authorize the token')
    expect(sso.printed).not.toContain('unexpected error')

    gh.injectFault({ type: 'status', status: 503, path: /git-upload-pack$/, times: 8 })
    const down = await sync({ application: 'down', manifests: 'rendered' })
    gh.clearFaults()
    expectRefused(down, 'the git server kept failing (503, after retries)')
    expect(down.printed).not.toContain('unexpected error')
  })
})

describe('concurrency', () => {
  test('a rejected push is retried on the new tip', async () => {
    gh.injectFault({ type: 'reject-push', path: /git-receive-pack$/ })
    const r = await sync({ application: 'raced', manifests: 'rendered' })
    expectOk(r)
    expect(r.summary).toContain('| Attempts | 2 |')
    expect(tree()[`${APPS}/web/raced/config.yaml`]).toContain('name: web.raced')
  })

  test('20 concurrent runs on different apps all land', async () => {
    const apps = Array.from({ length: 20 }, (_, i) => `swarm-${i}`)
    // 20 bundles at once take ~85 s on 2 idle CPUs; under a loaded CI the harness must not kill
    // them first (their own timeout-seconds is what is under test, and it is 300 s).
    const runs = await Promise.all(
      apps.map((application) => sync({ application, manifests: 'rendered' }, writer, {}, 400_000)),
    )
    for (const r of runs) expectOk(r)
    const final = tree()
    for (const app of apps)
      expect(final[`${APPS}/web/${app}/config.yaml`]).toContain(`name: web.${app}`)
  }, 450_000)

  test('5 concurrent runs on the same app end in one complete release', async () => {
    const shas = Array.from({ length: 5 }, (_, i) => String(i + 1).repeat(40))
    for (const [i] of shas.entries()) {
      await mkdir(path.join(workspace, `release-${i}`), { recursive: true })
      await writeFile(
        path.join(workspace, `release-${i}`, 'resources.yaml'),
        resources('same', `https://release-${i}.acme.test`),
      )
    }
    const runs = await Promise.all(
      shas.map((sha, i) =>
        sync({ application: 'same', manifests: `release-${i}`, 'app-commit': sha }),
      ),
    )
    for (const r of runs) expectOk(r)
    const final = tree()
    const commit = /app_commit: "?(\w+)/.exec(final[`${APPS}/web/same/config.yaml`])![1]
    const i = shas.indexOf(commit)
    expect(i).toBeGreaterThanOrEqual(0)
    // config.yaml and the manifests come from the same release, never a mix.
    expect(final[`${APPS}/web/same/config.yaml`]).toContain(
      `app_hostname: https://release-${i}.acme.test`,
    )
    expect(final[`${APPS}/web/same/manifests/resources.yaml`]).toBe(
      resources('same', `https://release-${i}.acme.test`),
    )
  }, 300_000)
})

describe('the token', () => {
  test('is left nowhere: not in .git/config, not on disk, not in any output', async () => {
    const canary = `github_pat_CANARY0000_${'c4n4ry'.repeat(10)}`
    gh.addToken({
      kind: 'fine-grained',
      value: canary,
      owner: 'acme',
      repositories: [DEPLOY],
      permissions: { contents: 'write' },
    })
    // With step debug on (every request is logged), through success, a lost race, server
    // failures that outlast the retries, and bad input.
    for (const [inputs, fault] of <
      Array<[Record<string, string>, Parameters<typeof gh.injectFault>[0]?]>
    >[
      [{ application: 'canary', manifests: 'rendered' }],
      [{ application: 'canary', manifests: 'rendered', 'dry-run': 'true' }],
      [
        { application: 'canary-raced', manifests: 'rendered' },
        { type: 'reject-push', path: /git-receive-pack$/ },
      ],
      [
        { application: 'canary-500', manifests: 'rendered' },
        { type: 'status', status: 500, path: /git-receive-pack$/, times: 4 },
      ],
      // A push answer lost (the ref is read again), and reads failing past the retries.
      [
        { application: 'canary-lost', manifests: 'rendered' },
        { type: 'reset', path: /git-receive-pack$/ },
      ],
      [
        { application: 'canary-503', manifests: 'rendered' },
        { type: 'status', status: 503, path: /git-upload-pack$/, times: 8 },
      ],
      // Answers that cannot be read: a listing of nothing, a push answered by a proxy's page.
      [
        { application: 'canary-no-refs', manifests: 'rendered' },
        { type: 'status', status: 200, path: /git-upload-pack$/, body: '0000' },
      ],
      [
        { application: 'canary-html', manifests: 'rendered' },
        {
          type: 'status',
          status: 502,
          path: /git-receive-pack$/,
          body: '<html>502</html>',
          times: 4,
        },
      ],
      [{ application: 'canary-bad', manifests: '../etc' }],
    ]) {
      gh.clearFaults()
      if (fault) gh.injectFault(fault)
      const r = await sync(inputs, canary, { RUNNER_DEBUG: '1' })
      // Every run that reached the server logged its requests.
      if (inputs['manifests'] === 'rendered')
        expect(r.printed).toContain('::debug::git-upload-pack')
      expect(leaks(r, canary)).toEqual([])
      expect(Object.keys(r.tempFiles)).toEqual([])
    }
  })
})

// Fault-matrix cells (round 1): an answer the step cannot read is an error that names the request
// and what came. Never "no such branch", never blamed on concurrent writers, never a pass; and no
// push but the faulted one. Each failed on the code before (see the comments).
describe('answers that cannot be read', () => {
  const INFRA = 'acme/infra-faults'
  let proxy: FaultProxy
  let prWriter: string
  beforeAll(async () => {
    proxy = await startFaultProxy({ target: gh.url })
    gh.addRepo(INFRA, {
      git: true,
      files: {
        '.github/environments/argocd.yml': `environments:\n  dev:\n    repository: ${DEPLOY}\n    cluster: plat/use2-dev\n    namespace: web\n`,
      },
    })
    prWriter = gh.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: [DEPLOY, INFRA],
      permissions: { contents: 'write', pull_requests: 'write' },
    })
  })
  afterAll(() => proxy.stop())
  let seen = 0
  beforeEach(() => {
    proxy.clearFaults()
    seen = proxy.requests.length
  })

  const viaProxy = (inputs: Record<string, string>) =>
    runBundle(
      ACTION,
      {
        token: prWriter,
        repository: DEPLOY,
        path: APPS,
        namespace: 'web',
        manifests: 'rendered',
        'app-repository': 'acme/web-app',
        'app-commit': SHA,
        'git-url': proxy.url,
        'github-api-url': proxy.url,
        'timeout-seconds': '30',
        ...inputs,
      },
      { env: { GITHUB_WORKSPACE: workspace, GITHUB_API_URL: proxy.url }, timeoutMs: 120_000 },
    )
  const gitCommand = (command: string) => (r: ProxiedRequest) =>
    r.path.endsWith('/git-upload-pack') && r.body.toString('latin1').includes(`command=${command}`)
  const pkt = (line: string) => (line.length + 4).toString(16).padStart(4, '0') + line
  const receivePack = (r: ProxiedRequest) => r.path.endsWith('/git-receive-pack')
  const proxiedPushes = () =>
    proxy.requests.slice(seen).filter((q) => q.path.endsWith('/git-receive-pack'))
  const answer = (match: (r: ProxiedRequest) => boolean, status: number, body: unknown) =>
    proxy.injectFault({
      type: 'respond',
      status,
      body,
      headers:
        typeof body === 'string' && !body.startsWith('<')
          ? { 'content-type': 'application/x-git-upload-pack-result' }
          : {},
      match,
      times: 1000,
    })
  function expectUnreadable(r: BundleRun, ...parts: Array<string | RegExp>) {
    expect(r.code).toBe(1)
    const error = r.errors.join('\n')
    for (const part of parts) expect(error).toMatch(part)
    expect(error).not.toContain('a bug in argocd-actions')
    expect(r.outputs.changed).toBeUndefined()
    expect(leaks(r, prWriter)).toEqual([])
  }

  // Regression: a flush packet alone read as "acme/argocd-deploy-non-prod has no branch 'main'".
  test.each([
    ['a flush packet alone', '0000', /names neither 'main' nor HEAD.*unexpected/],
    [
      'a listing cut before its flush',
      pkt(`${'1'.repeat(40)} refs/heads/main\n`),
      /does not end with its flush/,
    ],
    ['a line that is no ref', `${pkt('hello\n')}0000`, /not '<object id> <ref name>'/],
  ])('ls-refs answered with %s: unreadable, not "no branch"', async (_, body, why) => {
    const before = tree()
    answer(gitCommand('ls-refs'), 200, body)
    const r = await viaProxy({ application: 'unreadable-refs' })
    expectUnreadable(r, /ls-refs/, /unexpected/, why)
    expect(r.errors.join('\n')).not.toContain('has no branch')
    expect(proxiedPushes()).toEqual([])
    expect(tree()).toEqual(before)
  })

  // Regression: "the server answered a fetch without a packfile" named no cause.
  test('a fetch answered with a flush packet alone: an unexpected answer to the fetch', async () => {
    const before = tree()
    answer(gitCommand('fetch'), 200, '0000')
    const r = await viaProxy({ application: 'unreadable-fetch' })
    expectUnreadable(r, /^.*fetch of acme\/argocd-deploy-non-prod/, /unexpected answer to a fetch/)
    expect(proxiedPushes()).toEqual([])
    expect(tree()).toEqual(before)
  })

  // Regression: each ended as "the push was rejected 16 times by concurrent writers or lost on the
  // way (max-attempts 20 ...)", after up to 19 pushes.
  test.each<[string, () => void, RegExp]>([
    [
      '500',
      () => answer(receivePack, 500, 'Internal Server Error\n'),
      /git-receive-pack answered 500 \(a server error\)/,
    ],
    [
      '502 with an HTML page',
      () => answer(receivePack, 502, '<html><body>502 Bad Gateway</body></html>'),
      /git-receive-pack answered 502 with an HTML page \(a proxy/,
    ],
    [
      'a reset connection',
      () => proxy.injectFault({ type: 'reset', match: receivePack, times: 1000 }),
      /the connection to git-receive-pack failed/,
    ],
    ['an empty body', () => answer(receivePack, 200, ''), /unreadable answer, not a push report/],
    ['a flush packet alone', () => answer(receivePack, 200, '0000'), /not a push report/],
  ])(
    'a push answered with %s every time: the server named, four pushes, nothing landed',
    async (_, inject, what) => {
      const before = tree()
      inject()
      const r = await viaProxy({ application: 'push-fails' })
      expectUnreadable(
        r,
        /push to acme\/argocd-deploy-non-prod/,
        what,
        /on every attempt \(4\)/,
        /did not hold the release when read after it/,
      )
      expect(r.errors.join('\n')).not.toContain('concurrent writers')
      expect(proxiedPushes()).toHaveLength(4)
      expect(tree()).toEqual(before)
    },
  )

  // Regressions: null crashed ("a bug in argocd-actions"); the list and the merge of another shape
  // passed (changed=true, exit 0) though nothing was merged; a created pull request of another
  // shape became "pull request undefined ... #undefined ... 404".
  test.each<[string, string, RegExp, number, unknown, RegExp]>([
    [
      'the open pull requests: null',
      'GET',
      /\/pulls$/,
      200,
      null,
      /GET \/repos\/acme\/argocd-deploy-non-prod\/pulls\?head=.* answered with a JSON null/,
    ],
    [
      'the open pull requests: an object',
      'GET',
      /\/pulls$/,
      200,
      { message: 'not a list', total_count: 1 },
      /GET \/repos\/acme\/argocd-deploy-non-prod\/pulls\?head=.* answered with a JSON object of another shape, not the list of pull requests/,
    ],
    [
      'the new pull request: null',
      'POST',
      /\/pulls$/,
      201,
      null,
      /POST \/repos\/acme\/argocd-deploy-non-prod\/pulls .* answered with a JSON null/,
    ],
    [
      'the new pull request: a list',
      'POST',
      /\/pulls$/,
      201,
      [],
      /POST \/repos\/acme\/argocd-deploy-non-prod\/pulls .* answered with a JSON list of 0/,
    ],
    [
      'the merge: null',
      'PUT',
      /\/pulls\/\d+\/merge$/,
      200,
      null,
      /PUT \/repos\/acme\/argocd-deploy-non-prod\/pulls\/\d+\/merge answered with a JSON null/,
    ],
    [
      'the merge: a list',
      'PUT',
      /\/pulls\/\d+\/merge$/,
      200,
      [],
      /PUT \/repos\/acme\/argocd-deploy-non-prod\/pulls\/\d+\/merge answered with a JSON list of 0.*was merged cannot be told/,
    ],
    [
      'the merge: merged false',
      'PUT',
      /\/pulls\/\d+\/merge$/,
      200,
      { merged: false, message: 'not merged' },
      /was merged cannot be told/,
    ],
  ])(
    'pull-request mode, %s: an unexpected answer naming the request, main unchanged',
    async (name, method, route, status, body, what) => {
      const main = gh.refs(DEPLOY)['refs/heads/main']
      answer(
        (r) => r.method === method && route.test(new URL(r.path, 'http://x').pathname),
        status,
        body,
      )
      const r = await viaProxy({
        application: `pr-${name.replace(/\W+/g, '-')}`,
        mode: 'pull-request',
        'auto-merge': 'true',
      })
      expectUnreadable(r, what, /unexpected answer/)
      expect(gh.refs(DEPLOY)['refs/heads/main']).toBe(main)
    },
  )

  // Regressions: null crashed; a body of another shape was "Input 'infra-file' ... is not a file".
  test.each<[string, unknown]>([
    ['null', null],
    ['a list of something else', [{ unexpected: true }]],
    ['an object of another shape', { type: 'file', content: 42 }],
  ])(
    'the environment map answered with %s: an unexpected answer, nothing pushed',
    async (_, body) => {
      const before = tree()
      answer(
        (r) => r.method === 'GET' && r.path.includes('/repos/acme/infra-faults/contents/'),
        200,
        body,
      )
      const r = await viaProxy({
        repository: '',
        path: '',
        namespace: '',
        environment: 'dev',
        'infra-repository': INFRA,
        application: 'env-unreadable',
      })
      expectUnreadable(
        r,
        /GET \/repos\/acme\/infra-faults\/contents\/\.github\/environments\/argocd\.yml answered with/,
        /unexpected answer/,
      )
      expect(r.errors.join('\n')).not.toContain('is not a file')
      expect(proxiedPushes()).toEqual([])
      expect(tree()).toEqual(before)
    },
  )

  test('the environment map at a directory: the input is wrong, and says so', async () => {
    const r = await viaProxy({
      repository: '',
      path: '',
      namespace: '',
      environment: 'dev',
      'infra-repository': INFRA,
      'infra-file': '.github/environments',
      application: 'env-dir',
    })
    expect(r.code).toBe(1)
    expect(r.errors.join('\n')).toContain(
      "Input 'infra-file' acme/infra-faults:.github/environments is a directory, not a file",
    )
  })
})
