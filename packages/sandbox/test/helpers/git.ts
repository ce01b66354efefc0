// The real git client, isolated: its own HOME, no system config, never a prompt. Asynchronous on
// purpose: a synchronous spawn would block the event loop the sandbox serves from.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

export interface GitResult {
  code: number
  stdout: string
  stderr: string
}

export interface GitClient {
  /** Temp directory: HOME of the client and parent of its clones. */
  readonly home: string
  git(cwd: string, ...args: string[]): Promise<GitResult>
  /** Like git(), throwing with the output when git fails. */
  ok(cwd: string, ...args: string[]): Promise<string>
  cleanup(): Promise<void>
}

/** `-c` pair that authenticates the way actions/checkout does. */
export function authArgs(token: string): string[] {
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64')
  return ['-c', `http.extraheader=AUTHORIZATION: basic ${basic}`]
}

export async function gitClient(): Promise<GitClient> {
  const home = await mkdtemp(path.join(tmpdir(), 'gh-sandbox-client-'))
  await writeFile(
    path.join(home, '.gitconfig'),
    '[user]\n\tname = Test Client\n\temail = client@example.test\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n',
  )
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
  }
  const git = (cwd: string, ...args: string[]) =>
    new Promise<GitResult>((resolve, reject) => {
      const child = spawn('git', args, { cwd, env })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      child.on('error', reject)
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    })
  return {
    home,
    git,
    async ok(cwd, ...args) {
      const r = await git(cwd, ...args)
      if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}):\n${r.stderr}`)
      return r.stdout
    },
    cleanup: () => rm(home, { recursive: true, force: true }),
  }
}
