// The deploy repository is never damaged (issue 12, items 1-4): paths git refuses, writes only
// where an app lives, manifests judged as Argo CD reads them, limits. Every refusal is checked
// end to end through the bundle: exit code 1, an error naming the input, nothing pushed and the
// branch tip where it was.
import { execFile, spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  leaks,
  runBundle,
  startGitHubSandbox,
  type BundleRun,
  type GitHubSandbox,
} from '@argocd-actions/sandbox'

const ACTION = 'sync-argocd-deploy-repo'
const DEPLOY = 'acme/argocd-deploy-safety'
const APPS = 'plat/use2-dev/apps'
const SHA = 'feed'.padEnd(40, '0')
const APPLICATIONSET = 'kind: ApplicationSet\n'

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
    `    outputs.platform.cloudposse.com/webapp-url: ${JSON.stringify(host)}`,
    '',
  ].join('\n')

/** "Billion laughs": nine levels of nine aliases each, 9^9 strings once expanded. */
function aliasBomb(): string {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
  for (let n = 1; n < 9; n++) {
    const [prev, name] = [String.fromCharCode(96 + n), String.fromCharCode(97 + n)]
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`)
  }
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\ndata:\n  ${levels.join('\n  ')}\n`
}

/** Writes files (relative path → content) under a new directory of the workspace. */
async function rendered(dir: string, files: Record<string, string | Buffer>): Promise<string> {
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(workspace, dir, name)
    await mkdir(path.dirname(full), { recursive: true })
    await writeFile(full, content)
  }
  return dir
}

beforeAll(async () => {
  gh = await startGitHubSandbox()
  gh.addOrg('acme')
  gh.addRepo(DEPLOY, {
    git: true,
    files: {
      'plat/use2-dev/argocd/applicationset.yaml': APPLICATIONSET,
      // A tenant's own config.yaml: not the layout's, so the apps below it are not "inside an app".
      'plat/config.yaml': 'tenant: plat\n',
      [`${APPS}/web/legacy/config.yaml`]: 'app_repository: acme/legacy\nname: web.legacy\n',
      [`${APPS}/web/legacy/manifests/resources.yaml`]: resources('legacy'),
      [`${APPS}/web/helmed/config.yaml`]: 'name: web.helmed\n',
      [`${APPS}/web/helmed/values.yaml`]:
        'image:\n  repository: ghcr.io/acme/helmed\n  tag: v1.0.0\nreplicas: 2\n',
    },
  })
  writer = gh.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: [DEPLOY, 'acme/infra-safety'],
    permissions: { contents: 'write' },
  })
  workspace = await mkdtemp(path.join(tmpdir(), 'sync-safety-'))
  await rendered('rendered', { 'resources.yaml': resources('web-app') })
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
      application: 'web-app',
      'app-repository': 'acme/web-app',
      'app-commit': SHA,
      'git-url': gh.url,
      'github-api-url': gh.url,
      ...inputs,
    },
    { env: { GITHUB_WORKSPACE: workspace, ...env }, timeoutMs: 120_000 },
  )
}
const tip = () => gh.refs(DEPLOY)['refs/heads/main']
const pushes = () =>
  gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/git-receive-pack'))
function expectOk(r: BundleRun): void {
  if (r.code !== 0) throw new Error(`expected success, got: ${r.errors.join('\n')}\n${r.stderr}`)
}
/** Refused with all of `parts` in the error, never as a bug, and nothing pushed. */
async function expectRefused(run: () => Promise<BundleRun>, ...parts: string[]): Promise<void> {
  const before = tip()
  const pushed = pushes().length
  const r = await run()
  expect(r.code).toBe(1)
  const errors = r.errors.join('\n')
  for (const part of parts) expect(errors).toContain(part)
  expect(errors).not.toContain('a bug')
  expect(pushes().slice(pushed)).toEqual([])
  expect(tip()).toBe(before)
}

describe('1. paths git refuses are refused in every input that becomes a path', () => {
  test.each<[Record<string, string>, ...string[]]>([
    [{ path: 'plat/.git/x' }, "Input 'path'", "'.git', which git reads as .git"],
    [{ path: '.GIT' }, "Input 'path'", "'.GIT', which git reads as .git"],
    [{ path: 'plat/.git./apps' }, "Input 'path'", 'which git reads as .git'],
    [{ path: `${APPS}/.gitmodules` }, "Input 'path'", 'which git reads as .gitmodules'],
    [
      {
        path: '',
        repository: '',
        target: 'https://HOST/acme/argocd-deploy-safety/blob/main/plat/use2-dev/.git/hooks',
      },
      "Input 'target'",
      'which git reads as .git',
    ],
    [
      { manifests: '', image: 'ghcr.io/acme/helmed', tag: 'v2', update: 'kustomize:.Git/k.yaml' },
      "Input 'update'",
      'which git reads as .git',
    ],
    [
      {
        manifests: '',
        image: 'ghcr.io/acme/helmed',
        tag: 'v2',
        update: 'helm-values:git~1/values.yaml:image.tag',
      },
      "Input 'update'",
      'which git reads as .git',
    ],
  ])('%j', async (bad, ...parts) => {
    if (bad.target) bad.target = bad.target.replace('https://HOST', gh.url)
    await expectRefused(() => sync({ manifests: 'rendered', ...bad }), ...parts)
  })

  test.each<[string, string]>([
    ['.git/x.yaml', "'.git', which git reads as .git"],
    ['.GIT/x.yaml', "'.GIT', which git reads as .git"],
    ['sub/git~1/x.yaml', "'git~1', which git reads as .git"],
    ['.g\u200cit/x.yaml', "'.g\\u200cit', which git reads as .git"],
    ['.gitmodules/x.yaml', 'which git reads as .gitmodules'],
    ['back\\slash.yaml', 'a backslash'],
    ['bell\u0007.yaml', 'a control character'],
  ])('a manifest file named %j', async (name, problem) => {
    const dir = await rendered(`names-${Buffer.from(name).toString('hex')}`, {
      'resources.yaml': resources('web-app'),
      [name]: resources('web-app'),
    })
    await expectRefused(
      () => sync({ manifests: dir }),
      "Input 'manifests' the file name",
      'is not a path git accepts',
      problem,
    )
  })

  test('an environment map whose cluster spells .git', async () => {
    gh.addRepo('acme/infra-safety', {
      git: true,
      files: {
        '.github/environments/argocd.yml': `environments:\n  dev:\n    repository: ${DEPLOY}\n    cluster: plat/.GIT\n    namespace: web\n`,
      },
    })
    await expectRefused(
      () =>
        sync({
          repository: '',
          path: '',
          namespace: '',
          environment: 'dev',
          'infra-repository': 'acme/infra-safety',
          manifests: 'rendered',
        }),
      "Input 'infra-file' acme/infra-safety:.github/environments/argocd.yml: environment 'dev': cluster",
      'which git reads as .git',
    )
  })

  test('the sandbox refuses a pushed tree with .git in it, as GitHub does (receive.fsckObjects)', async () => {
    const local = await mkdtemp(path.join(tmpdir(), 'sync-safety-git-'))
    const env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: local,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: 'a',
      GIT_AUTHOR_EMAIL: 'a@example.com',
      GIT_COMMITTER_NAME: 'a',
      GIT_COMMITTER_EMAIL: 'a@example.com',
    }
    const git = (args: string[], input?: string) =>
      spawnSync('git', ['-C', local, ...args], { env, input, encoding: 'utf8' })
    try {
      git(['init', '--quiet'])
      const blob = git(['hash-object', '-w', '--stdin'], 'x\n').stdout.trim()
      const bad = git(['mktree'], `100644 blob ${blob}\thooks\n`).stdout.trim()
      const root = git(['mktree'], `040000 tree ${bad}\t.GIT\n`).stdout.trim()
      const commit = git(['commit-tree', root, '-m', 'bad']).stdout.trim()
      const before = tip()
      const auth = Buffer.from(`x-access-token:${writer}`).toString('base64')
      // Asynchronous: the sandbox answers from this process's event loop.
      const stderr = await new Promise<string>((resolve, reject) =>
        execFile(
          'git',
          [
            '-C',
            local,
            '-c',
            `http.extraHeader=Authorization: basic ${auth}`,
            'push',
            `${gh.url}/${DEPLOY}.git`,
            `${commit}:refs/heads/bad-tree`,
          ],
          { env },
          (error, _out, err) => (error ? resolve(err) : reject(new Error('the push landed'))),
        ),
      )
      expect(stderr).toMatch(/hasDotgit/)
      expect(gh.refs(DEPLOY)['refs/heads/bad-tree']).toBeUndefined()
      expect(tip()).toBe(before)
    } finally {
      await rm(local, { recursive: true, force: true })
    }
  })
})

describe('2. writes and deletes only where an app lives', () => {
  const argocd = { path: 'plat', namespace: 'use2-dev', application: 'argocd' }
  test("a deploy does not replace the cluster's argocd/ directory", async () => {
    await expectRefused(
      () => sync({ ...argocd, manifests: 'rendered' }),
      `plat/use2-dev/argocd in ${DEPLOY}@main is not an app directory (it has no config.yaml; it holds applicationset.yaml)`,
      "Check 'path'",
    )
    expect(gh.tree(DEPLOY, 'main')['plat/use2-dev/argocd/applicationset.yaml']).toBe(APPLICATIONSET)
  })
  test('destroy does not remove it', async () => {
    await expectRefused(
      () => sync({ ...argocd, operation: 'destroy' }),
      'plat/use2-dev/argocd',
      'destroy removes only an app directory',
    )
    expect(gh.tree(DEPLOY, 'main')['plat/use2-dev/argocd/applicationset.yaml']).toBe(APPLICATIONSET)
  })
  test("a new directory inside another app's directory is refused", async () => {
    await expectRefused(
      () => sync({ path: `${APPS}/web`, namespace: 'legacy', manifests: 'rendered' }),
      `${APPS}/web/legacy/web-app would be inside the app directory ${APPS}/web/legacy`,
      "check 'path'",
    )
  })
  test('an app directory is created, replaced and destroyed', async () => {
    expectOk(await sync({ application: 'fresh', manifests: 'rendered' }))
    expectOk(await sync({ application: 'legacy', manifests: 'rendered' }))
    expect(gh.tree(DEPLOY, 'main')[`${APPS}/web/legacy/config.yaml`]).toContain('app_commit')
    expectOk(await sync({ application: 'fresh', operation: 'destroy' }))
    expect(Object.keys(gh.tree(DEPLOY, 'main')).some((p) => p.includes('/fresh/'))).toBe(false)
  })
})

describe('3. manifests are judged as Argo CD reads them', () => {
  test('a kustomization without apiVersion and kind, with a JSON patch and a generator input', async () => {
    const dir = await rendered('kustomized', {
      'kustomization.yaml':
        'resources:\n  - deployment.yaml\npatches:\n  - path: patch.yaml\nconfigMapGenerator:\n  - name: env\n    envs: [app.env]\n',
      'deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: k\n',
      'patch.yaml': '- op: replace\n  path: /spec/replicas\n  value: 3\n',
      'app.env': 'MODE=prod\n',
    })
    expectOk(await sync({ application: 'kustomized', manifests: dir }))
    const t = gh.tree(DEPLOY, 'main')
    const at = `${APPS}/web/kustomized/manifests`
    expect(t[`${at}/kustomization.yaml`]).toContain('resources:')
    expect(t[`${at}/patch.yaml`]).toContain('op: replace')
    expect(t[`${at}/app.env`]).toBe('MODE=prod\n')
  })
  test('a Helm chart: templates are not YAML, values files are', async () => {
    const files = {
      'Chart.yaml': 'apiVersion: v2\nname: charted\nversion: 1.0.0\n',
      'values.yaml': 'replicas: 2\n',
      'templates/deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.replicas }}\nspec:\n  replicas: {{ .Values.replicas }}\n{{- end }}\n',
      'templates/_helpers.tpl': '{{- define "charted.name" -}}charted{{- end }}\n',
      '.helmignore': '*.swp\n',
    }
    const dir = await rendered('charted', files)
    expectOk(await sync({ application: 'charted', manifests: dir }))
    const t = gh.tree(DEPLOY, 'main')
    for (const [name, content] of Object.entries(files))
      expect(t[`${APPS}/web/charted/manifests/${name}`]).toBe(content)
    const broken = await rendered('charted-broken', {
      ...files,
      'values.yaml': 'replicas: [2\n',
    })
    await expectRefused(
      () => sync({ application: 'charted', manifests: broken }),
      "Input 'manifests' values.yaml, document 1",
    )
  })
  test('.argocd-source files are parameter overrides, not manifests', async () => {
    const dir = await rendered('sourced', {
      'resources.yaml': resources('sourced'),
      '.argocd-source-sourced.yaml':
        'helm:\n  parameters:\n    - name: image.tag\n      value: v1\n',
    })
    expectOk(await sync({ application: 'sourced', manifests: dir }))
  })
  test('a plain manifest still needs apiVersion and kind', async () => {
    const dir = await rendered('plain-broken', { 'a.yaml': 'metadata:\n  name: x\n' })
    await expectRefused(
      () => sync({ manifests: dir }),
      "Input 'manifests' a.yaml, document 1: a Kubernetes manifest needs apiVersion and kind",
    )
  })
})

describe('4. limits', () => {
  test('a YAML alias bomb is refused clearly, not reported as a bug', async () => {
    const dir = await rendered('bomb', { 'bomb.yaml': aliasBomb() })
    await expectRefused(
      () => sync({ manifests: dir }),
      "Input 'manifests' bomb.yaml, document 1: expands too many YAML aliases",
    )
  })
  test('a manifest over the size limit is refused; max-manifest-mb raises it', async () => {
    const big = `${resources('big')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: ${'x'.repeat(1.5 * 1024 * 1024)}\n`
    const dir = await rendered('big', { 'big.yaml': big })
    await expectRefused(
      () => sync({ manifests: dir, 'max-manifest-mb': '1' }),
      "Input 'manifests' big.yaml is 1.5 MiB, over the limit of 1 MiB per file",
      "'max-manifest-mb'",
    )
    expectOk(await sync({ application: 'big', manifests: dir, 'max-manifest-mb': '2' }))
    await expectRefused(
      () => sync({ manifests: dir, 'max-manifest-mb': '51' }),
      "Input 'max-manifest-mb' must be between 1 and 50",
    )
  })
  test('the default limit is 10 MiB', async () => {
    const dir = await rendered('huge', {
      'huge.yaml': `${resources('huge')}# ${'y'.repeat(10.5 * 1024 * 1024)}\n`,
    })
    await expectRefused(
      () => sync({ manifests: dir }),
      'huge.yaml is 10.5 MiB, over the limit of 10 MiB per file',
    )
  })
  test('helm-values at a map is refused, naming the path and what is there', async () => {
    await expectRefused(
      () =>
        sync({
          application: 'helmed',
          manifests: '',
          image: 'ghcr.io/acme/helmed',
          tag: 'v2.0.0',
          update: 'helm-values:values.yaml:image',
        }),
      "Input 'update' values.yaml: image is a map (repository, tag), not a value",
      'helm-values:values.yaml:image.tag',
    )
    expect(gh.tree(DEPLOY, 'main')[`${APPS}/web/helmed/values.yaml`]).toContain('tag: v1.0.0')
  })
  test.each<[string, string]>([
    ['web.acme.test', "is not an absolute URL: 'web.acme.test'"],
    ['not a url', 'must not contain spaces or line breaks'],
    ['javascript:alert(1)', 'must be an http or https URL'],
    ['https://a.test/\nb: c', 'must not contain spaces or line breaks'],
    ['https://user:pw@a.test', 'must not contain credentials'],
  ])('the webapp-url annotation %j gets the app-hostname check', async (url, problem) => {
    const dir = await rendered(`url-${Buffer.from(url).toString('hex')}`, {
      'resources.yaml': resources('web-app', url),
    })
    await expectRefused(
      () => sync({ manifests: dir }),
      "Input 'manifests' resources.yaml, document 1: the outputs.platform.cloudposse.com/webapp-url annotation",
      problem,
    )
  })
  test('every webapp-url annotation is checked, not only the first', async () => {
    const dir = await rendered('url-second', {
      'a.yaml': resources('a'),
      'b.yaml': resources('b', 'b.acme.test'),
    })
    await expectRefused(
      () => sync({ manifests: dir }),
      "Input 'manifests' b.yaml, document 1: the outputs.platform.cloudposse.com/webapp-url annotation is not an absolute URL",
    )
  })
  test('app-hostname with a space is refused', async () => {
    await expectRefused(
      () => sync({ manifests: 'rendered', 'app-hostname': 'https://a.test/ x' }),
      "Input 'app-hostname' must not contain spaces",
    )
  })
})

test('the canary token is left nowhere when a release is refused for these reasons', async () => {
  const canary = `github_pat_CANARY0012_${'s4f3ty'.repeat(10)}`
  gh.addToken({
    kind: 'fine-grained',
    value: canary,
    owner: 'acme',
    repositories: [DEPLOY],
    permissions: { contents: 'write' },
  })
  const bomb = await rendered('canary-bomb', { 'a.yaml': aliasBomb() })
  const dotgit = await rendered('canary-dotgit', { '.git/x.yaml': resources('x') })
  for (const inputs of <Array<Record<string, string>>>[
    { path: 'plat', namespace: 'use2-dev', application: 'argocd', manifests: 'rendered' },
    { path: 'plat', namespace: 'use2-dev', application: 'argocd', operation: 'destroy' },
    { manifests: bomb },
    { manifests: dotgit },
    { path: 'plat/.GIT', manifests: 'rendered' },
    {
      application: 'helmed',
      image: 'ghcr.io/acme/helmed',
      tag: 'v2',
      update: 'helm-values:values.yaml:image',
    },
  ]) {
    const r = await sync(inputs, canary, { RUNNER_DEBUG: '1' })
    expect(r.code).toBe(1)
    expect(leaks(r, canary)).toEqual([])
    expect(Object.keys(r.tempFiles)).toEqual([])
  }
  expect(pushes()).toEqual([])
})
