// publish-ssm-token to 1 and to 4 accounts, on the loopback AWS sandbox with latency on every
// request: do the targets run concurrently, and what does a publication cost on top of the
// bundle's own start, measured against baselines in the same run.
//
//   npx tsx bench/publish-targets.ts [--runs N] [--warmup W] [--latency MS] [--node BIN] [--write]
//   npm run bench:publish -- --write
//
// Runs the real bundle, actions/publish-ssm-token/dist/index.js, the way the runner does
// (runBundle: INPUT_* variables, GITHUB_OUTPUT, RUNNER_TEMP, no other environment) with the job's
// credentials (a role session in the core account) in AWS_ACCESS_KEY_ID & co. and AWS_ENDPOINT_URL
// pointing at the sandbox. A 'delay' fault on every request (default 50 ms) makes network latency
// dominate, as on real AWS. Scenarios:
//   input error        no name: the step fails on its inputs, before any request (and before the
//                      AWS SDK is loaded): the bundle's start, the baseline of the others
//   name               single-account mode: the job's own credentials
//   targets ×1 / ×4    `targets`, a role assumed per target with STS (4 accounts at once)
// each either creating (a fresh parameter name every run) or unchanged (the same name and token
// every run: the stored value is compared and no version is written). Each round runs every
// scenario once, in an order rotated every round so drift hits all alike; W warm-up rounds, then N
// measured ones. Wall time is the bundle process's, spawn to exit. The sandbox's request log gives
// the AWS requests of every run.
//
// --write   records the table in bench/RESULTS.md, section "## publish-ssm-token" (replacing a run
//           of the same date+commit), placed before the cold-start section, which
//           bench/cold-start.js owns.

import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import {
  runBundle,
  startAwsSandbox,
  type AwsCredentials,
  type AwsRecordedRequest,
  type AwsSandbox,
  type BundleRun,
} from '@argocd-actions/sandbox'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const resultsFile = path.join(root, 'bench', 'RESULTS.md')
const ACTION = 'publish-ssm-token'
const SECTION = '## publish-ssm-token'
const MARKER =
  '<!-- publish-ssm-token results: newest first; written by `npm run bench:publish -- --write` -->'
/** The section this one goes before (bench/cold-start.js rewrites what follows its marker). */
const COLD_START = /^## Cold start/m

const REGION = 'us-east-2'
const CORE = '111111111111'
const ACCOUNTS = ['222222222222', '333333333333', '444444444444', '555555555555']
const ROLE = 'publish-tokens'
const roleArn = (account: string) => `arn:aws:iam::${account}:role/${ROLE}`
/** Every request of the run is delayed; the queue never runs dry. */
const FOREVER = 1_000_000_000

interface Options {
  runs: number
  warmup: number
  latency: number
  node: string
  write: boolean
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { runs: 7, warmup: 1, latency: 50, node: process.execPath, write: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--write') opts.write = true
    else if (a === '--runs' || a === '-n') opts.runs = Number(argv[++i])
    else if (a === '--warmup') opts.warmup = Number(argv[++i])
    else if (a === '--latency') opts.latency = Number(argv[++i])
    else if (a === '--node') opts.node = argv[++i] ?? ''
    else if (a === '--help' || a === '-h') {
      console.log(
        'usage: npx tsx bench/publish-targets.ts [--runs N] [--warmup W] [--latency MS] [--node BIN] [--write]',
      )
      process.exit(0)
    } else {
      console.error(`bench: unknown argument ${a}`)
      process.exit(2)
    }
  }
  if (!(opts.runs >= 1) || !(opts.warmup >= 0) || !(opts.latency >= 0) || !opts.node) {
    console.error('bench: --runs must be >= 1, --warmup >= 0, --latency >= 0, --node a binary')
    process.exit(2)
  }
  return opts
}

interface Scenario {
  key: string
  label: string
  /** Inputs of one run; n numbers the runs of this scenario. */
  inputs: (n: number) => Record<string, string>
  /** Exit code and `changed` output every run must give. */
  expect: { code: number; changed?: 'true' | 'false' }
  /** Requests one after another (per target) with no retries: the latency floor is this × delay. */
  criticalPath: number
  /** Seed run before measuring (unchanged: the parameter must already hold the token). */
  seed?: boolean
}

const token = (tag: string) =>
  `ghp_${tag
    .replace(/[^A-Za-z0-9]/g, '')
    .padEnd(36, '0')
    .slice(0, 36)}`

function targetsYaml(accounts: string[], name: string): string {
  return accounts
    .map(
      (a) =>
        `- { account-id: "${a}", role-arn: "${roleArn(a)}", region: ${REGION}, name: ${name} }`,
    )
    .join('\n')
}

function scenarios(): Scenario[] {
  const list: Scenario[] = [
    {
      key: 'input-error',
      label: 'input error (no `name`), no request',
      inputs: () => ({ token: token('inputerror'), name: '' }),
      expect: { code: 1 },
      criticalPath: 0,
    },
  ]
  const modes = [
    { key: 'name', label: '`name`, job credentials', accounts: [] as string[] },
    { key: 'targets1', label: '`targets` × 1', accounts: ACCOUNTS.slice(0, 1) },
    { key: 'targets4', label: '`targets` × 4', accounts: ACCOUNTS },
  ]
  for (const mode of modes) {
    // name: GetCallerIdentity, PutParameter; targets add AssumeRole before them. Unchanged adds a
    // GetParameter after the refused PutParameter (ParameterAlreadyExists), and writes nothing.
    const base = mode.accounts.length ? 3 : 2
    const inputs = (name: string, value: string): Record<string, string> =>
      mode.accounts.length
        ? { token: value, name: '', targets: targetsYaml(mode.accounts, name) }
        : { token: value, name }
    list.push(
      {
        key: `${mode.key}-create`,
        label: `${mode.label}, create`,
        inputs: (n) =>
          inputs(
            `/bench/publish/${mode.key}/create-${process.pid}-${n}`,
            token(`c${mode.key}${n}`),
          ),
        expect: { code: 0, changed: 'true' },
        criticalPath: base,
      },
      {
        key: `${mode.key}-unchanged`,
        label: `${mode.label}, unchanged`,
        inputs: () =>
          inputs(`/bench/publish/${mode.key}/unchanged-${process.pid}`, token(`u${mode.key}`)),
        expect: { code: 0, changed: 'false' },
        criticalPath: base + 1,
        seed: true,
      },
    )
  }
  return list
}

interface Sandbox {
  aws: AwsSandbox
  env: Record<string, string>
}

async function startSandbox(opts: Options): Promise<Sandbox> {
  const aws = await startAwsSandbox()
  aws.addAccount(CORE)
  for (const account of ACCOUNTS) {
    aws.addAccount(account)
    aws.addRole(roleArn(account), { trust: [CORE] })
  }
  // As after aws-actions/configure-aws-credentials: a role session of the core account.
  const creds: AwsCredentials = aws.addCredentials({
    accountId: CORE,
    principal: 'role/github-actions',
    sessionToken: `IQoJb3JpZ2luX2VjE${'x'.repeat(40)}`,
  })
  if (opts.latency > 0) aws.injectFault({ type: 'delay', ms: opts.latency, times: FOREVER })
  const env: Record<string, string> = {
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    ...(creds.sessionToken && { AWS_SESSION_TOKEN: creds.sessionToken }),
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: aws.url,
  }
  return { aws, env }
}

interface Sample {
  ms: number
  requests: AwsRecordedRequest[]
}

interface Row {
  scenario: Scenario
  time: { median: number; p90: number }
  /** Requests per run: min and max over the measured runs (they should agree). */
  requests: { min: number; max: number }
  /** Of the first measured run, e.g. 'AssumeRole 4, GetCallerIdentity 4, PutParameter 4'. */
  operations: string
}

async function runOnce(sb: Sandbox, s: Scenario, n: number, opts: Options): Promise<Sample> {
  sb.aws.clearRequests()
  const run: BundleRun = await runBundle(ACTION, s.inputs(n), { env: sb.env, node: opts.node })
  const requests = [...sb.aws.requests]
  const problem =
    run.code !== s.expect.code
      ? `exit ${run.code}, expected ${s.expect.code}`
      : s.expect.changed !== undefined && run.outputs.changed !== s.expect.changed
        ? `changed=${run.outputs.changed}, expected ${s.expect.changed}`
        : undefined
  if (problem) {
    throw new Error(
      `${s.label}: ${problem}\n${run.errors.join('\n')}\n${run.printed.slice(-2000)}\n${run.stderr.slice(-2000)}`,
    )
  }
  return { ms: run.durationMs, requests }
}

function quantile(sorted: number[], q: number): number {
  // nearest rank, as bench/cold-start.js
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[i]
}

function stats(samples: number[]): { median: number; p90: number } {
  const s = [...samples].sort((a, b) => a - b)
  return { median: quantile(s, 0.5), p90: quantile(s, 0.9) }
}

function operations(requests: AwsRecordedRequest[]): string {
  const counts = new Map<string, number>()
  for (const r of requests) counts.set(r.operation, (counts.get(r.operation) ?? 0) + 1)
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, k]) => `${op} ${k}`)
    .join(', ')
}

async function measureAll(sb: Sandbox, list: Scenario[], opts: Options): Promise<Row[]> {
  const samples = new Map<string, Sample[]>(list.map((s) => [s.key, []]))
  const counter = new Map<string, number>(list.map((s) => [s.key, 0]))
  const next = (s: Scenario) => {
    const n = counter.get(s.key)! + 1
    counter.set(s.key, n)
    return n
  }
  for (const s of list) if (s.seed) await runOnce(sb, { ...s, expect: { code: 0 } }, next(s), opts)
  for (let round = 0; round < opts.warmup + opts.runs; round++) {
    // Rotate the order every round, and reverse it every other one.
    const shift = round % list.length
    const order = [...list.slice(shift), ...list.slice(0, shift)]
    if (round % 2 === 1) order.reverse()
    for (const s of order) {
      const sample = await runOnce(sb, s, next(s), opts)
      if (round >= opts.warmup) samples.get(s.key)!.push(sample)
    }
    process.stdout.write(round < opts.warmup ? 'w' : '.')
  }
  process.stdout.write('\n')
  return list.map((scenario) => {
    const got = samples.get(scenario.key)!
    const counts = got.map((x) => x.requests.length)
    return {
      scenario,
      time: stats(got.map((x) => x.ms)),
      requests: { min: Math.min(...counts), max: Math.max(...counts) },
      operations: operations(got[0].requests) || '—',
    }
  })
}

const fmt = (ms: number) => ms.toFixed(0)
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`

function table(rows: Row[], opts: Options): string[] {
  const base = rows.find((r) => r.scenario.key === 'input-error')!
  const lines = [
    '| scenario | AWS requests per run | on the critical path | latency floor ms | median ms | p90 ms | median − input error ms | vs input error |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const r of rows) {
    const count =
      r.requests.min === r.requests.max
        ? `${r.requests.min}`
        : `${r.requests.min}–${r.requests.max}`
    lines.push(
      `| ${r.scenario.label} | ${count}${r.requests.max ? ` (${r.operations})` : ''} | ${r.scenario.criticalPath}` +
        ` | ${r.scenario.criticalPath * opts.latency} | ${fmt(r.time.median)} | ${fmt(r.time.p90)}` +
        ` | ${r === base ? '—' : fmt(r.time.median - base.time.median)} | ${ratio(r.time.median, base.time.median)} |`,
    )
  }
  return lines
}

interface Ratios {
  create: number
  unchanged: number
  /**
   * At least what 4 targets one after another would take: 1 target + 3 × its requests' latency
   * (the SDK loads once; the work per request besides waiting is left out, so this is a floor).
   */
  sequentialCreate: number
  sequentialUnchanged: number
  assumeRole: number
}

function ratios(rows: Row[], opts: Options): Ratios {
  const row = (key: string) => rows.find((r) => r.scenario.key === key)!
  const m = (key: string) => row(key).time.median
  const sequential = (key: string) => m(key) + 3 * row(key).scenario.criticalPath * opts.latency
  return {
    create: m('targets4-create') / m('targets1-create'),
    unchanged: m('targets4-unchanged') / m('targets1-unchanged'),
    sequentialCreate: sequential('targets1-create'),
    sequentialUnchanged: sequential('targets1-unchanged'),
    assumeRole: m('targets1-create') - m('name-create'),
  }
}

function ratioLines(rows: Row[], opts: Options): string[] {
  const m = (key: string) => rows.find((r) => r.scenario.key === key)!.time.median
  const q = ratios(rows, opts)
  return [
    `- 4 targets / 1 target: **${q.create.toFixed(2)}×** creating (${fmt(m('targets4-create'))} / ${fmt(m('targets1-create'))} ms), ` +
      `**${q.unchanged.toFixed(2)}×** unchanged (${fmt(m('targets4-unchanged'))} / ${fmt(m('targets1-unchanged'))} ms).`,
    `- 4 targets / the same 4 one after another (at least 1 target + 3 × its requests × ${opts.latency} ms): ` +
      `${ratio(m('targets4-create'), q.sequentialCreate)} creating (${fmt(q.sequentialCreate)} ms), ` +
      `${ratio(m('targets4-unchanged'), q.sequentialUnchanged)} unchanged (${fmt(q.sequentialUnchanged)} ms).`,
    `- \`targets\` × 1 / \`name\`: ${ratio(m('targets1-create'), m('name-create'))} creating, ` +
      `${ratio(m('targets1-unchanged'), m('name-unchanged'))} unchanged (the AssumeRole).`,
  ]
}

function interpretation(rows: Row[], opts: Options): string {
  const m = (key: string) => rows.find((r) => r.scenario.key === key)!
  const q = ratios(rows, opts)
  const base = m('input-error').time.median
  const one = m('targets1-create')
  const four = m('targets4-create')
  const sdk = one.time.median - base - one.scenario.criticalPath * opts.latency
  return (
    `With ${opts.latency} ms on every request, publishing to 4 accounts takes ${fmt(four.time.median)} ms against ` +
    `${fmt(one.time.median)} ms for 1 (${q.create.toFixed(2)}×; unchanged ${q.unchanged.toFixed(2)}×), ` +
    `although it sends ${four.requests.max} requests instead of ${one.requests.max}: the targets run concurrently, ` +
    `where one after another they would take at least ${fmt(q.sequentialCreate)} ms. ` +
    `One target costs ${fmt(one.time.median - base)} ms over the same bundle failing on its inputs (${fmt(base)} ms, no request): ` +
    `its ${one.scenario.criticalPath} requests in a row wait ${one.scenario.criticalPath * opts.latency} ms, and the other ` +
    `${fmt(Math.max(0, sdk))} ms go to loading the AWS SDK and handling the requests in the process (not split here), ` +
    `paid only once a request is about to be made and once for all targets. ` +
    `Unchanged runs add one GetParameter per target to compare, and write no version.`
  )
}

function git(args: string[]): string {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : ''
}

function gitCommit(): string {
  const head = git(['rev-parse', '--short', 'HEAD']) || 'unknown'
  // The measured code: the bundle and the double.
  const dirty = git([
    'status',
    '--porcelain',
    '--',
    `actions/${ACTION}`,
    'packages/sandbox/src/aws',
  ])
  return `${head}${dirty ? '+dirty' : ''}`
}

function nodeVersion(bin: string): string {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', env: {} })
  return r.status === 0 ? r.stdout.trim() : 'unknown'
}

const INTRO = `Publishing with \`targets\` writes every account at once. \`bench/publish-targets.ts\` runs the
real bundle (\`actions/publish-ssm-token/dist/index.js\`, through \`runBundle\` as the runner would)
against the loopback AWS sandbox (SSM and STS, SigV4 checked), with a \`delay\` fault on every
request so that latency dominates as on real AWS. Scenarios: \`name\` with the job's credentials;
\`targets\` with 1 and with 4 accounts, a role assumed per target; each creating a parameter (a fresh
name every run) or finding it unchanged (same name and token: compared, no new version). Baseline,
in the same rounds: the same bundle failing on its inputs before any request, which is its start
without the AWS SDK. Goal (the issue): 4 targets take close to 1× the time of 1. Each round runs
every scenario once, order rotated every round; medians and p90 over the measured rounds, ratios
of medians; the request counts are from the sandbox's log. Not part of CI.

\`\`\`sh
npm run bench:publish                 # print only
npm run bench:publish -- --write      # also record the table below
npm run bench:publish -- --runs 15 --latency 100
\`\`\`
`

async function writeResults(rows: Row[], opts: Options): Promise<void> {
  const date = new Date().toISOString().slice(0, 10)
  const commit = gitCommit()
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU'
  const heading = `### publish-ssm-token · ${date} · ${commit}`
  const section = [
    heading,
    '',
    `Machine: ${os.platform()} ${os.arch()}, ${os.availableParallelism()} CPU (${cpu}), ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB. Node: ${nodeVersion(opts.node)}. ` +
      `${opts.runs} rounds after ${opts.warmup} warm-up; **${opts.latency} ms added to every request** (\`delay\` fault).`,
    '',
    ...table(rows, opts),
    '',
    ...ratioLines(rows, opts),
    '',
    interpretation(rows, opts),
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

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2))
  const bundle = path.join(root, 'actions', ACTION, 'dist', 'index.js')
  if (!existsSync(bundle)) {
    console.error(`bench: no ${path.relative(root, bundle)}; run npm run build first`)
    process.exit(1)
  }
  const list = scenarios()
  const sb = await startSandbox(opts)
  let rows: Row[]
  try {
    console.log(
      `${ACTION}: ${list.length} scenarios, ${opts.warmup} warm-up + ${opts.runs} rounds, ` +
        `+${opts.latency} ms per AWS request, ${nodeVersion(opts.node)}, ${os.availableParallelism()} CPU`,
    )
    rows = await measureAll(sb, list, opts)
  } finally {
    await sb.aws.stop()
  }
  console.log(`\n${table(rows, opts).join('\n')}\n`)
  console.log(ratioLines(rows, opts).join('\n'))
  console.log(`\n${interpretation(rows, opts)}`)
  if (opts.write) await writeResults(rows, opts)
}

await main()
