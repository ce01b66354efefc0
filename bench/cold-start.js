#!/usr/bin/env node
// Cold start of each bundle against bare Node, on the machine's Node (20 on CI) and Node 24.
//
//   node bench/cold-start.js [--runs N] [--warmup W] [--write] [--strict] [<action> ...]
//   npm run bench -- --write
//
// For each Node binary and each actions/<name>/dist/index.js, runs `node dist/index.js`,
// `node -e 0` and the set-commit-status bundle (the GitHub-only baseline) in turn (interleaved,
// order rotated every round so drift hits all alike), W warm-up rounds then N measured ones, each
// process with an EMPTY environment in an empty temporary directory. With no inputs a bundle loads
// every module, fails fast on the first missing input and exits, so the time is its cold start.
// Reports median and p90 wall time, the ratio median(bundle) / median(bare) (goal: <= 3), and
// median(bundle) / median(set-commit-status) from the same rounds: how much more an input error
// costs than in a GitHub-only bundle (e.g. whether publish-ssm-token loads the AWS SDK eagerly).
// set-commit-status is measured whenever its dist exists, even when not named.
//
// --write   records the table in bench/RESULTS.md (replacing a section of the same date+commit)
// --strict  exit 1 if any bundle is over the goal

import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { runtimes } from '../scripts/node-binaries.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const resultsFile = path.join(root, 'bench', 'RESULTS.md')
const GOAL = 3
const MARKER = '<!-- results: newest first; written by `npm run bench -- --write` -->'
/** The GitHub-only bundle every other one is compared with, in the same rounds. */
const BASELINE = 'set-commit-status'

function parseArgs(argv) {
  const opts = { runs: 20, warmup: 3, write: false, strict: false, names: [] }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--write') opts.write = true
    else if (a === '--strict') opts.strict = true
    else if (a === '--runs' || a === '-n') opts.runs = Number(argv[++i])
    else if (a === '--warmup') opts.warmup = Number(argv[++i])
    else if (a === '--help' || a === '-h') {
      console.log(
        'usage: node bench/cold-start.js [--runs N] [--warmup W] [--write] [--strict] [action...]',
      )
      process.exit(0)
    } else if (a.startsWith('-')) {
      console.error(`bench: unknown option ${a}`)
      process.exit(2)
    } else opts.names.push(a)
  }
  if (!(opts.runs >= 1) || !(opts.warmup >= 0)) {
    console.error('bench: --runs must be >= 1 and --warmup >= 0')
    process.exit(2)
  }
  return opts
}

function listBundles(wanted) {
  const dir = path.join(root, 'actions')
  const all = existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => existsSync(path.join(dir, n, 'dist', 'index.js')))
        .sort()
    : []
  const unknown = wanted.filter((n) => !all.includes(n))
  if (unknown.length > 0) {
    console.error(`bench: no dist/index.js for: ${unknown.join(', ')} (run npm run build)`)
    process.exit(1)
  }
  const list = wanted.length > 0 ? [...new Set(wanted)] : all
  // The baseline's own row first, so the table reads from it.
  if (all.includes(BASELINE)) return [BASELINE, ...list.filter((n) => n !== BASELINE)]
  console.error(
    `bench: no ${BASELINE} dist/index.js: no "vs ${BASELINE}" column (run npm run build)`,
  )
  return list
}

/** Wall time in ms of one process from spawn to exit. */
function time(bin, args, cwd) {
  const start = process.hrtime.bigint()
  const r = spawnSync(bin, args, { cwd, env: {}, stdio: 'ignore', timeout: 60_000 })
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (r.error) throw new Error(`${bin} ${args.join(' ')}: ${r.error.message}`)
  return { ms, status: r.status }
}

function quantile(sorted, q) {
  // nearest rank
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[i]
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b)
  return { median: quantile(s, 0.5), p90: quantile(s, 0.9) }
}

/** Every order of [0..n-1]; round r runs them in orders[r % length], so each leads as often. */
function permutations(n) {
  if (n === 1) return [[0]]
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
  )
}

/**
 * bare `node -e 0`, the bundle and (when given and not the bundle itself) the baseline bundle,
 * interleaved: all three are measured in the same rounds.
 */
function measure(node, bundle, baseline, opts, cwd) {
  const tasks = [() => time(node.bin, ['-e', '0'], cwd), () => time(node.bin, [bundle], cwd)]
  if (baseline && baseline !== bundle) tasks.push(() => time(node.bin, [baseline], cwd))
  const orders = permutations(tasks.length)
  const samples = tasks.map(() => [])
  let status
  for (let round = 0; round < opts.warmup + opts.runs; round++) {
    const out = []
    for (const k of orders[round % orders.length]) out[k] = tasks[k]()
    status = out[1].status
    if (round >= opts.warmup) out.forEach((o, k) => samples[k].push(o.ms))
  }
  const b = stats(samples[0])
  const a = stats(samples[1])
  // The baseline itself: 1 by definition. No baseline: undefined.
  const base = !baseline ? undefined : baseline === bundle ? a : stats(samples[2])
  return {
    bare: b,
    bundle: a,
    ratio: a.median / b.median,
    vsBaseline: base && a.median / base.median,
    status,
  }
}

function gitCommit() {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' })
  if (r.status !== 0) return 'unknown'
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'actions'], {
    cwd: root,
    encoding: 'utf8',
  })
  return `${r.stdout.trim()}${dirty.stdout?.trim() ? '+dirty' : ''}`
}

const fmt = (ms) => ms.toFixed(1)

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  const bundles = listBundles(opts.names)
  if (bundles.length === 0) {
    console.error('bench: no actions/*/dist/index.js; run npm run build first')
    process.exit(1)
  }
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'bench-'))
  const baseline = bundles.includes(BASELINE)
    ? path.join(root, 'actions', BASELINE, 'dist', 'index.js')
    : undefined
  const rows = []
  try {
    for (const node of runtimes()) {
      if (!node.version) {
        console.error(`bench: skipping ${node.label}: ${node.bin} missing or not runnable`)
        continue
      }
      for (const name of bundles) {
        const bundle = path.join(root, 'actions', name, 'dist', 'index.js')
        const r = measure(node, bundle, baseline, opts, cwd)
        const row = { name, node: node.version, ...r }
        rows.push(row)
        console.log(
          `${name.padEnd(26)} ${node.version.padEnd(9)} bundle median ${fmt(r.bundle.median).padStart(6)} ms` +
            ` p90 ${fmt(r.bundle.p90).padStart(6)} ms | bare median ${fmt(r.bare.median).padStart(6)} ms` +
            ` p90 ${fmt(r.bare.p90).padStart(6)} ms | ratio ${r.ratio.toFixed(2)}x` +
            `${r.vsBaseline === undefined ? '' : ` | vs ${BASELINE} ${r.vsBaseline.toFixed(2)}x`}` +
            `${r.ratio <= GOAL ? '' : `  OVER GOAL (${GOAL}x)`}${r.status === 1 ? '' : `  (exit ${r.status}, expected 1)`}`,
        )
      }
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true })
  }

  const over = rows.filter((r) => r.ratio > GOAL)
  console.log(
    over.length === 0
      ? `bench: every bundle within ${GOAL}x bare Node`
      : `bench: ${over.length} over ${GOAL}x bare Node: ${over.map((r) => `${r.name}@${r.node}`).join(', ')}`,
  )
  if (opts.write) await writeResults(rows, opts)
  if (opts.strict && over.length > 0) process.exit(1)
}

async function writeResults(rows, opts) {
  const date = new Date().toISOString().slice(0, 10)
  const commit = gitCommit()
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU'
  const heading = `### ${date} · ${commit}`
  const lines = [
    heading,
    '',
    `Machine: ${os.platform()} ${os.arch()}, ${os.availableParallelism()} CPU (${cpu}), ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB. Node: ${[...new Set(rows.map((r) => r.node))].join(', ')}. ` +
      `${opts.runs} interleaved runs after ${opts.warmup} warm-up` +
      (rows.some((r) => r.vsBaseline !== undefined)
        ? `; each bundle's rounds also run the ${BASELINE} bundle, for the last column.`
        : '.'),
    '',
    `| action | node | bundle median ms | bundle p90 ms | bare median ms | bare p90 ms | ratio | ≤ 3× | vs ${BASELINE} |`,
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | :---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.node} | ${fmt(r.bundle.median)} | ${fmt(r.bundle.p90)} | ${fmt(r.bare.median)}` +
        ` | ${fmt(r.bare.p90)} | ${r.ratio.toFixed(2)}× | ${r.ratio <= GOAL ? 'yes' : '**no**'}` +
        ` | ${r.vsBaseline === undefined ? '—' : `${r.vsBaseline.toFixed(2)}×`} |`,
    ),
    '',
  ]
  const section = lines.join('\n')
  let text = existsSync(resultsFile)
    ? readFileSync(resultsFile, 'utf8')
    : `# Benchmarks\n\n${MARKER}\n`
  if (!text.includes(MARKER)) text = `${text.trimEnd()}\n\n${MARKER}\n`
  // Replace a section with the same heading (same day, same commit), up to the next run or the
  // next section (other benchmarks own theirs); otherwise add on top.
  const start = text.indexOf(`${heading}\n`)
  if (start !== -1) {
    const after = text.slice(start + heading.length)
    const m = /\n#{2,3} /.exec(after)
    text = text.slice(0, start) + section + (m ? `\n${after.slice(m.index + 1)}` : '')
  } else {
    const at = text.indexOf(MARKER) + MARKER.length
    text = `${text.slice(0, at)}\n\n${section}${text.slice(at).replace(/^\n+/, '\n')}`
  }
  // Format as `prettier --check .` (npm run lint) expects, e.g. padded table columns.
  try {
    const prettier = await import('prettier')
    const options = (await prettier.resolveConfig(resultsFile)) ?? {}
    text = await prettier.format(text, { ...options, filepath: resultsFile })
  } catch (err) {
    console.error(`bench: could not run prettier on ${resultsFile}: ${err.message}`)
  }
  writeFileSync(resultsFile, `${text.trimEnd()}\n`)
  console.log(`bench: wrote ${path.relative(root, resultsFile)} (${heading.slice(4)})`)
}

await main()
