#!/usr/bin/env node
// After `node scripts/build.js`, the committed actions/*/dist must be exactly what the build
// produced: users run dist/index.js, not src. Same idea as codeql-action's check-js.sh and
// actions/checkout's check-dist workflow.
//
//   npm run check-dist        (= node scripts/build.js && node scripts/check-dist.js)

import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const shown = 'actions/*/dist'
// Not the bare 'actions/*/dist': git does not match files *inside* a directory against a glob
// pathspec, so a quoted 'actions/*/dist' matches nothing at all (it only works in a shell that
// expands it to existing directories). The :(glob) magic with ** matches every file under them,
// including deleted ones.
const pathspec = ':(glob)actions/*/dist/**'

function git(args) {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (r.error || r.status !== 0) {
    console.error(
      `check-dist: git ${args.join(' ')} failed: ${r.error?.message ?? r.stderr.trim()}`,
    )
    process.exit(1)
  }
  return r.stdout
}

// Every action must have a committed bundle, even if the build produced none.
const actionsDir = path.join(root, 'actions')
const actions = existsSync(actionsDir)
  ? readdirSync(actionsDir).filter((n) => existsSync(path.join(actionsDir, n, 'src', 'index.ts')))
  : []
const tracked = new Set(git(['ls-files', '--', pathspec]).split('\n').filter(Boolean))
const uncommitted = actions.filter((n) => !tracked.has(`actions/${n}/dist/index.js`))

const status = git(['status', '--porcelain', '--untracked-files=all', '--', pathspec])
if (status.trim() === '' && uncommitted.length === 0) {
  console.log(`check-dist: ${shown} is up to date`)
  process.exit(0)
}

if (status.trim() !== '') {
  console.error(`check-dist: ${shown} differs from a fresh build:`)
  for (const line of status.trimEnd().split('\n')) console.error(`  ${line}`)
}
for (const name of uncommitted) {
  console.error(`check-dist: actions/${name}/dist/index.js is not committed`)
}
const stat = git(['diff', '--stat', '--', pathspec]).trimEnd()
if (stat) console.error(`\n${stat}`)
console.error(
  '\nThe committed bundles are stale (or were never committed). Run `npm run build` and commit' +
    ' the changes under actions/*/dist together with the source change.',
)
process.exit(1)
