import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  repoRoot,
  runBundle,
  startGitHubSandbox,
  type BundleRun,
  type GitHubSandbox,
} from '@argocd-actions/sandbox'

// What a bundle does not do on its way through a run: compile WebAssembly. The only WebAssembly
// in our bundles is undici's HTTP parser; evaluating undici compiles it, and V8 held every
// process ~100 ms at exit to finish that compile (bench/RESULTS.md). The bundles resolve undici
// lazily (scripts/lazy-undici.cjs) and send through node:http (core/http-fetch.ts). A preloaded
// spy records every WebAssembly compile the bundle starts.

const DEPLOY = 'acme/argocd-deploy-start'
let gh: GitHubSandbox
let dir: string
let spy: string

beforeAll(async () => {
  gh = await startGitHubSandbox()
  gh.addOrg('acme')
  gh.addRepo(DEPLOY, { git: true, files: { 'plat/dev/apps/web/old/config.yaml': 'name: old\n' } })
  dir = await mkdtemp(path.join(tmpdir(), 'bundle-start-'))
  await mkdir(path.join(dir, 'rendered'))
  await writeFile(
    path.join(dir, 'rendered', 'resources.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\n',
  )
  spy = path.join(dir, 'wasm-spy.cjs')
  await writeFile(
    spy,
    [
      "const fs = require('node:fs')",
      'const log = (what) => fs.appendFileSync(process.env.WASM_SPY_LOG, what + "\\n")',
      "for (const name of ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {",
      '  const real = WebAssembly[name]',
      '  WebAssembly[name] = function (...args) { log(name); return real.apply(this, args) }',
      '}',
      'WebAssembly.Module = new Proxy(WebAssembly.Module, {',
      "  construct: (target, args) => (log('Module'), Reflect.construct(target, args)),",
      '})',
      '',
    ].join('\n'),
  )
})
afterAll(async () => {
  await gh.stop()
  await rm(dir, { recursive: true, force: true })
})

async function spied(run: (env: Record<string, string>) => Promise<BundleRun>) {
  const log = path.join(dir, `log-${Math.random().toString(36).slice(2)}`)
  await writeFile(log, '')
  const r = await run({ NODE_OPTIONS: `--require ${spy}`, WASM_SPY_LOG: log })
  return { r, compiled: (await readFile(log, 'utf8')).split('\n').filter(Boolean) }
}

test('the spy sees the compile that evaluating undici starts', async () => {
  // Without this, a spy that records nothing would pass the tests below.
  const log = path.join(dir, 'control')
  await writeFile(log, '')
  const r = spawnSync(process.execPath, ['--require', spy, '-e', "require('undici')"], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, WASM_SPY_LOG: log },
  })
  expect(r.status).toBe(0)
  expect(await readFile(log, 'utf8')).toContain('compile')
})

test('a release through GraphQL compiles no WebAssembly', async () => {
  const writer = gh.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: [DEPLOY],
    permissions: { contents: 'write' },
  })
  const { r, compiled } = await spied((env) =>
    runBundle(
      'sync-argocd-deploy-repo',
      {
        token: writer,
        repository: DEPLOY,
        path: 'plat/dev/apps',
        namespace: 'web',
        application: 'api',
        'app-repository': 'acme/api',
        'app-commit': 'c0ffee'.padEnd(40, '0'),
        'git-url': gh.url,
        'github-api-url': gh.url,
        transport: 'graphql',
        manifests: 'rendered',
      },
      { env: { ...env, GITHUB_WORKSPACE: dir } },
    ),
  )
  expect(r.errors).toEqual([])
  expect(r.outputs).toMatchObject({ changed: 'true', verified: 'true' })
  expect(compiled).toEqual([])
})

test('a token check through Octokit (REST) compiles no WebAssembly', async () => {
  const token = gh.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: [DEPLOY],
    permissions: { repository_hooks: 'write' },
  })
  const { r, compiled } = await spied((env) =>
    runBundle(
      'validate-pat-scopes',
      {
        token,
        'api-url': gh.url,
        profile: 'argocd-webhooks',
        repositories: JSON.stringify({ deploy: DEPLOY }),
      },
      { env },
    ),
  )
  expect(r.errors).toEqual([])
  expect(r.outputs).toMatchObject({ valid: 'true', 'token-type': 'fine-grained' })
  expect(compiled).toEqual([])
})
