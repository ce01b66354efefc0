import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

/**
 * Git for the dry run's diff (a release itself runs no git: see upload-pack.ts, receive-pack.ts),
 * with the token in a throwaway config file under RUNNER_TEMP (as actions/checkout does it):
 * GIT_CONFIG_GLOBAL points at it, so neither the user's global config nor any .git/config ever
 * holds the token, and it never appears on a command line.
 */
export interface GitRunner {
  /** Runs git in the work repository; rejects with GitError on a non-zero exit. */
  run(
    args: string[],
    opts?: { input?: string | Buffer; allowFailure?: boolean },
  ): Promise<GitResult>
  readonly dir: string
  /** Removes the work repository and the credentials file. */
  dispose(): Promise<void>
}

export interface GitResult {
  code: number
  stdout: string
  stderr: string
}

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly result: GitResult,
  ) {
    super(
      `git ${args[0]} failed (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-3).join(' / ')}`,
    )
    this.name = 'GitError'
  }
}

export interface GitOptions {
  /** Where temporary files go (RUNNER_TEMP). */
  tempDir: string
  /** The deploy repository's clone URL: the work repository's `origin`. */
  remoteUrl: string
  token: string
  authorName: string
  authorEmail: string
  /** Told each git command's first words and duration (core.debug: shown with step debug on). */
  debug?: (message: string) => void
}

export async function createGitRunner(opts: GitOptions): Promise<GitRunner> {
  const root = await mkdtemp(path.join(opts.tempDir, 'argocd-deploy-'))
  const dir = path.join(root, 'repo')
  const configFile = path.join(root, 'gitconfig')
  const origin = new URL(opts.remoteUrl).origin
  const basic = Buffer.from(`x-access-token:${opts.token}`, 'utf8').toString('base64')
  await writeFile(
    configFile,
    [
      `[http "${origin}/"]`,
      `\textraheader = AUTHORIZATION: basic ${basic}`,
      '[user]',
      `\tname = ${opts.authorName.replace(/[\r\n"\\]/g, '')}`,
      `\temail = ${opts.authorEmail.replace(/[\r\n"\\]/g, '')}`,
      // A promisor remote: fetches may leave trees and blobs out (--filter).
      '[remote "origin"]',
      `\turl = ${opts.remoteUrl}`,
      '\tpromisor = true',
      '\tpartialclonefilter = tree:0',
      '[protocol]',
      '\tversion = 2',
      // A throwaway repository: no housekeeping after each fetch.
      '[fetch]',
      '\twriteCommitGraph = false',
      '[gc]',
      '\tauto = 0',
      '[maintenance]',
      '\tauto = false',
      '',
    ].join('\n'),
    { mode: 0o600 },
  )
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: root,
    GIT_CONFIG_GLOBAL: configFile,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    LC_ALL: 'C',
    ...(process.env.GIT_SSL_CAINFO && { GIT_SSL_CAINFO: process.env.GIT_SSL_CAINFO }),
    ...(process.env.HTTPS_PROXY && { HTTPS_PROXY: process.env.HTTPS_PROXY }),
    ...(process.env.https_proxy && { https_proxy: process.env.https_proxy }),
    ...(process.env.NO_PROXY && { NO_PROXY: process.env.NO_PROXY }),
  }
  const exec = (args: string[], cwd: string, input?: string | Buffer) =>
    new Promise<GitResult>((resolve, reject) => {
      const child = spawn('git', args, {
        cwd,
        env,
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      })
      // git may exit before reading its input (an error): that is its exit code's to tell.
      child.stdin?.on('error', () => {})
      const out: Buffer[] = []
      const err: Buffer[] = []
      child.stdout!.on('data', (d: Buffer) => out.push(d))
      child.stderr!.on('data', (d: Buffer) => err.push(d))
      child.on('error', reject)
      child.on('close', (code) =>
        resolve({
          code: code ?? 1,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        }),
      )
      child.stdin?.end(input)
    })

  const init = await exec(['init', '--quiet', dir], root)
  if (init.code !== 0) throw new GitError(['init'], init)
  return {
    dir,
    async run(args, o = {}) {
      const started = Date.now()
      const result = await exec(args, dir, o.input)
      // Arguments never hold the token (it is in the config file); object ids are not secret.
      opts.debug?.(
        `git ${args.slice(0, 4).join(' ')}: exit ${result.code}, ${Date.now() - started} ms`,
      )
      if (result.code !== 0 && !o.allowFailure) throw new GitError(args, result)
      return result
    },
    async dispose() {
      await rm(root, { recursive: true, force: true })
    },
  }
}
