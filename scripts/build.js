#!/usr/bin/env node
// Bundle every action with ncc: actions/<name>/src/index.ts -> actions/<name>/dist/.
//
//   node scripts/build.js                  build every action
//   node scripts/build.js <name> [<name>]  build only these actions
//
// ncc emits dist/index.js (ESM), dist/package.json ({"type":"module"}) and dist/licenses.txt.
// The output must be byte-for-byte reproducible, because CI rebuilds and compares it with the
// committed dist (scripts/check-dist.js). Hence: ncc runs from the repository root (module paths
// in the bundle's comments are relative to the working directory), without its build cache and
// without source maps; dist/ is replaced as a whole (ncc never deletes stale files); and the result is
// scanned for anything that depends on the machine (absolute paths of this checkout, the home
// or temporary directory), which fails the build.
//
// Environment: BUILD_JOBS (default 2) = how many ncc processes run at once.

import { spawn } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ncc = path.join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
const jobs = Math.max(1, Number.parseInt(process.env.BUILD_JOBS ?? '2', 10) || 1)

/** Names of the actions that have a src/index.ts, sorted. */
export function listActions(dir = root) {
  const actionsDir = path.join(dir, 'actions')
  if (!existsSync(actionsDir)) return []
  return readdirSync(actionsDir)
    .filter((name) => existsSync(path.join(actionsDir, name, 'src', 'index.ts')))
    .sort()
}

function fail(message) {
  console.error(`build: ${message}`)
  process.exit(1)
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      // No colours in captured output; keep the rest of the environment (PATH, HOME, ...).
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('error', (err) => resolve({ code: -1, output: output + String(err) }))
    child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, output }))
  })
}

/** Strings that must never appear in a committed bundle: they differ from machine to machine. */
function machinePaths() {
  const candidates = [root, realpathSync(root), os.homedir(), realpathSync(os.tmpdir())]
  // '/tmp' itself is a legitimate default in some libraries; a checkout under it is not.
  return [...new Set(candidates)].filter((p) => p && p !== '/' && p !== '/tmp')
}

/**
 * Modules that more than one file of a bundle defines, as [module, files]. webpack copies a module
 * into every lazy chunk that imports it unless a parent chunk already holds it (ncc leaves its
 * chunk splitting at the defaults, which split nothing this small): two `import()`s sharing a
 * module must name one chunk (`webpackChunkName`), or the module is bundled twice.
 */
export function duplicateModules(dist) {
  const where = new Map()
  for (const file of readdirSync(dist)
    .filter((f) => f.endsWith('.js'))
    .sort()) {
    const text = readFileSync(path.join(dist, file), 'utf8')
    // A module's definition (`/***/ 2478:`) and the source files concatenated into one.
    const ids = text.matchAll(/^\/\*\*\*\/ (\d+):$/gm)
    const sources = text.matchAll(/^;\/\/ CONCATENATED MODULE: (\.\/.*)$/gm)
    for (const key of [
      ...[...ids].map((m) => `module ${m[1]}`),
      ...[...sources].map((m) => m[1]),
    ]) {
      const files = where.get(key) ?? new Set()
      files.add(file)
      where.set(key, files)
    }
  }
  return [...where].filter(([, files]) => files.size > 1).map(([key, files]) => [key, [...files]])
}

function checkOutput(dist) {
  const problems = []
  for (const [key, files] of duplicateModules(dist)) {
    problems.push(`${key} is bundled in ${files.map((f) => `dist/${f}`).join(' and ')}`)
  }
  for (const file of ['index.js', 'package.json', 'licenses.txt']) {
    if (!existsSync(path.join(dist, file))) problems.push(`missing dist/${file}`)
  }
  const pkgFile = path.join(dist, 'package.json')
  if (existsSync(pkgFile)) {
    try {
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'))
      if (pkg.type !== 'module') problems.push('dist/package.json does not say "type": "module"')
    } catch (err) {
      problems.push(`dist/package.json is not JSON: ${err.message}`)
    }
  }
  for (const file of readdirSync(dist, { recursive: true })) {
    const full = path.join(dist, file)
    if (!statSync(full).isFile()) continue
    if (file.endsWith('.map')) problems.push(`unexpected source map dist/${file}`)
    const text = readFileSync(full, 'utf8')
    for (const p of machinePaths()) {
      const at = text.indexOf(p)
      if (at !== -1) {
        const line = text.slice(0, at).split('\n').length
        problems.push(`dist/${file}:${line} contains the machine-specific path ${p}`)
      }
    }
  }
  return problems
}

async function build(name) {
  const entry = path.posix.join('actions', name, 'src', 'index.ts')
  const dist = path.join(root, 'actions', name, 'dist')
  // Build into a temporary directory (the bytes do not depend on it) and replace dist/ only when
  // the build succeeded: a failed build leaves the previous dist alone.
  const tmp = mkdtempSync(path.join(os.tmpdir(), `ncc-${name}-`))
  try {
    const started = Date.now()
    const args = [ncc, 'build', entry, '-o', tmp, '--license', 'licenses.txt', '--no-cache', '-q']
    const { code, signal, output } = await run(process.execPath, args)
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    if (code !== 0) {
      const why = `exit ${signal ?? code}, ${seconds}s`
      return { name, ok: false, message: `ncc failed for ${name} (${why}):\n${output.trimEnd()}` }
    }
    const problems = checkOutput(tmp)
    if (problems.length > 0) {
      const list = problems.join('\n  ')
      return { name, ok: false, message: `${name}: the bundle is not reproducible:\n  ${list}` }
    }
    // ncc never deletes stale files, so replace the whole directory.
    rmSync(dist, { recursive: true, force: true })
    cpSync(tmp, dist, { recursive: true })
    const size = statSync(path.join(dist, 'index.js')).size
    const rel = path.posix.join('actions', name, 'dist', 'index.js')
    return { name, ok: true, message: `built ${rel} (${Math.round(size / 1024)} kB, ${seconds}s)` }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

async function main() {
  if (!existsSync(ncc)) fail(`ncc not found at ${path.relative(root, ncc)}; run npm ci first`)
  const all = listActions()
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
  const unknown = wanted.filter((n) => !all.includes(n))
  if (unknown.length > 0) {
    fail(`unknown action(s): ${unknown.join(', ')} (known: ${all.join(', ') || 'none'})`)
  }
  const names = wanted.length > 0 ? wanted : all
  if (names.length === 0) fail('no actions/*/src/index.ts found')

  const results = []
  const queue = [...names]
  async function worker() {
    while (queue.length > 0) {
      const name = queue.shift()
      const result = await build(name)
      ;(result.ok ? console.log : console.error)(`build: ${result.message}`)
      results.push(result)
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, names.length) }, worker))

  const failed = results.filter((r) => !r.ok).map((r) => r.name)
  if (failed.length > 0) fail(`FAILED: ${failed.join(', ')}`)
  console.log(`build: ${results.length} action(s) built`)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main()
}
