#!/usr/bin/env node
// The repository's test command (`npm test`, as the README says).
//
//   node scripts/test.js [jest args...]     e.g. npm test -- packages/core -t 'inputs'
//
// Runs jest (ESM: --experimental-vm-modules) with the terminal attached, so the usual jest output
// shows, and with --json --outputFile=reports/jest.json. Then it reads those results and prints
// exactly one final plain line that CI's "ran no test" detector reads:
//
//   jest: N passed, M failed[, K skipped]
//
// Exit code: jest's own; and never 0 when a test failed or no test ran at all.

import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { ensureNode24, systemNode } from './node-binaries.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const jestBin = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js')
const reportDir = path.join(root, 'reports')
const report = path.join(reportDir, 'jest.json')

mkdirSync(reportDir, { recursive: true })
rmSync(report, { force: true }) // never read a previous run's results

// Jest's workers are separate processes: they need the flag too, hence NODE_OPTIONS as well.
const nodeOptions = [process.env.NODE_OPTIONS, '--experimental-vm-modules']
  .filter(Boolean)
  .join(' ')
const args = [
  '--experimental-vm-modules',
  jestBin,
  '--json',
  `--outputFile=${report}`,
  ...process.argv.slice(2),
]
// End-to-end tests also run the bundles on Node 24, as GitHub does.
ensureNode24()
const child = spawn(systemNode(), args, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: nodeOptions },
})
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal))
}

const { code, signal } = await new Promise((resolve) => {
  child.on('error', (err) => {
    console.error(`test: could not start jest: ${err.message}`)
    resolve({ code: 1, signal: null })
  })
  child.on('close', (code, signal) => resolve({ code, signal }))
})

let results
if (existsSync(report)) {
  try {
    results = JSON.parse(readFileSync(report, 'utf8'))
  } catch (err) {
    console.error(`test: cannot read ${path.relative(root, report)}: ${err.message}`)
  }
} else {
  console.error(`test: jest wrote no results to ${path.relative(root, report)}`)
}

const passed = results?.numPassedTests ?? 0
const failed = results?.numFailedTests ?? 0
// Skipped = it.skip / describe.skip (pending) and it.todo: everything counted but neither run nor failed.
const skipped = (results?.numPendingTests ?? 0) + (results?.numTodoTests ?? 0)
const brokenSuites = results?.numRuntimeErrorTestSuites ?? 0

let exitCode = code ?? 1
if (signal) {
  console.error(`test: jest was killed by ${signal}`)
  exitCode = 1
}
if (brokenSuites > 0) {
  console.error(`test: ${brokenSuites} test file(s) failed to run (see the errors above)`)
}
if (results && passed + failed === 0) {
  console.error('test: no test ran')
}
if (exitCode === 0 && (failed > 0 || passed + failed === 0 || brokenSuites > 0 || !results)) {
  exitCode = 1
}

console.log(`jest: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`)
process.exit(exitCode)
