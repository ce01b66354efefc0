// sync-argocd-deploy-repo on a deploy repository of realistic size, served by the loopback GitHub
// sandbox over git smart HTTP and GraphQL: what one release costs the bundle with each transport
// (git, graphql), against a plain clone-and-push measured in the same run, how that cost moves
// when the repository grows 10×, and whether 50 concurrent writers with default settings all
// land; then all of it again with a latency added to every request (a `delay` fault), since the
// number of requests in a row is what a real network charges for.
//
//   npx tsx bench/sync-deploy-repo.ts [--runs N] [--warmup W] [--concurrency C] [--scale K]
//                                     [--apps A] [--commits M] [--latency MS] [--node BIN] [--write]
//   npm run bench:sync -- --write
//
// The repositories (generated with `git fast-import` into a scratch bare repository, then pushed
// into the sandbox through its smart HTTP, so the sandbox's model follows as after any push):
//   1×    3 clusters (<tenant>/<env>-<stage>/apps) × A apps (default 2,000) spread over 20
//         namespaces × 3 files (config.yaml, manifests/resources.yaml, manifests/extra.yaml);
//         M commits (default 2,500): one import of every app, then releases of 1-4 apps each.
//   K×    the same with K × A apps per cluster (default 10×: 20,000, i.e. 180,000 files), and the
//         same M commits. The apps grow, not the history: both sides fetch with depth 1, so only
//         the size of the tip can move their cost.
// Each round picks one existing app per repository and releases it twice, in an order rotated
// every round so drift hits all alike:
//   bundle    actions/sync-argocd-deploy-repo/dist/index.js through runBundle, as the runner runs it
//             (manifests from the workspace, default inputs otherwise: transport git). Time: spawn
//             to exit.
//   graphql   the same bundle with `transport: graphql` (one query, one createCommitOnBranch).
//   baseline  git clone --depth 1, write the same 3 files, git add + commit, git push. Time: from
//             the clone's spawn to the push's exit (the work tree's removal is not counted).
// Bytes downloaded: the sandbox's response bodies (`bytesOut`) over every request of the run.
// W warm-up rounds, then N measured ones; medians and p90, ratios of medians.
// Then C (default 50) bundle runs at once, each releasing a different app of the 1× repository,
// default max-attempts and timeout, once per transport: total wall time, attempts per run (the
// job summary's `| Attempts | n |`), and whether every release is in the final tree (none lost).
// Everything runs twice: on the bare loopback, then with --latency ms (default 30) added to every
// request the sandbox answers (git and GraphQL alike).
//
// --write   records the tables in bench/RESULTS.md, section "## sync-argocd-deploy-repo"
//           (replacing a run of the same date+commit), placed before the cold-start section,
//           which bench/cold-start.js owns.

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

import {
  node24,
  runBundle,
  startGitHubSandbox,
  type BundleRun,
  type GitHubSandbox,
  type RecordedRequest,
} from '@argocd-actions/sandbox'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const resultsFile = path.join(root, 'bench', 'RESULTS.md')
const ACTION = 'sync-argocd-deploy-repo'
const SECTION = '## sync-argocd-deploy-repo'
const MARKER =
  '<!-- sync-argocd-deploy-repo results: newest first; written by `npm run bench:sync -- --write` -->'
/** The section this one goes before (bench/cold-start.js rewrites what follows its marker). */
const COLD_START = /^## Cold start/m

const ORG = 'acme'
const CLUSTERS = [
  { path: 'plat/use2-dev/apps', stage: 'dev' },
  { path: 'plat/use2-staging/apps', stage: 'staging' },
  { path: 'plat/use2-prod/apps', stage: 'prod' },
]
const NAMESPACES = [
  'web',
  'api',
  'payments',
  'search',
  'checkout',
  'catalog',
  'accounts',
  'billing',
  'identity',
  'media',
  'messaging',
  'analytics',
  'reporting',
  'inventory',
  'shipping',
  'pricing',
  'reviews',
  'support',
  'platform',
  'data',
]
const BOT = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
}
/** Goals of the issue. */
const GOAL = { speedup: 5, maxBytes: 1_000_000, flat: 1.25, concurrency: 50, graphqlRequests: 2 }

interface Options {
  runs: number
  warmup: number
  concurrency: number
  scale: number
  apps: number
  commits: number
  /** ms added to every request in the second pass. */
  latency: number
  node: string
  /** Where every repository and work tree goes (TMPDIR of the whole bench). */
  tmp: string
  write: boolean
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    runs: 5,
    warmup: 1,
    concurrency: GOAL.concurrency,
    scale: 10,
    apps: 2000,
    commits: 2500,
    latency: 30,
    node: existsSync(node24) ? node24 : process.execPath,
    tmp: existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(),
    write: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--write') opts.write = true
    else if (a === '--runs' || a === '-n') opts.runs = Number(argv[++i])
    else if (a === '--warmup') opts.warmup = Number(argv[++i])
    else if (a === '--concurrency') opts.concurrency = Number(argv[++i])
    else if (a === '--scale') opts.scale = Number(argv[++i])
    else if (a === '--apps') opts.apps = Number(argv[++i])
    else if (a === '--commits') opts.commits = Number(argv[++i])
    else if (a === '--latency') opts.latency = Number(argv[++i])
    else if (a === '--node') opts.node = argv[++i] ?? ''
    else if (a === '--tmp') opts.tmp = argv[++i] ?? ''
    else if (a === '--help' || a === '-h') {
      console.log(
        'usage: npx tsx bench/sync-deploy-repo.ts [--runs N] [--warmup W] [--concurrency C] ' +
          '[--scale K] [--apps A] [--commits M] [--latency MS] [--node BIN] [--tmp DIR] [--write]',
      )
      process.exit(0)
    } else {
      console.error(`bench: unknown argument ${a}`)
      process.exit(2)
    }
  }
  const int = (n: number, min: number) => Number.isInteger(n) && n >= min
  if (
    !int(opts.runs, 1) ||
    !int(opts.warmup, 0) ||
    !int(opts.concurrency, 1) ||
    !int(opts.scale, 2) ||
    !int(opts.apps, NAMESPACES.length) ||
    !int(opts.commits, 2) ||
    !int(opts.latency, 1) ||
    !opts.node ||
    !opts.tmp ||
    !existsSync(opts.tmp)
  ) {
    console.error(
      'bench: --runs >= 1, --warmup >= 0, --concurrency >= 1, --scale >= 2, ' +
        `--apps >= ${NAMESPACES.length}, --commits >= 2, --latency >= 1, --node a binary, --tmp a directory`,
    )
    process.exit(2)
  }
  if (opts.concurrency > opts.apps * CLUSTERS.length) {
    console.error('bench: --concurrency cannot exceed the apps of the 1× repository')
    process.exit(2)
  }
  return opts
}

// ---------------------------------------------------------------------------------------------
// Deterministic content

/** mulberry32: the same repositories and picks on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const hex40 = (rand: () => number) =>
  Array.from({ length: 5 }, () =>
    Math.floor(rand() * 2 ** 32)
      .toString(16)
      .padStart(8, '0'),
  ).join('')

interface App {
  cluster: (typeof CLUSTERS)[number]
  namespace: string
  name: string
  /** 0-based number of the app in its cluster. */
  n: number
}
const appDir = (a: App) => `${a.cluster.path}/${a.namespace}/${a.name}`
const hostname = (a: App) => `https://${a.name}.${a.cluster.stage}.acme.test`

function appOf(cluster: number, n: number): App {
  const namespace = NAMESPACES[n % NAMESPACES.length]
  return {
    cluster: CLUSTERS[cluster],
    namespace,
    name: `${namespace}-svc-${String(n).padStart(5, '0')}`,
    n,
  }
}

/** config.yaml as the action renders it (yaml stringify: plain scalars, this key order). */
function configYaml(a: App, commit: string): string {
  return [
    `app_repository: ${ORG}/${a.name}`,
    `app_commit: ${commit}`,
    `app_hostname: ${hostname(a)}`,
    `name: ${a.namespace}.${a.name}`,
    `namespace: ${a.namespace}`,
    `manifests: ${appDir(a)}/manifests`,
    '',
  ].join('\n')
}

function resourcesYaml(a: App, tag: string, replicas: number): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${a.name}`,
    `  namespace: ${a.namespace}`,
    '  labels:',
    `    app.kubernetes.io/name: ${a.name}`,
    `    app.kubernetes.io/part-of: ${a.namespace}`,
    '  annotations:',
    `    outputs.platform.cloudposse.com/webapp-url: ${hostname(a)}`,
    'spec:',
    '  type: ClusterIP',
    '  selector:',
    `    app.kubernetes.io/name: ${a.name}`,
    '  ports:',
    '    - name: http',
    '      port: 80',
    '      targetPort: 8080',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${a.name}`,
    `  namespace: ${a.namespace}`,
    '  labels:',
    `    app.kubernetes.io/name: ${a.name}`,
    `    app.kubernetes.io/version: ${tag}`,
    'spec:',
    `  replicas: ${replicas}`,
    '  selector:',
    '    matchLabels:',
    `      app.kubernetes.io/name: ${a.name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app.kubernetes.io/name: ${a.name}`,
    '    spec:',
    `      serviceAccountName: ${a.name}`,
    '      containers:',
    '        - name: app',
    `          image: ghcr.io/${ORG}/${a.name}:${tag}`,
    '          ports:',
    '            - containerPort: 8080',
    '          env:',
    '            - name: STAGE',
    `              value: ${a.cluster.stage}`,
    '            - name: SERVICE_NAME',
    `              value: ${a.namespace}.${a.name}`,
    '          resources:',
    '            requests:',
    `              cpu: ${50 + (a.n % 7) * 25}m`,
    `              memory: ${128 + (a.n % 5) * 64}Mi`,
    '            limits:',
    `              memory: ${256 + (a.n % 5) * 128}Mi`,
    '          readinessProbe:',
    '            httpGet:',
    '              path: /healthz',
    '              port: 8080',
    '',
  ].join('\n')
}

function extraYaml(a: App, replicas: number): string {
  return [
    'apiVersion: autoscaling/v2',
    'kind: HorizontalPodAutoscaler',
    'metadata:',
    `  name: ${a.name}`,
    `  namespace: ${a.namespace}`,
    'spec:',
    '  scaleTargetRef:',
    '    apiVersion: apps/v1',
    '    kind: Deployment',
    `    name: ${a.name}`,
    `  minReplicas: ${replicas}`,
    `  maxReplicas: ${replicas * 4}`,
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${a.name}-config`,
    `  namespace: ${a.namespace}`,
    'data:',
    `  LOG_LEVEL: ${a.n % 3 === 0 ? 'debug' : 'info'}`,
    `  UPSTREAM_URL: http://${NAMESPACES[(a.n + 1) % NAMESPACES.length]}.svc.cluster.local`,
    '',
  ].join('\n')
}

/** The 3 files of one release of an app, relative to its directory. */
function releaseFiles(a: App, commit: string, tag: string, replicas: number) {
  return {
    'config.yaml': configYaml(a, commit),
    'manifests/resources.yaml': resourcesYaml(a, tag, replicas),
    'manifests/extra.yaml': extraYaml(a, replicas),
  }
}

// ---------------------------------------------------------------------------------------------
// Git, asynchronously (the sandbox serves from this process's event loop)

interface GitResult {
  code: number
  stdout: string
  stderr: string
}

let gitHome = ''

function gitEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: gitHome,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
  }
}

function git(
  args: string[],
  opts: { cwd?: string; input?: string; allowFailure?: boolean } = {},
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: opts.cwd ?? gitHome,
      env: gitEnv(),
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout!.on('data', (c: Buffer) => out.push(c))
    child.stderr!.on('data', (c: Buffer) => err.push(c))
    if (opts.input !== undefined) child.stdin!.end(opts.input)
    child.on('error', reject)
    child.on('close', (code) => {
      const r = {
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }
      if (r.code !== 0 && !opts.allowFailure)
        reject(new Error(`git ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`))
      else resolve(r)
    })
  })
}

/** `sync`: flush dirty pages so that one run's writes do not slow the next one. */
const settleDisk = () =>
  new Promise<void>((resolve) => spawn('sync', { stdio: 'ignore' }).on('close', () => resolve()))

const authHeader = (token: string) =>
  `http.extraheader=AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`

// ---------------------------------------------------------------------------------------------
// The deploy repositories

interface DeployRepo {
  label: string
  fullName: string
  appsPerCluster: number
  files: number
  commits: number
  /** Size of the sandbox's packs after the push (git count-objects). */
  packBytes: number
  /** fast-import + push into the sandbox. */
  setupMs: number
  /** Next picks of apps to release. */
  rand: () => number
}

/**
 * Writes the history with `git fast-import` into a scratch bare repository: commit 1 imports
 * every app of the 3 clusters, each later commit releases 1-4 random apps (new app commit and
 * image tag, sometimes new replicas), as the action would write them.
 */
async function generate(dir: string, appsPerCluster: number, commits: number, seed: number) {
  await git(['init', '--quiet', '--bare', '--initial-branch=main', dir])
  const child = spawn('git', ['--git-dir', dir, 'fast-import', '--quiet', '--done'], {
    env: gitEnv(),
    stdio: ['pipe', 'ignore', 'pipe'],
  })
  const err: Buffer[] = []
  child.stderr.on('data', (c: Buffer) => err.push(c))
  const done = new Promise<number>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve(code ?? -1))
  })
  let buffer: string[] = []
  let size = 0
  const flush = async () => {
    if (size === 0) return
    const chunk = buffer.join('')
    buffer = []
    size = 0
    if (!child.stdin.write(chunk))
      await new Promise<void>((resolve) => child.stdin.once('drain', resolve))
  }
  const emit = async (s: string) => {
    buffer.push(s)
    size += s.length
    if (size > 1 << 20) await flush()
  }
  const data = (s: string) => `data ${Buffer.byteLength(s)}\n${s}\n`
  const rand = prng(seed)
  let time = Date.UTC(2024, 0, 1) / 1000
  const commit = async (message: string, files: Record<string, string>) => {
    time += 600 + Math.floor(rand() * 3600)
    const who = `${BOT.name} <${BOT.email}> ${time} +0000`
    await emit(`commit refs/heads/main\nauthor ${who}\ncommitter ${who}\n${data(message)}`)
    for (const [p, content] of Object.entries(files))
      await emit(`M 100644 inline ${p}\n${data(content)}`)
    await emit('\n')
  }
  const state = new Map<string, { replicas: number; release: number }>()
  const key = (c: number, n: number) => `${c}/${n}`
  const all: Record<string, string> = {}
  for (let c = 0; c < CLUSTERS.length; c++) {
    for (let n = 0; n < appsPerCluster; n++) {
      const a = appOf(c, n)
      const replicas = 1 + (n % 3)
      state.set(key(c, n), { replicas, release: 0 })
      for (const [p, content] of Object.entries(releaseFiles(a, hex40(rand), 'v1.0.0', replicas)))
        all[`${appDir(a)}/${p}`] = content
    }
  }
  all['README.md'] = '# argocd-deploy\n\nRendered manifests of every application, per cluster.\n'
  await commit('Import the deploy repository\n', all)
  for (let i = 1; i < commits; i++) {
    const touched = 1 + Math.floor(rand() * 4)
    const files: Record<string, string> = {}
    const names: string[] = []
    for (let t = 0; t < touched; t++) {
      const c = Math.floor(rand() * CLUSTERS.length)
      const n = Math.floor(rand() * appsPerCluster)
      const a = appOf(c, n)
      const s = state.get(key(c, n))!
      s.release++
      if (rand() < 0.1) s.replicas = 1 + Math.floor(rand() * 4)
      const sha = hex40(rand)
      const tag = `v1.${s.release}.${Math.floor(rand() * 10)}`
      for (const [p, content] of Object.entries(releaseFiles(a, sha, tag, s.replicas)))
        files[`${appDir(a)}/${p}`] = content
      names.push(`${a.namespace}.${a.name}@${sha.slice(0, 7)}`)
    }
    await commit(`Deploy ${names.join(', ')}\n\nArgocd-Operation: deploy\n`, files)
  }
  await emit('done\n')
  await flush()
  child.stdin.end()
  const code = await done
  if (code !== 0)
    throw new Error(`git fast-import failed (${code}): ${Buffer.concat(err).toString()}`)
  return CLUSTERS.length * appsPerCluster * 3 + 1
}

async function createDeployRepo(
  gh: GitHubSandbox,
  scratch: string,
  label: string,
  appsPerCluster: number,
  commits: number,
  token: string,
  seed: number,
): Promise<DeployRepo> {
  const fullName = `${ORG}/argocd-deploy-${label.replace(/×/, 'x')}`
  const t = performance.now()
  gh.addRepo(fullName, { git: true })
  const dir = path.join(scratch, `${label.replace(/×/, 'x')}.git`)
  const files = await generate(dir, appsPerCluster, commits, seed)
  // Through the sandbox's smart HTTP, as any push: the sandbox's model follows the new history.
  await git([
    '--git-dir',
    dir,
    '-c',
    authHeader(token),
    'push',
    '--quiet',
    '--force',
    `${gh.url}/${fullName}.git`,
    'refs/heads/main:refs/heads/main',
  ])
  await rm(dir, { recursive: true, force: true })
  const setupMs = performance.now() - t
  const count = await git(['--git-dir', gh.gitDir(fullName), 'count-objects', '-v'])
  const packKiB = Number(/^size-pack: (\d+)/m.exec(count.stdout)?.[1] ?? 0)
  const looseKiB = Number(/^size: (\d+)/m.exec(count.stdout)?.[1] ?? 0)
  const total = (
    await git(['--git-dir', gh.gitDir(fullName), 'rev-list', '--count', 'refs/heads/main'])
  ).stdout.trim()
  gh.clearRequests()
  return {
    label,
    fullName,
    appsPerCluster,
    files,
    commits: Number(total),
    packBytes: (packKiB + looseKiB) * 1024,
    setupMs,
    rand: prng(seed ^ 0x5eed),
  }
}

// ---------------------------------------------------------------------------------------------
// One release, two ways

interface Sample {
  ms: number
  /** Response bodies of every request of the run. */
  down: number
  /** Request bodies. */
  up: number
  requests: number
  /** The largest response body of the run. */
  largest: number
  /** The sandbox's time answering the run's git requests (ms), and its receive-pack POSTs alone. */
  server: number
  receive: number
  /** Baseline: clone, edit + commit, push (ms). */
  steps?: [number, number, number]
}

interface Release {
  app: App
  commit: string
  tag: string
  replicas: number
}

function pickRelease(repo: DeployRepo): Release {
  const r = repo.rand
  const app = appOf(Math.floor(r() * CLUSTERS.length), Math.floor(r() * repo.appsPerCluster))
  return { app, commit: hex40(r), tag: `v2.${Math.floor(r() * 1000)}.0`, replicas: 2 }
}

function traffic(requests: RecordedRequest[]): Omit<Sample, 'ms'> {
  let down = 0
  let up = 0
  let largest = 0
  let server = 0
  let receive = 0
  for (const q of requests) {
    server += q.durationMs ?? 0
    if (q.method === 'POST' && q.path.endsWith('/git-receive-pack')) receive += q.durationMs ?? 0
    down += q.bytesOut ?? 0
    up += q.bytesIn ?? Buffer.byteLength(q.body ?? '')
    largest = Math.max(largest, q.bytesOut ?? 0)
  }
  return { down, up, requests: requests.length, largest, server, receive }
}

/** Writes the release's manifests into the workspace; returns the `manifests` input. */
async function stageManifests(workspace: string, rel: Release, id: string): Promise<string> {
  const dir = path.join(workspace, id)
  await mkdir(dir, { recursive: true })
  const files = releaseFiles(rel.app, rel.commit, rel.tag, rel.replicas)
  await writeFile(path.join(dir, 'resources.yaml'), files['manifests/resources.yaml'])
  await writeFile(path.join(dir, 'extra.yaml'), files['manifests/extra.yaml'])
  return id
}

type Transport = 'git' | 'graphql'

function bundleInputs(
  gh: GitHubSandbox,
  repo: DeployRepo,
  token: string,
  rel: Release,
  manifests: string,
  transport: Transport,
) {
  return {
    ...(transport === 'graphql' ? { transport } : {}),
    token,
    repository: repo.fullName,
    path: rel.app.cluster.path,
    namespace: rel.app.namespace,
    application: rel.app.name,
    manifests,
    'app-repository': `${ORG}/${rel.app.name}`,
    'app-commit': rel.commit,
    'git-url': gh.url,
    'github-api-url': gh.url,
  }
}

function checkRun(run: BundleRun, what: string, transport: Transport): void {
  // A GraphQL release is a commit GitHub signed: the output says so.
  const unverified = transport === 'graphql' && run.outputs.verified !== 'true'
  if (run.code !== 0 || run.outputs.changed !== 'true' || unverified) {
    throw new Error(
      `${what}: exit ${run.code}, changed=${run.outputs.changed}, verified=${run.outputs.verified}\n${run.errors.join('\n')}\n` +
        `${run.printed.slice(-2000)}\n${run.stderr.slice(-2000)}`,
    )
  }
}

async function bundleOnce(
  gh: GitHubSandbox,
  repo: DeployRepo,
  token: string,
  workspace: string,
  rel: Release,
  id: string,
  opts: Options,
  transport: Transport,
): Promise<Sample> {
  const manifests = await stageManifests(workspace, rel, id)
  gh.clearRequests()
  const run = await runBundle(ACTION, bundleInputs(gh, repo, token, rel, manifests, transport), {
    env: { GITHUB_WORKSPACE: workspace },
    node: opts.node,
    timeoutMs: 600_000,
  })
  const requests = [...gh.requests]
  checkRun(run, `bundle (${transport}) ${repo.label} ${appDir(rel.app)}`, transport)
  return { ms: run.durationMs, ...traffic(requests) }
}

/** The baseline: git clone --depth 1 + edit + commit + push, with the token as the bundle sends it. */
async function baselineOnce(
  gh: GitHubSandbox,
  repo: DeployRepo,
  token: string,
  rel: Release,
): Promise<Sample> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'bench-sync-baseline-'))
  const clone = path.join(work, 'deploy')
  const auth = ['-c', authHeader(token)]
  const files = releaseFiles(rel.app, rel.commit, rel.tag, rel.replicas)
  gh.clearRequests()
  const t = performance.now()
  await git([...auth, 'clone', '--quiet', '--depth', '1', `${gh.url}/${repo.fullName}.git`, clone])
  const cloned = performance.now()
  const dir = path.join(clone, appDir(rel.app))
  await mkdir(path.join(dir, 'manifests'), { recursive: true })
  for (const [p, content] of Object.entries(files)) await writeFile(path.join(dir, p), content)
  await git(['add', '-A', '--', appDir(rel.app)], { cwd: clone })
  await git(
    [
      '-c',
      `user.name=${BOT.name}`,
      '-c',
      `user.email=${BOT.email}`,
      'commit',
      '--quiet',
      '-m',
      `Deploy ${ORG}/${rel.app.name}@${rel.commit} to ${rel.app.namespace}.${rel.app.name}`,
    ],
    { cwd: clone },
  )
  const committed = performance.now()
  await git([...auth, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main'], { cwd: clone })
  const end = performance.now()
  const requests = [...gh.requests]
  await rm(work, { recursive: true, force: true })
  return {
    ms: end - t,
    ...traffic(requests),
    steps: [cloned - t, committed - cloned, end - committed],
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics

function quantile(sorted: number[], q: number): number {
  // nearest rank, as bench/cold-start.js
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[i]
}
function stats(samples: number[]): { median: number; p90: number } {
  const s = [...samples].sort((a, b) => a - b)
  return { median: quantile(s, 0.5), p90: quantile(s, 0.9) }
}

interface Side {
  ms: { median: number; p90: number }
  down: { median: number; p90: number }
  up: number
  requests: { min: number; max: number }
  /** Median of the largest response of each run. */
  largest: number
  /** Medians of the server's time, of its receive-pack time, and of the rest (the client's). */
  server: number
  receive: number
  client: number
  /** Baseline: medians of clone, edit + commit, push. */
  steps?: number[]
}
function side(samples: Sample[]): Side {
  const req = samples.map((s) => s.requests)
  const median = (xs: number[]) => stats(xs).median
  return {
    ms: stats(samples.map((s) => s.ms)),
    down: stats(samples.map((s) => s.down)),
    up: median(samples.map((s) => s.up)),
    requests: { min: Math.min(...req), max: Math.max(...req) },
    largest: median(samples.map((s) => s.largest)),
    server: median(samples.map((s) => s.server)),
    receive: median(samples.map((s) => s.receive)),
    client: median(samples.map((s) => s.ms - s.server)),
    ...(samples[0]?.steps && {
      steps: [0, 1, 2].map((i) => median(samples.map((s) => s.steps![i]))),
    }),
  }
}

interface RepoRow {
  repo: DeployRepo
  /** The bundle with transport git (the default). */
  bundle: Side
  /** The bundle with transport graphql. */
  graphql: Side
  baseline: Side
}

async function measure(
  gh: GitHubSandbox,
  repos: DeployRepo[],
  token: string,
  workspace: string,
  opts: Options,
  /** Tells the passes' workspace directories apart. */
  label: string,
): Promise<RepoRow[]> {
  type Job = { repo: DeployRepo; kind: 'bundle' | 'graphql' | 'baseline' }
  const jobs: Job[] = repos.flatMap((repo) => [
    { repo, kind: 'bundle' as const },
    { repo, kind: 'graphql' as const },
    { repo, kind: 'baseline' as const },
  ])
  const samples = new Map<string, Sample[]>(jobs.map((j) => [`${j.repo.label}/${j.kind}`, []]))
  for (let round = 0; round < opts.warmup + opts.runs; round++) {
    // One app per repository per round, released by both sides (each with its own app commit).
    const picks = new Map(repos.map((r) => [r.label, pickRelease(r)]))
    const shift = round % jobs.length
    let order = [...jobs.slice(shift), ...jobs.slice(0, shift)]
    if (round % 2 === 1) order.reverse()
    // Warm-up on the small repository only: a baseline round on the large one costs half a minute.
    if (round < opts.warmup) order = order.filter((j) => j.repo === repos[0])
    for (const job of order) {
      // Untimed: the previous run's work tree (180,000 files at 10×) and its removal are written
      // back to the disk now, not during the next run's clock.
      await settleDisk()
      const pick = picks.get(job.repo.label)!
      const rel = { ...pick, commit: hex40(job.repo.rand) }
      const sample =
        job.kind === 'baseline'
          ? await baselineOnce(gh, job.repo, token, rel)
          : await bundleOnce(
              gh,
              job.repo,
              token,
              workspace,
              rel,
              `${label}r${round}-${job.repo.label}-${job.kind}`,
              opts,
              job.kind === 'graphql' ? 'graphql' : 'git',
            )
      if (round >= opts.warmup) samples.get(`${job.repo.label}/${job.kind}`)!.push(sample)
      console.log(
        `  ${round < opts.warmup ? 'warm-up' : `round ${round - opts.warmup + 1}`}  ` +
          `${job.repo.label.padEnd(4)} ${job.kind.padEnd(8)} ${fmtMs(sample.ms).padStart(8)} ms` +
          `  ${kib(sample.down).padStart(10)} down (largest ${kib(sample.largest)})` +
          `  ${String(sample.requests).padStart(3)} requests` +
          `${sample.steps ? `  clone ${fmtMs(sample.steps[0])}, commit ${fmtMs(sample.steps[1])}, push ${fmtMs(sample.steps[2])} ms` : ''}`,
      )
    }
  }
  return repos.map((repo) => ({
    repo,
    bundle: side(samples.get(`${repo.label}/bundle`)!),
    graphql: side(samples.get(`${repo.label}/graphql`)!),
    baseline: side(samples.get(`${repo.label}/baseline`)!),
  }))
}

// ---------------------------------------------------------------------------------------------
// Concurrent writers

interface Concurrency {
  transport: Transport
  writers: number
  totalMs: number
  landed: number
  /** Runs that exited with an error (they say so: the release did not land). */
  failed: string[]
  /** Runs that reported success but whose release is not in the final tree: lost silently. */
  lost: string[]
  /** Why the failed runs gave up: all attempts used, or the deadline first. */
  gaveUp: { attempts: number; timeout: number }
  commitsAdded: number
  attempts: number[]
  runMs: { median: number; p90: number; max: number }
  /**
   * Writes sent: POSTs to git-receive-pack (a push refused by the client on the advertisement
   * sends none), or createCommitOnBranch mutations.
   */
  pushes: number
  down: number
}

async function concurrent(
  gh: GitHubSandbox,
  repo: DeployRepo,
  token: string,
  workspace: string,
  opts: Options,
  transport: Transport,
  /** Each call releases its own app commits (and apps). */
  seed: number,
): Promise<Concurrency> {
  // C different apps, spread over the clusters and namespaces.
  const rand = prng(0xc0ffee ^ seed)
  const chosen = new Map<string, Release>()
  while (chosen.size < opts.concurrency) {
    const rel: Release = {
      app: appOf(chosen.size % CLUSTERS.length, Math.floor(rand() * repo.appsPerCluster)),
      commit: hex40(rand),
      tag: `v3.${chosen.size}.0`,
      replicas: 3,
    }
    chosen.set(appDir(rel.app), rel)
  }
  const releases = [...chosen.values()]
  const inputs = await Promise.all(
    releases.map(async (rel, i) =>
      bundleInputs(
        gh,
        repo,
        token,
        rel,
        await stageManifests(workspace, rel, `c${seed}-${i}`),
        transport,
      ),
    ),
  )
  const before = (
    await git(['--git-dir', gh.gitDir(repo.fullName), 'rev-parse', 'refs/heads/main'])
  ).stdout.trim()
  await settleDisk()
  gh.clearRequests()
  const t = performance.now()
  const runs = await Promise.all(
    inputs.map((i) =>
      runBundle(ACTION, i, {
        env: { GITHUB_WORKSPACE: workspace },
        node: opts.node,
        timeoutMs: 900_000,
      }),
    ),
  )
  const totalMs = performance.now() - t
  const requests = [...gh.requests]
  gh.clearRequests()

  const failed: string[] = []
  const gaveUp = { attempts: 0, timeout: 0 }
  const ok = new Set<string>()
  const attempts: number[] = []
  runs.forEach((run, i) => {
    const where = appDir(releases[i].app)
    if (run.code !== 0 || run.outputs.changed !== 'true')
      failed.push(`${where}: exit ${run.code}: ${run.errors.join(' / ').slice(0, 300)}`)
    else ok.add(where)
    // The job summary of a success; the error of a run that gave up ("rejected N times", or
    // for graphql "refused N times because the branch moved").
    const m =
      /^\| Attempts \| (\d+) \|$/m.exec(run.summary) ??
      /the (?:push was rejected|commit was refused) (\d+) times/.exec(run.errors.join('\n'))
    if (m) attempts.push(Number(m[1]))
    const limit =
      /(?:rejected (\d+) times by concurrent writers|refused (\d+) times because the branch moved) \((?:concurrent writers; )?max-attempts (\d+)/.exec(
        run.errors.join('\n'),
      )
    if (limit) gaveUp[Number(limit[1] ?? limit[2]) >= Number(limit[3]) ? 'attempts' : 'timeout']++
  })
  // Every app's config.yaml on the final tip must name its own release.
  const missing: string[] = []
  for (const rel of releases) {
    const show = await git(
      [
        '--git-dir',
        gh.gitDir(repo.fullName),
        'show',
        `refs/heads/main:${appDir(rel.app)}/config.yaml`,
      ],
      { allowFailure: true },
    )
    if (show.stdout !== configYaml(rel.app, rel.commit)) missing.push(appDir(rel.app))
  }
  const added = await git([
    '--git-dir',
    gh.gitDir(repo.fullName),
    'rev-list',
    '--count',
    `${before}..refs/heads/main`,
  ])
  const pushes = requests.filter((q) =>
    transport === 'git'
      ? q.method === 'POST' && q.path.endsWith('/git-receive-pack')
      : q.method === 'POST' && q.path === '/graphql' && isMutation(q.body),
  )
  const ms = runs.map((r) => r.durationMs).sort((a, b) => a - b)
  return {
    transport,
    writers: releases.length,
    totalMs,
    landed: releases.length - missing.length,
    failed,
    lost: missing.filter((m) => ok.has(m)),
    gaveUp,
    commitsAdded: Number(added.stdout.trim()),
    attempts,
    runMs: { ...stats(ms), max: ms[ms.length - 1] },
    pushes: pushes.length,
    down: traffic(requests).down,
  }
}

/** Whether a recorded /graphql body is a mutation (the transport sends one operation a request). */
function isMutation(body: string): boolean {
  try {
    const q = (JSON.parse(body) as { query?: unknown }).query
    return typeof q === 'string' && /^\s*mutation\b/.test(q)
  } catch {
    return false
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const fmtMs = (ms: number) => ms.toFixed(0)
const sec = (ms: number) => (ms / 1000).toFixed(1)
const kib = (b: number) =>
  b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`
const int = (n: number) => n.toLocaleString('en-US')
const yes = (ok: boolean) => (ok ? 'yes' : '**no**')

function repoFacts(rows: RepoRow[]): string[] {
  return [
    '| repository | clusters | apps | namespaces | files | commits | packed on the server | generated + pushed in |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      ({ repo: r }) =>
        `| ${r.label} | ${CLUSTERS.length} | ${int(r.appsPerCluster * CLUSTERS.length)} | ${NAMESPACES.length} | ` +
        `${int(r.files)} | ${int(r.commits)} | ${kib(r.packBytes)} | ${sec(r.setupMs)} s |`,
    ),
  ]
}

function repoTable(rows: RepoRow[]): string[] {
  const lines = [
    '| repository | side | median ms | p90 ms | server ms (of which receive-pack) | the rest ms | downloaded (median) | largest response (median) | uploaded (median) | requests (in a row) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const r of rows) {
    const span = (s: Side) =>
      s.requests.min === s.requests.max
        ? `${s.requests.min}`
        : `${s.requests.min}–${s.requests.max}`
    for (const [name, s] of [
      ['bundle, transport git', r.bundle],
      ['bundle, transport graphql', r.graphql],
      ['baseline: `git clone --depth 1` + commit + push', r.baseline],
    ] as const) {
      lines.push(
        `| ${r.repo.label} | ${name} | ${fmtMs(s.ms.median)} | ${fmtMs(s.ms.p90)} | ${fmtMs(s.server)} (${fmtMs(s.receive)}) | ${fmtMs(s.client)} | ${kib(s.down.median)} | ${kib(s.largest)} | ${kib(s.up)} | ${span(s)} |`,
      )
    }
  }
  return lines
}

/** Where the baseline's time goes (medians of its steps). */
function stepLines(rows: RepoRow[]): string[] {
  return rows.map((r) => {
    const [clone, commit, push] = r.baseline.steps ?? [NaN, NaN, NaN]
    return (
      `- Baseline on ${r.repo.label}: clone ${fmtMs(clone)} ms, write + \`git add\` + \`git commit\` ${fmtMs(commit)} ms, ` +
      `push ${fmtMs(push)} ms (medians of each step).`
    )
  })
}

interface Verdicts {
  speedup: number[]
  bytes: number[]
  flatMs: number
  flatBytes: number
  baselineGrowthMs: number
  baselineGrowthBytes: number
}

function verdicts(rows: RepoRow[]): Verdicts {
  const [small, big] = rows
  return {
    speedup: rows.map((r) => r.baseline.ms.median / r.bundle.ms.median),
    bytes: rows.map((r) => r.bundle.down.median),
    flatMs: big.bundle.ms.median / small.bundle.ms.median,
    flatBytes: big.bundle.down.median / small.bundle.down.median,
    baselineGrowthMs: big.baseline.ms.median / small.baseline.ms.median,
    baselineGrowthBytes: big.baseline.down.median / small.baseline.down.median,
  }
}

function goalsTable(rows: RepoRow[], c: Concurrency, opts: Options): string[] {
  const v = verdicts(rows)
  const [small, big] = rows
  const a = [...c.attempts].sort((x, y) => x - y)
  const allLanded = c.landed === c.writers && c.commitsAdded === c.writers
  return [
    '| goal | measured | met |',
    '| --- | --- | :---: |',
    `| ≥ ${GOAL.speedup}× faster than the baseline | ${small.repo.label}: **${v.speedup[0].toFixed(2)}×** (${fmtMs(small.baseline.ms.median)} / ${fmtMs(small.bundle.ms.median)} ms); ${big.repo.label}: **${v.speedup[1].toFixed(2)}×** (${fmtMs(big.baseline.ms.median)} / ${fmtMs(big.bundle.ms.median)} ms) | ${yes(v.speedup.every((s) => s >= GOAL.speedup))} |`,
    `| ≤ 1 MB downloaded by the bundle | ${small.repo.label}: ${kib(v.bytes[0])}; ${big.repo.label}: ${kib(v.bytes[1])} (baseline: ${kib(small.baseline.down.median)}; ${kib(big.baseline.down.median)}) | ${yes(v.bytes.every((b) => b <= GOAL.maxBytes))} |`,
    `| flat as the repository grows ${opts.scale}× (bundle ${big.repo.label} / ${small.repo.label} ≤ ${GOAL.flat}×) | bundle: time ${ratio(big.bundle.ms.median, small.bundle.ms.median)} (without the server's time: ${ratio(big.bundle.client, small.bundle.client)}; the server's receive-pack: ${ratio(big.bundle.receive, small.bundle.receive)}), bytes ${ratio(big.bundle.down.median, small.bundle.down.median)}; baseline: time ${ratio(big.baseline.ms.median, small.baseline.ms.median)}, bytes ${ratio(big.baseline.down.median, small.baseline.down.median)} | ${yes(v.flatMs <= GOAL.flat && v.flatBytes <= GOAL.flat)} |`,
    `| ${GOAL.concurrency} concurrent writers, default settings, all land | ${c.writers} writers: ${c.landed} landed, ${c.commitsAdded} commits added, ${c.failed.length} gave up with an error, ${c.lost.length} lost silently; ${sec(c.totalMs)} s in all; attempts median ${quantile(a, 0.5)}, max ${a[a.length - 1]}, sum ${a.reduce((x, y) => x + y, 0)} | ${yes(allLanded && c.writers >= GOAL.concurrency)} |`,
  ]
}

function concurrencyTable(cs: Concurrency[], repo: DeployRepo): string[] {
  const lines = [
    '| repository | transport | writers | total s | landed (in the final tree) | commits added | failed runs (with an error) | lost silently | attempts median / p90 / max | attempts sum (lost races) | writes sent (receive-pack POSTs / mutations) | run median / p90 / max s | downloaded, all runs |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  const hists: string[] = []
  for (const c of cs) {
    const a = [...c.attempts].sort((x, y) => x - y)
    const sum = a.reduce((x, y) => x + y, 0)
    const hist = new Map<number, number>()
    for (const n of a) hist.set(n, (hist.get(n) ?? 0) + 1)
    lines.push(
      `| ${repo.label} | ${c.transport} | ${c.writers} | ${sec(c.totalMs)} | ${c.landed} / ${c.writers} | ${c.commitsAdded} | ${c.failed.length} | ${c.lost.length} | ${quantile(a, 0.5)} / ${quantile(a, 0.9)} / ${a[a.length - 1]} | ${sum} (${sum - a.length}) | ${c.pushes} | ${sec(c.runMs.median)} / ${sec(c.runMs.p90)} / ${sec(c.runMs.max)} | ${kib(c.down)} |`,
    )
    hists.push(
      `Attempts per run (${c.transport}): ${[...hist.entries()].map(([n, k]) => `${n}: ${k}`).join(', ')}.`,
    )
  }
  return [...lines, '', hists.join(' ')]
}

interface Pass {
  /** ms added to every request (0: the bare loopback). */
  latency: number
  rows: RepoRow[]
  git: Concurrency
  graphql: Concurrency
}

const median = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  )
const allLanded = (c: Concurrency) => c.landed === c.writers && c.commitsAdded === c.writers

/** Issue 13's goals for the GraphQL transport, over both passes. */
function graphqlGoals(passes: Pass[]): string[] {
  const [bare, slow] = passes
  const small = slow.rows[0]
  const speedup = small.baseline.ms.median / small.graphql.ms.median
  const maxRequests = Math.max(...passes.flatMap((p) => p.rows.map((r) => r.graphql.requests.max)))
  const spans = passes
    .map((p) =>
      p.rows
        .map(
          (r) =>
            `${r.repo.label}${p.latency ? ` +${p.latency} ms` : ''}: ${r.graphql.requests.min}–${r.graphql.requests.max}`,
        )
        .join(', '),
    )
    .join('; ')
  const writers = passes.map(
    (p) =>
      `${p.latency ? `+${p.latency} ms` : 'bare'}: graphql ${p.graphql.landed}/${p.graphql.writers} landed, ${p.graphql.lost.length} lost, attempts median ${median(p.graphql.attempts)} (git ${p.git.landed}/${p.git.writers}, ${p.git.lost.length} lost, median ${median(p.git.attempts)})`,
  )
  const fewer = passes.every(
    (p) =>
      p.graphql.writers >= GOAL.concurrency &&
      allLanded(p.graphql) &&
      median(p.graphql.attempts) < median(p.git.attempts),
  )
  return [
    '| goal (transport graphql) | measured | met |',
    '| --- | --- | :---: |',
    `| ≤ ${GOAL.graphqlRequests} requests in a row for a release that wins its race | requests per release: ${spans} | ${yes(maxRequests <= GOAL.graphqlRequests)} |`,
    `| ≥ ${GOAL.speedup}× faster than the clone baseline on ${small.repo.label} at ${slow.latency} ms per request | **${speedup.toFixed(2)}×** (${fmtMs(small.baseline.ms.median)} / ${fmtMs(small.graphql.ms.median)} ms; bare loopback: ${(bare.rows[0].baseline.ms.median / bare.rows[0].graphql.ms.median).toFixed(2)}×) | ${yes(speedup >= GOAL.speedup)} |`,
    `| ${GOAL.concurrency} concurrent writers all land, none lost, fewer attempts per writer than git | ${passes[0].graphql.writers} writers; ${writers.join('; ')} | ${yes(fewer)} |`,
  ]
}

function graphqlInterpretation(passes: Pass[]): string {
  const text: string[] = []
  for (const p of passes) {
    const where = p.latency ? `With ${p.latency} ms added to every request` : 'On the bare loopback'
    const [small, big] = p.rows
    text.push(
      `${where}, one release with transport graphql takes ${fmtMs(small.graphql.ms.median)} ms on ${small.repo.label} and ` +
        `${fmtMs(big.graphql.ms.median)} ms on ${big.repo.label} in ${small.graphql.requests.max} and ${big.graphql.requests.max} requests ` +
        `(transport git: ${fmtMs(small.bundle.ms.median)} and ${fmtMs(big.bundle.ms.median)} ms in ${small.bundle.requests.max} and ${big.bundle.requests.max}; ` +
        `the clone baseline: ${fmtMs(small.baseline.ms.median)} and ${fmtMs(big.baseline.ms.median)} ms); ` +
        `${p.graphql.writers} concurrent writers: ${allLanded(p.graphql) ? 'all landed' : `${p.graphql.landed} landed`} in ${sec(p.graphql.totalMs)} s ` +
        `after ${p.graphql.attempts.reduce((x, y) => x + y, 0)} attempts (median ${median(p.graphql.attempts)}), ` +
        `against ${sec(p.git.totalMs)} s and ${p.git.attempts.reduce((x, y) => x + y, 0)} attempts (median ${median(p.git.attempts)}) for git.`,
    )
  }
  return text.join(' ')
}

function interpretation(rows: RepoRow[], c: Concurrency, opts: Options): string {
  const v = verdicts(rows)
  const [small, big] = rows
  const a = [...c.attempts].sort((x, y) => x - y)
  const sum = a.reduce((x, y) => x + y, 0)
  const allLanded = c.landed === c.writers && c.commitsAdded === c.writers
  const apps = (r: RepoRow) => r.repo.appsPerCluster * CLUSTERS.length
  const text = [
    `One release on the ${int(small.repo.files)}-file repository takes the bundle ${fmtMs(small.bundle.ms.median)} ms and ` +
      `${kib(small.bundle.down.median)} downloaded, against ${fmtMs(small.baseline.ms.median)} ms and ` +
      `${kib(small.baseline.down.median)} for a shallow clone, commit and push (${v.speedup[0].toFixed(2)}×).`,
    `With ${opts.scale}× the apps (${int(big.repo.files)} files) the bundle takes ${fmtMs(big.bundle.ms.median)} ms ` +
      `(${ratio(big.bundle.ms.median, small.bundle.ms.median)}) and downloads ${kib(big.bundle.down.median)} ` +
      `(${ratio(big.bundle.down.median, small.bundle.down.median)}), while the baseline grows to ${fmtMs(big.baseline.ms.median)} ms ` +
      `(${ratio(big.baseline.ms.median, small.baseline.ms.median)}) and ${kib(big.baseline.down.median)} ` +
      `(${ratio(big.baseline.down.median, small.baseline.down.median)}); the ratio becomes ${v.speedup[1].toFixed(2)}×.`,
  ]
  // What grows with the apps: the largest response, the listing of the app's namespace directory
  // (git writes a tree whole, so a release reads every entry of the directory that holds it).
  if (v.flatBytes > 1.25) {
    const perNamespace = (r: RepoRow) => apps(r) / CLUSTERS.length / NAMESPACES.length
    const perApp =
      (big.bundle.largest - small.bundle.largest) / (perNamespace(big) - perNamespace(small))
    text.push(
      `What grows is the largest response, ${kib(small.bundle.largest)} at 1× and ${kib(big.bundle.largest)} at ` +
        `${opts.scale}×: the listing of the directory that holds the app (its namespace, ` +
        `${int(perNamespace(small))} then ${int(perNamespace(big))} apps). git writes a tree whole, so a release ` +
        `reads every entry of that directory, about ${perApp.toFixed(0)} bytes per app in it; the other trees ` +
        `on the path keep their size.`,
    )
  }
  if (v.flatMs > 1.25) {
    // What else grows: the server's own work, measured on the sandbox's side of each request.
    text.push(
      `Of the bundle's time, the sandbox spent ${fmtMs(small.bundle.server)} ms answering at 1× and ` +
        `${fmtMs(big.bundle.server)} ms at ${opts.scale}×, ${fmtMs(small.bundle.receive)} and ${fmtMs(big.bundle.receive)} ms of it in ` +
        `receive-pack, whose connectivity check (\`git rev-list --objects --not --all\`) reads every tree of the ` +
        `old tip, whoever pushes (the baseline's push grows alike); the rest, the bundle's own work, goes from ` +
        `${fmtMs(small.bundle.client)} to ${fmtMs(big.bundle.client)} ms (${ratio(big.bundle.client, small.bundle.client)}).`,
    )
  }
  text.push(
    `${c.writers} bundles started at once on different apps with default settings: ` +
      `${allLanded ? 'every release landed, none lost' : `${c.landed} of ${c.writers} releases are in the final tree; ${c.failed.length} runs gave up with an error and ${c.lost.length} were lost silently`}, ` +
      `in ${sec(c.totalMs)} s (${(c.commitsAdded / (c.totalMs / 1000)).toFixed(2)} releases a second), after ${sum} attempts ` +
      `(${sum - a.length} lost races; median ${quantile(a, 0.5)}, max ${a[a.length - 1]} of the default 20).`,
  )
  if (!allLanded) {
    text.push(
      `${c.failed.length} runs gave up: ${c.gaveUp.attempts} after all 20 attempts, ${c.gaveUp.timeout} at the 300 s ` +
        `timeout; ${c.writers} processes shared ${os.availableParallelism()} CPUs and downloaded ` +
        `${kib(c.down / Math.max(1, sum))} per attempt on average (${kib(c.down)} in all).`,
    )
  }
  return text.join(' ')
}

// ---------------------------------------------------------------------------------------------
// RESULTS.md

function gitSync(args: string[]): string {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : ''
}

function gitCommit(): string {
  const head = gitSync(['rev-parse', '--short', 'HEAD']) || 'unknown'
  // The measured code: the bundle and the double.
  const dirty = gitSync([
    'status',
    '--porcelain',
    '--',
    `actions/${ACTION}`,
    'packages/sandbox/src/github',
  ])
  return `${head}${dirty ? '+dirty' : ''}`
}

/** The file system under --tmp, as `df` names it (tmpfs, ext4, ...). */
function tmpKind(dir: string): string {
  const r = spawnSync('df', ['--output=fstype', dir], { encoding: 'utf8' })
  const type = r.status === 0 ? r.stdout.trim().split('\n').pop()?.trim() : undefined
  return `\`${dir}\`${type ? ` (${type})` : ''}`
}

function nodeVersion(bin: string): string {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', env: {} })
  return r.status === 0 ? r.stdout.trim() : 'unknown'
}

const INTRO = `Releasing one app into a large deploy repository. \`bench/sync-deploy-repo.ts\` generates a deploy
repository with \`git fast-import\` (3 clusters \`plat/use2-{dev,staging,prod}/apps\` × 2,000 apps over 20
namespaces × 3 files: \`config.yaml\`, \`manifests/resources.yaml\`, \`manifests/extra.yaml\`; 2,500
commits: one import, then releases of 1 to 4 apps each), pushes it into the loopback GitHub sandbox
through its smart HTTP, and measures in one run the real bundle
(\`actions/sync-argocd-deploy-repo/dist/index.js\` through \`runBundle\`, as the runner would) against
a baseline of \`git clone --depth 1\` + writing the same 3 files + \`git commit\` + \`git push\`, each
releasing the same app (a new app commit) every round, order rotated every round, the disk settled
(\`sync\`, untimed) before every run. Repositories and work trees live in \`/dev/shm\` (tmpfs) when
there is one (\`--tmp\`): on the disk of the machine this was written on, creating files slows down
as the run deletes work trees (the same \`git clone --depth 1\` of 18,000 files took 2.7, 7.4, 12.4,
17.2, 21.2 s in a row, with \`rm -rf\` and \`sync\` between), which would measure the disk, not git. The 10× repository
has 10× the apps (20,000 per cluster, 180,000 files) and the same history: both sides fetch with
depth 1, so the history cannot move their cost, the size of the tip can. Bytes downloaded are the
sandbox's response bodies over every request of a run. Then 50 bundles start at once, each releasing
a different app with default settings (\`max-attempts\` 20, \`timeout-seconds\` 300). Goals (the
issue): at least 5× faster than the baseline, at most 1 MB downloaded, flat as the repository grows
10× (here: bundle time and bytes at 10× within 1.25× of 1×), and the 50 writers all land, none lost.
Loopback, on one machine: no latency and no bandwidth limit (on a real network the baseline's
megabytes cost transfer time, and each of the bundle's requests in a row a round trip), and the
sandbox's \`git http-backend\` (a plain repository: no bitmaps, no repack) shares the CPUs with the
client, so the server's work counts in both sides' times. The bundle runs with both transports:
\`git\` (smart HTTP, the default) and \`graphql\` (one query, one \`createCommitOnBranch\` to the
sandbox's \`/graphql\`, which validates every document against GitHub's published schema and
writes into the same bare repository; issue 13), and the 50 writers run once per transport. Then
everything runs again with a latency added to every request the sandbox answers (\`--latency\`,
default 30 ms, a \`delay\` fault), since what a real network charges is the requests in a row:
issue 13's goals are at most 2 requests for a GraphQL release that wins its race, at least 5×
faster than the clone baseline on 1× at 30 ms, and 50 writers all landing with fewer attempts
than git. Not part of CI.

\`\`\`sh
npm run bench:sync                  # print only
npm run bench:sync -- --write       # also record the tables below
npm run bench:sync -- --runs 9 --scale 10 --concurrency 50 --latency 30
\`\`\`
`

/** Both passes: tables per pass, then the goals (issue 8's on the bare loopback, issue 13's). */
function report(passes: Pass[], opts: Options): string[] {
  const out: string[] = []
  for (const p of passes) {
    const where = p.latency
      ? `${p.latency} ms added to every request (\`delay\` fault)`
      : 'bare loopback'
    out.push(
      `**One release, ${where}**`,
      '',
      ...repoTable(p.rows),
      '',
      `**${p.git.writers} concurrent writers, ${where}** (default settings)`,
      '',
      ...concurrencyTable([p.git, p.graphql], p.rows[0].repo),
      '',
      ...stepLines(p.rows),
      '',
    )
  }
  const [bare] = passes
  out.push(
    '**Goals**',
    '',
    ...goalsTable(bare.rows, bare.git, opts),
    '',
    ...graphqlGoals(passes),
    '',
    `${interpretation(bare.rows, bare.git, opts)} ${graphqlInterpretation(passes)}`,
  )
  return out
}

async function writeResults(passes: Pass[], opts: Options, totalMs: number): Promise<void> {
  const rows = passes[0].rows
  const date = new Date().toISOString().slice(0, 10)
  const commit = gitCommit()
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU'
  const heading = `### sync-argocd-deploy-repo · ${date} · ${commit}`
  const section = [
    heading,
    '',
    `Machine: ${os.platform()} ${os.arch()}, ${os.availableParallelism()} CPU (${cpu}), ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB. Node: ${nodeVersion(opts.node)} (bundle), ` +
      `${process.version} (sandbox). ${gitSync(['--version'])}. ${CLUSTERS.length} clusters × ${int(opts.apps)} apps (${opts.scale}×: ` +
      `× ${int(opts.apps * opts.scale)}), ${int(opts.commits)} commits; ${opts.runs} rounds after ${opts.warmup} warm-up ` +
      `(on 1× only); ${opts.concurrency} concurrent writers per transport; then all again with ${opts.latency} ms added to every request; ` +
      `repositories and work trees in ${tmpKind(opts.tmp)}. ` +
      `The whole bench: ${sec(totalMs)} s.`,
    '',
    ...repoFacts(rows),
    '',
    ...report(passes, opts),
    '',
  ].join('\n')

  let text = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '# Benchmarks\n'
  if (!text.includes(MARKER)) {
    // Our section goes right before the cold start's, whose writer rewrites what follows its own
    // marker; at the end when there is none yet.
    const block = `${SECTION}\n\n${INTRO}\n${MARKER}\n\n`
    const at = text.search(COLD_START)
    text =
      at === -1 ? `${text.trimEnd()}\n\n${block}` : `${text.slice(0, at)}${block}${text.slice(at)}`
  }
  const markerEnd = text.indexOf(MARKER) + MARKER.length
  const rest = text.slice(markerEnd)
  const m = /^## /m.exec(rest)
  const sectionEnd = m ? markerEnd + m.index : text.length
  const ours = text.slice(markerEnd, sectionEnd)
  const start = ours.indexOf(`${heading}\n`)
  let updated: string
  if (start !== -1) {
    // Same date and commit: replace that run, up to the next run or the end of our section.
    const next = ours.indexOf('\n### ', start + heading.length)
    updated = `${ours.slice(0, start)}${section}\n${next === -1 ? '' : ours.slice(next + 1)}`
  } else {
    updated = `\n\n${section}\n${ours.replace(/^\n+/, '')}`
  }
  text = `${text.slice(0, markerEnd)}${updated.replace(/\n*$/, '\n\n')}${text.slice(sectionEnd)}`

  // Formatted as `prettier --check .` expects (padded table columns).
  try {
    const prettier = await import('prettier')
    const options = (await prettier.resolveConfig(resultsFile)) ?? {}
    text = await prettier.format(text, { ...options, filepath: resultsFile })
  } catch (error) {
    console.error(`bench: could not run prettier on ${resultsFile}: ${(error as Error).message}`)
  }
  writeFileSync(resultsFile, `${text.trimEnd()}\n`)
  console.log(`\nbench: wrote ${path.relative(root, resultsFile)} (${heading.slice(4)})`)
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2))
  const bundle = path.join(root, 'actions', ACTION, 'dist', 'index.js')
  if (!existsSync(bundle)) {
    console.error(`bench: no ${path.relative(root, bundle)}; run npm run build first`)
    process.exit(1)
  }
  const started = performance.now()
  // Everything that makes files (the sandbox's bare repositories, runBundle's RUNNER_TEMP, the
  // baseline's clones) goes under --tmp: os.tmpdir() reads TMPDIR at every call.
  process.env.TMPDIR = opts.tmp
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'bench-sync-'))
  gitHome = path.join(scratch, 'home')
  const workspace = path.join(scratch, 'workspace')
  await mkdir(gitHome)
  await mkdir(workspace)
  const gh = await startGitHubSandbox()
  const passes: Pass[] = []
  try {
    gh.addOrg(ORG)
    const labels = ['1×', `${opts.scale}×`]
    const names = labels.map((l) => `${ORG}/argocd-deploy-${l.replace(/×/, 'x')}`)
    const token = gh.addToken({
      kind: 'fine-grained',
      owner: ORG,
      repositories: names,
      permissions: { contents: 'write' },
    })
    console.log(
      `${ACTION}: ${CLUSTERS.length} clusters × ${int(opts.apps)} and × ${int(opts.apps * opts.scale)} apps × 3 files, ` +
        `${int(opts.commits)} commits; ${opts.warmup} warm-up + ${opts.runs} rounds; ${opts.concurrency} concurrent writers; ` +
        `bare, then +${opts.latency} ms per request; ` +
        `bundle on ${nodeVersion(opts.node)}, ${os.availableParallelism()} CPU, files in ${tmpKind(opts.tmp)}`,
    )
    const repos: DeployRepo[] = []
    for (const [i, label] of labels.entries()) {
      const repo = await createDeployRepo(
        gh,
        scratch,
        label,
        opts.apps * (i === 0 ? 1 : opts.scale),
        opts.commits,
        token,
        1 + i,
      )
      console.log(
        `  ${label}: ${int(repo.files)} files, ${int(repo.commits)} commits, pack ${kib(repo.packBytes)}, ` +
          `generated and pushed in ${sec(repo.setupMs)} s`,
      )
      repos.push(repo)
    }
    for (const latency of [0, opts.latency]) {
      // Latency: a delay before every answer the sandbox gives, git and GraphQL alike.
      gh.clearFaults()
      if (latency > 0)
        gh.injectFault({ type: 'delay', ms: latency, times: Number.MAX_SAFE_INTEGER })
      console.log(latency ? `  +${latency} ms on every request:` : '  bare loopback:')
      const rows = await measure(gh, repos, token, workspace, opts, `l${latency}`)
      const writers: Partial<Record<Transport, Concurrency>> = {}
      for (const transport of ['git', 'graphql'] as const) {
        console.log(
          `  ${opts.concurrency} concurrent writers on ${repos[0].label} (${transport}) ...`,
        )
        writers[transport] = await concurrent(
          gh,
          repos[0],
          token,
          workspace,
          opts,
          transport,
          passes.length * 2 + (transport === 'git' ? 0 : 1),
        )
      }
      passes.push({ latency, rows, git: writers.git!, graphql: writers.graphql! })
    }
  } finally {
    await gh.stop()
    await rm(scratch, { recursive: true, force: true })
  }
  const totalMs = performance.now() - started
  console.log(`\n${repoFacts(passes[0].rows).join('\n')}\n`)
  console.log(`${report(passes, opts).join('\n')}\n`)
  for (const c of passes.flatMap((p) => [p.git, p.graphql])) {
    for (const f of c.failed) console.log(`failed (${c.transport}): ${f}`)
    for (const l of c.lost) console.log(`lost (${c.transport}): ${l}`)
  }
  console.log(`\nwhole bench: ${sec(totalMs)} s`)
  if (opts.write) await writeResults(passes, opts, totalMs)
  if (passes.some((p) => [p.git, p.graphql].some((c) => c.failed.length > 0 || c.lost.length > 0)))
    process.exitCode = 1
}

await main()
