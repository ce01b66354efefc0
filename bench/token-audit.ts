// The token audit of validate-pat-scopes on the loopback GitHub sandbox: how many requests it
// sends (against the bound of the issue) and how long it takes, against baselines measured in the
// same run through the same client configuration.
//
//   npx tsx bench/token-audit.ts [--runs N] [--warmup W] [--latency MS] [--write]
//   npm run bench:audit -- --write
//
// For each scenario (token kind × profile), each round mints a fresh token and runs, in an order
// flipped every round so drift hits all alike:
//   audit       auditToken() as the action calls it (its client is created inside, as in the action)
//   sequential  the very requests the audit sent (method, path, body, from the sandbox's log),
//               replayed one by one (await each) through a client made by the same factory
//   1 request   one GET /user through that client (an app token: GET /installation/repositories)
// W warm-up rounds, then N measured ones. Every scenario runs twice: on the bare loopback, and with
// a 'delay' fault on every request (default 20 ms) so that latency dominates, as on the real API.
// Request counts come from the report AND from the sandbox's log; they must agree on every run.
//
// --write   records the tables in bench/RESULTS.md, section "## Token audit" (replacing a run of the
//           same date+commit), placed before the cold-start section, which bench/cold-start.js owns.

import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

import { createGitHubClient, type GitHubClient } from '@argocd-actions/core/github'
import {
  auditToken,
  builtinProfile,
  identifyToken,
  parseProfile,
  type AuditReport,
  type ExcessPolicy,
  type Profile,
} from '@argocd-actions/core/tokens'
import {
  startGitHubSandbox,
  type GitHubSandbox,
  type RecordedRequest,
  type TokenSpec,
} from '@argocd-actions/sandbox'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const resultsFile = path.join(root, 'bench', 'RESULTS.md')
const SECTION = '## Token audit'
const MARKER =
  '<!-- token-audit results: newest first; written by `npm run bench:audit -- --write` -->'

/** The read probes of github-audit.ts (contents, statuses, repository_hooks, administration). */
const PROBED = 4
/** Per slot on a fine-grained or app token: GET /repos/{owner}/{repo} + one read per probe. */
const PER_SLOT = 1 + PROBED
/** GitHub lists 100 per page; listAll asks for per_page=100. */
const pages = (items: number) => Math.max(1, Math.ceil(items / 100))

const ORG = 'acme'
const NONPROD = `${ORG}/argocd-deploy-non-prod`
const PROD = `${ORG}/argocd-deploy-prod`
const INFRA = `${ORG}/infra-repo`
const APP = `${ORG}/web-app`
const SCALE = [1, 2, 4, 8]
const scaleRepo = (i: number) => `${ORG}/app-${i}`
const DAY = 86_400_000

interface Options {
  runs: number
  warmup: number
  latency: number
  write: boolean
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { runs: 15, warmup: 2, latency: 20, write: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--write') opts.write = true
    else if (a === '--runs' || a === '-n') opts.runs = Number(argv[++i])
    else if (a === '--warmup') opts.warmup = Number(argv[++i])
    else if (a === '--latency') opts.latency = Number(argv[++i])
    else if (a === '--help' || a === '-h') {
      console.log(
        'usage: npx tsx bench/token-audit.ts [--runs N] [--warmup W] [--latency MS] [--write]',
      )
      process.exit(0)
    } else {
      console.error(`bench: unknown argument ${a}`)
      process.exit(2)
    }
  }
  if (!(opts.runs >= 1) || !(opts.warmup >= 0) || !(opts.latency >= 1)) {
    console.error('bench: --runs must be >= 1, --warmup >= 0, --latency >= 1')
    process.exit(2)
  }
  return opts
}

interface Scenario {
  name: string
  kind: 'classic' | 'fine-grained' | 'installation'
  profile: Profile
  repositories: Record<string, string>
  organization?: string
  probeWrites?: boolean
  onExcess?: ExcessPolicy
  /** A fresh token each round (also keeps every token far below the 5000/h window). */
  token: () => TokenSpec
  /** Most requests the audit may send, and how that number is made up. */
  bound: { value: number; formula: string }
}

/**
 * The bound of the issue, made precise. Classic: GET /user + one request per slot (the
 * repository, or its statuses for a statuses-only slot). Fine-grained: GET /user + the listing
 * GET /user/repos (profiles with only-these-repositories; one page per 100 repositories) + per
 * slot the repository and its 4 read probes; + the 2 org member lists when an organization is
 * checked; + up to 4 write probes per slot with probe-writes. Installation: the listing GET
 * /installation/repositories (it replaces GET /user) + the same per-slot requests.
 */
function bound(s: Omit<Scenario, 'bound'>, reachable: number): Scenario['bound'] {
  const slots = Object.keys(s.repositories).length
  if (s.kind === 'classic') return { value: 1 + slots, formula: `1 + ${slots}` }
  const parts: Array<[number, string]> = []
  if (s.kind === 'installation') parts.push([pages(reachable), `${pages(reachable)}`])
  else {
    parts.push([1, '1'])
    if (s.profile.github!.onlyTheseRepositories)
      parts.push([pages(reachable), `${pages(reachable)}`])
  }
  const perSlot = PER_SLOT + (s.probeWrites ? PROBED : 0)
  parts.push([slots * perSlot, `${slots}×${s.probeWrites ? `(${PER_SLOT}+${PROBED})` : perSlot}`])
  if (s.organization) parts.push([2, '2'])
  return {
    value: parts.reduce((sum, [n]) => sum + n, 0),
    formula: parts.map(([, f]) => f).join(' + '),
  }
}

const inDays = (n: number) => new Date(Date.now() + n * DAY)

function scenarios(): Scenario[] {
  const profile = (name: string) => {
    const p = builtinProfile(name)
    if (!p) throw new Error(`bench: no built-in profile ${name}`)
    return p
  }
  const fineGrained = (
    repositories: string[],
    permissions: Record<string, 'read' | 'write'>,
    orgPermissions?: Record<string, 'read' | 'write'>,
  ) => ({
    token: (): TokenSpec => ({
      kind: 'fine-grained',
      owner: ORG,
      repositories,
      permissions,
      orgPermissions,
      expiresAt: inDays(90),
    }),
    reachable: repositories.length,
  })
  const classic = (scopes: string[]) => ({
    token: (): TokenSpec => ({ kind: 'classic', scopes, expiresAt: inDays(90) }),
    reachable: 0,
  })
  const installation = (repositories: string[], permissions: Record<string, 'read' | 'write'>) => ({
    token: (): TokenSpec => ({ kind: 'installation', repositories, permissions }),
    reachable: repositories.length,
  })
  const release = { deploy: NONPROD, infra: INFRA }

  const list: Array<Omit<Scenario, 'bound' | 'token'> & ReturnType<typeof classic>> = [
    {
      name: 'classic × argocd-notifications',
      kind: 'classic',
      profile: profile('argocd-notifications'),
      repositories: { app: APP },
      ...classic(['repo:status']),
    },
    {
      name: 'fine-grained × argocd-release',
      kind: 'fine-grained',
      profile: profile('argocd-release'),
      repositories: release,
      ...fineGrained([NONPROD, INFRA], { contents: 'write' }),
    },
    {
      name: 'fine-grained × argocd-deploy-repo-admin (+ org)',
      kind: 'fine-grained',
      profile: profile('argocd-deploy-repo-admin'),
      repositories: { deploy: NONPROD, 'deploy-prod': PROD },
      organization: ORG,
      ...fineGrained(
        [NONPROD, PROD],
        { administration: 'write', contents: 'write' },
        { members: 'read' },
      ),
    },
    {
      name: 'installation × argocd-release',
      kind: 'installation',
      profile: profile('argocd-release'),
      repositories: release,
      ...installation([NONPROD, INFRA], { contents: 'write' }),
    },
    {
      // One token has one permission set: write on infra is excess (read suffices), hence warn.
      name: 'fine-grained × argocd-release, probe-writes',
      kind: 'fine-grained',
      profile: profile('argocd-release'),
      repositories: release,
      probeWrites: true,
      onExcess: 'warn',
      ...fineGrained([NONPROD, INFRA], { contents: 'write' }),
    },
  ]
  for (const kind of ['fine-grained', 'classic'] as const) {
    for (const n of SCALE) {
      const slots = Array.from({ length: n }, (_, i) => [`repo-${i + 1}`, scaleRepo(i + 1)])
      const profile = parseProfile(`scale-${n}`, {
        github: {
          kinds: ['fine-grained', 'classic'],
          'classic-scopes': ['repo'],
          repositories: Object.fromEntries(slots.map(([slot]) => [slot, { contents: 'read' }])),
          'only-these-repositories': true,
        },
      })
      list.push({
        name: `${kind} × custom, ${n} slot${n > 1 ? 's' : ''} { contents: read }`,
        kind,
        profile,
        repositories: Object.fromEntries(slots),
        ...(kind === 'classic'
          ? classic(['repo'])
          : fineGrained(
              slots.map(([, repo]) => repo),
              { contents: 'read' },
            )),
      })
    }
  }
  return list.map(({ reachable, ...s }) => ({ ...s, bound: bound(s, reachable) }))
}

function seed(gh: GitHubSandbox): void {
  // The token's user (octocat) is a concealed member: only Members: read shows them.
  gh.addOrg(ORG, { members: ['octocat', 'alice'], publicMembers: ['alice'] })
  const repos = [NONPROD, PROD, INFRA, APP, `${ORG}/other`]
  for (let i = 1; i <= Math.max(...SCALE); i++) repos.push(scaleRepo(i))
  for (const repo of repos) {
    gh.addRepo(repo)
    gh.addCommit(repo, { branch: 'main' })
  }
}

const silent = { debug: () => {}, info: () => {}, warn: () => {} }
/** The client the action makes (createGitHubClient defaults: retry, throttling, timeout). */
const makeClient = (token: string, baseUrl: string): GitHubClient =>
  createGitHubClient({ token, baseUrl, log: silent, userAgent: 'argocd-actions/bench' })

interface Sample {
  audit: number
  sequential: number
  one: number
  reportRequests: number
  logRequests: number
  report: AuditReport
}

/** @octokit/plugin-throttling: one write at a time, at least this long after the previous one. */
const WRITE_PACING_MS = 1000
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

const isHttpError = (e: unknown) => typeof (e as { status?: unknown })?.status === 'number'

async function replay(client: GitHubClient, r: RecordedRequest): Promise<void> {
  const params = r.body ? { data: JSON.parse(r.body) as unknown } : {}
  try {
    await client.request(`${r.method} ${r.path}`, params)
  } catch (error) {
    // 403/404/422 are answers, as in the audit (missing permissions, rejected write probes).
    if (!isHttpError(error)) throw error
  }
}

async function round(
  gh: GitHubSandbox,
  s: Scenario,
  script: RecordedRequest[] | undefined,
  flip: boolean,
): Promise<{ sample: Sample; log: RecordedRequest[] }> {
  const token = gh.addToken(s.token())
  const client = makeClient(token, gh.url)
  let log: RecordedRequest[] = []
  let report: AuditReport | undefined
  const audit = async () => {
    gh.clearRequests()
    const t = performance.now()
    report = await auditToken(
      {
        token,
        identity: identifyToken(token, 'github'),
        profile: s.profile,
        repositories: s.repositories,
        organization: s.organization,
        apiUrl: gh.url,
        minDaysLeft: 7,
        warnDaysLeft: 30,
        onExcess: s.onExcess ?? 'fail',
        probeWrites: s.probeWrites ?? false,
      },
      { github: makeClient },
    )
    const ms = performance.now() - t
    log = [...gh.requests]
    return ms
  }
  const sequential = async () => {
    const requests = script ?? log
    gh.clearRequests()
    const t = performance.now()
    for (const r of requests) await replay(client, r)
    const ms = performance.now() - t
    if (gh.requests.length !== requests.length)
      throw new Error(`bench: replay sent ${gh.requests.length}, not ${requests.length} requests`)
    return ms
  }
  // GET /user answers 403 to an app token: its own first request stands in for it.
  const oneRoute = s.kind === 'installation' ? 'GET /installation/repositories' : 'GET /user'
  const one = async () => {
    const t = performance.now()
    await client.request(oneRoute, s.kind === 'installation' ? { per_page: 1 } : {})
    return performance.now() - t
  }
  // Octokit paces writes 1 s apart in one limiter per process: let it idle before each timed
  // phase that writes, so that, as in the action, the first write does not wait for another's.
  const idle = () => (s.probeWrites ? sleep(WRITE_PACING_MS + 50) : Promise.resolve())
  let a: number, q: number, o: number
  // The first round has no script yet: the audit goes first and its log becomes the script.
  if (flip && script) {
    o = await one()
    await idle()
    q = await sequential()
    await idle()
    a = await audit()
  } else {
    await idle()
    a = await audit()
    await idle()
    q = await sequential()
    o = await one()
  }
  const r = report!
  if (!r.valid) throw new Error(`bench: ${s.name}: the token should fit; ${r.verdict}`)
  return {
    sample: {
      audit: a,
      sequential: q,
      one: o,
      reportRequests: r.requests,
      logRequests: log.length,
      report: r,
    },
    log,
  }
}

function quantile(sorted: number[], q: number): number {
  // nearest rank, as bench/cold-start.js
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[i]
}
function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b)
  return { median: quantile(s, 0.5), p90: quantile(s, 0.9) }
}
const span = (xs: number[]) => {
  const lo = Math.min(...xs)
  const hi = Math.max(...xs)
  return lo === hi ? `${lo}` : `${lo}–${hi}`
}

interface Row {
  scenario: Scenario
  latency: number
  reportRequests: string
  logRequests: string
  agree: boolean
  max: number
  within: boolean
  audit: { median: number; p90: number }
  sequential: { median: number; p90: number }
  one: { median: number; p90: number }
  /** Requests other than GET among the audit's (write probes), from the log. */
  writes: number
}

async function measure(gh: GitHubSandbox, s: Scenario, latency: number, opts: Options) {
  gh.clearFaults()
  // No path or method: every request waits; `times` counts down per request, so make it endless.
  if (latency > 0) gh.injectFault({ type: 'delay', ms: latency, times: Number.MAX_SAFE_INTEGER })
  const samples: Sample[] = []
  let script: RecordedRequest[] | undefined
  try {
    for (let i = 0; i < opts.warmup + opts.runs; i++) {
      const { sample, log } = await round(gh, s, script, i % 2 === 1)
      script ??= log
      if (i >= opts.warmup) samples.push(sample)
    }
  } finally {
    gh.clearFaults()
  }
  const reportCounts = samples.map((x) => x.reportRequests)
  const logCounts = samples.map((x) => x.logRequests)
  const max = Math.max(...reportCounts, ...logCounts)
  const row: Row = {
    scenario: s,
    latency,
    reportRequests: span(reportCounts),
    logRequests: span(logCounts),
    agree: samples.every((x) => x.reportRequests === x.logRequests),
    max,
    within: max <= s.bound.value,
    audit: stats(samples.map((x) => x.audit)),
    sequential: stats(samples.map((x) => x.sequential)),
    one: stats(samples.map((x) => x.one)),
    writes: script!.filter((r) => r.method !== 'GET').length,
  }
  return row
}

const fmt = (ms: number) => ms.toFixed(1)
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`

const HEADER = [
  'scenario',
  'requests report / log',
  'bound',
  '≤ bound',
  'audit median ms',
  'audit p90 ms',
  'sequential median ms',
  '1 request median ms',
  'audit / sequential',
  'audit / 1 request',
]
function cells(r: Row): string[] {
  return [
    r.scenario.name,
    `${r.reportRequests} / ${r.logRequests}${r.agree ? '' : ' (differ)'}`,
    `${r.scenario.bound.value} = ${r.scenario.bound.formula}`,
    r.within ? 'yes' : '**no**',
    fmt(r.audit.median),
    fmt(r.audit.p90),
    fmt(r.sequential.median),
    fmt(r.one.median),
    ratio(r.audit.median, r.sequential.median),
    ratio(r.audit.median, r.one.median),
  ]
}

function printTable(title: string, rows: Row[]): void {
  const table = [HEADER, ...rows.map(cells)]
  const widths = HEADER.map((_, i) => Math.max(...table.map((r) => r[i].length)))
  console.log(`\n${title}`)
  for (const r of table)
    console.log(
      r
        .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
        .join('  ')
        .trimEnd(),
    )
}

function markdownTable(rows: Row[]): string[] {
  return [
    `| ${HEADER.join(' | ')} |`,
    `| --- | --- | --- | :---: | ${HEADER.slice(4)
      .map(() => '---:')
      .join(' | ')} |`,
    ...rows.map((r) => `| ${cells(r).join(' | ')} |`),
  ]
}

/** Two or three sentences from the figures (the delayed run is the one that speaks for GitHub). */
function interpretation(rows: Row[], latency: number): string {
  const delayed = rows.filter((r) => r.latency === latency)
  const find = (name: string) => delayed.find((r) => r.scenario.name === name)!
  const release = find('fine-grained × argocd-release')
  const classic = find('classic × argocd-notifications')
  const writes = find('fine-grained × argocd-release, probe-writes')
  const scale = SCALE.map((n) =>
    find(`fine-grained × custom, ${n} slot${n > 1 ? 's' : ''} { contents: read }`),
  )
  const [s1, s8] = [scale[0], scale[scale.length - 1]]
  const allWithin = rows.every((r) => r.within && r.agree)
  return [
    `${allWithin ? 'Every scenario stays within its bound, and the report counts the same requests as the sandbox logs.' : 'Some scenario exceeds its bound or the counts disagree: see the table.'}` +
      ` With ${latency} ms per request the fine-grained release audit (${release.max} requests) takes ` +
      `${fmt(release.audit.median)} ms, ${ratio(release.audit.median, release.one.median)} one request ` +
      `and ${ratio(release.audit.median, release.sequential.median)} the same requests sent one by one; ` +
      `a classic token (${classic.max} requests) takes ${ratio(classic.audit.median, classic.one.median)} one request.`,
    `From 1 to ${SCALE[SCALE.length - 1]} slots the fine-grained requests grow from ${s1.max} to ${s8.max} ` +
      `but the time only from ${fmt(s1.audit.median)} to ${fmt(s8.audit.median)} ms ` +
      `(${ratio(s8.audit.median, s8.one.median)} one request): the per-slot probes run concurrently, ` +
      `consistent with the 10 requests at a time that Octokit's throttling plugin allows per process.`,
    `Probe-writes adds ${writes.writes} write${writes.writes === 1 ? '' : 's'} here and costs ` +
      `${fmt(writes.audit.median)} ms: the plugin sends writes one at a time, at least 1 s apart ` +
      `(GitHub asks that writes are not concurrent), so that mode is bound by write pacing, not by latency.`,
  ].join(' ')
}

function git(args: string[]): string {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : ''
}
function gitCommit(): string {
  const head = git(['rev-parse', '--short', 'HEAD']) || 'unknown'
  // The measured code: the audit, the client and the double.
  const dirty = git(['status', '--porcelain', '--', 'packages/core/src', 'packages/sandbox/src'])
  return `${head}${dirty ? '+dirty' : ''}`
}

const INTRO = `How many requests the token audit of \`validate-pat-scopes\` sends, and how long it takes, on the
loopback GitHub sandbox (\`bench/token-audit.ts\`). Goal (the issue): the requests run concurrently,
and their number stays within **classic: 1 + slots**; **fine-grained: 1 + slots × permissions**,
counted precisely as: \`GET /user\` + the repository listing \`GET /user/repos\` (profiles with
only-these-repositories; one page per 100 repositories) + per slot 5 requests (the repository
itself and the read probes of contents, statuses, repository_hooks, administration) + 2 for the
organization member lists when an organization is checked + up to 4 write probes per slot with
probe-writes. Installation tokens: \`GET /installation/repositories\`, which replaces \`GET /user\`,
and 5 per slot. Classic: \`GET /user\` and 1 per slot (the repository, or its statuses for a
statuses-only slot).

Each round mints a fresh token and runs, order flipped every round: the audit as the action calls
it; the same requests replayed one by one (from the sandbox's log) through a client made by the
same factory (\`createGitHubClient\`); one \`GET /user\` through that client (installation tokens:
\`GET /installation/repositories\`). Medians and p90 over the measured rounds;
ratios of medians. Everything runs twice: on the bare loopback, and with a \`delay\` fault on every
request so that latency dominates, as on the real API. Not part of CI.

\`\`\`sh
npm run bench:audit                 # print only
npm run bench:audit -- --write      # also record the tables below
npm run bench:audit -- --runs 30 --latency 50
\`\`\`
`

async function writeResults(rows: Row[], calibration: Calibration, opts: Options): Promise<void> {
  const date = new Date().toISOString().slice(0, 10)
  const commit = gitCommit()
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU'
  const heading = `### Token audit · ${date} · ${commit}`
  const section = [
    heading,
    '',
    `Machine: ${os.platform()} ${os.arch()}, ${os.availableParallelism()} CPU (${cpu}), ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB. Node: ${process.version}. ` +
      `${opts.runs} runs after ${opts.warmup} warm-up, per scenario and latency. ` +
      calibrationText(calibration),
    '',
    '**Bare loopback**',
    '',
    ...markdownTable(rows.filter((r) => r.latency === 0)),
    '',
    `**${opts.latency} ms added to every request** (\`delay\` fault)`,
    '',
    ...markdownTable(rows.filter((r) => r.latency === opts.latency)),
    '',
    interpretation(rows, opts.latency),
    '',
  ].join('\n')

  let text = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '# Benchmarks\n'
  if (!text.includes(MARKER)) {
    // Our section goes before the first other section (the cold start, whose writer rewrites
    // everything after its own marker), never after it.
    const block = `${SECTION}\n\n${INTRO}\n${MARKER}\n\n`
    const at = text.search(/^## /m)
    text =
      at === -1 ? `${text.trimEnd()}\n\n${block}` : `${text.slice(0, at)}${block}${text.slice(at)}`
  }
  const markerEnd = text.indexOf(MARKER) + MARKER.length
  const rest = text.slice(markerEnd)
  const sectionEnd = (() => {
    const m = /^## /m.exec(rest)
    return m ? markerEnd + m.index : text.length
  })()
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

interface Calibration {
  fetch: { median: number; p90: number }
  client: { median: number; p90: number }
}

/** One GET /user on the bare loopback: plain fetch against createGitHubClient, interleaved. */
async function calibrate(gh: GitHubSandbox, opts: Options): Promise<Calibration> {
  const token = gh.addToken({ kind: 'classic', scopes: ['repo'], expiresAt: inDays(90) })
  const client = makeClient(token, gh.url)
  const viaFetch = async () => {
    const t = performance.now()
    const res = await fetch(`${gh.url}/user`, {
      headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json' },
    })
    await res.text()
    return performance.now() - t
  }
  const viaClient = async () => {
    const t = performance.now()
    await client.request('GET /user')
    return performance.now() - t
  }
  const f: number[] = []
  const c: number[] = []
  for (let i = 0; i < opts.warmup + opts.runs; i++) {
    const pair = i % 2 === 0 ? [viaFetch, viaClient] : [viaClient, viaFetch]
    const [x, y] = [await pair[0](), await pair[1]()]
    const [fm, cm] = i % 2 === 0 ? [x, y] : [y, x]
    if (i >= opts.warmup) {
      f.push(fm)
      c.push(cm)
    }
  }
  gh.clearRequests()
  return { fetch: stats(f), client: stats(c) }
}

const calibrationText = (c: Calibration) =>
  `One \`GET /user\` on the bare loopback: ${fmt(c.fetch.median)} ms (p90 ${fmt(c.fetch.p90)}) with ` +
  `plain \`fetch\`, ${fmt(c.client.median)} ms (p90 ${fmt(c.client.p90)}) through \`createGitHubClient\` ` +
  `(retry and throttling plugins, timeout).`

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2))
  const gh = await startGitHubSandbox()
  const rows: Row[] = []
  let calibration: Calibration | undefined
  try {
    seed(gh)
    calibration = await calibrate(gh, opts)
    console.log(calibrationText(calibration))
    const list = scenarios()
    for (const latency of [0, opts.latency]) {
      for (const s of list) {
        const row = await measure(gh, s, latency, opts)
        rows.push(row)
        console.log(
          `${`${s.name} @ +${latency} ms`.padEnd(62)} ${`${row.reportRequests}/${row.logRequests} req`.padStart(11)}` +
            ` (bound ${s.bound.value})  audit ${fmt(row.audit.median).padStart(6)} ms` +
            `  seq ${fmt(row.sequential.median).padStart(7)} ms  1 req ${fmt(row.one.median).padStart(5)} ms` +
            `${row.within && row.agree ? '' : '  OVER BOUND OR COUNTS DIFFER'}`,
        )
      }
    }
  } finally {
    await gh.stop()
  }
  printTable(
    'Bare loopback',
    rows.filter((r) => r.latency === 0),
  )
  printTable(
    `${opts.latency} ms added to every request`,
    rows.filter((r) => r.latency > 0),
  )
  console.log(`\n${interpretation(rows, opts.latency)}`)
  if (opts.write) await writeResults(rows, calibration!, opts)
  if (rows.some((r) => !r.within || !r.agree)) process.exitCode = 1
}

await main()
