/**
 * A real `git http-backend` behind a loopback server, configured per test like the servers the
 * client meets: GitHub-like (protocol v2, only tree:0 and blob:none filters, fetch by any id,
 * receive.fsckObjects), filters off, protocol v0 only (the Git-Protocol header is not passed on,
 * as by servers and proxies that predate v2), hooks. `faults` answer instead of the backend.
 */
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gitEnv } from './git-env.js'

export const GITHUB_LIKE: Record<string, string> = {
  'uploadpack.allowFilter': 'true',
  'uploadpackfilter.allow': 'false',
  'uploadpackfilter.tree.allow': 'true',
  'uploadpackfilter.tree.maxDepth': '0',
  'uploadpackfilter.blob:none.allow': 'true',
  'uploadpack.allowAnySHA1InWant': 'true',
  'receive.fsckObjects': 'true',
}

/**
 * What a fault does with a request: answer it itself, or let the backend answer and then drop
 * the connection before the answer leaves ('drop-answer': the push lands, its answer is lost), or
 * never answer ('stall').
 */
export type Fault = ((req: IncomingMessage, res: ServerResponse) => void) | 'drop-answer' | 'stall'

export interface Seen {
  path: string
  authorization?: string
  protocol?: string
  body: Buffer
}

export interface BackendServer {
  url: string
  /** The bare repository's directory. */
  bare: string
  /** The work repository the bare one was cloned from (for expected values). */
  work: string
  git: (cwd: string, ...args: string[]) => string
  seen: Seen[]
  /** Taken in order by the requests they match (a bare fault matches every request). */
  faults: Array<Fault | { path: RegExp; fault: Fault }>
  close(): Promise<void>
}

export interface BackendOptions {
  /** `git config` of the bare repository. */
  config?: Record<string, string>
  /** Pass the Git-Protocol header on (protocol v2); false: the server speaks v0 only. */
  v2?: boolean
  objectFormat?: 'sha1' | 'sha256'
  /** Hook name → shell script. */
  hooks?: Record<string, string>
  /** The repository's path under the server's root (default 'repo.git'). */
  name?: string
  /** Files of the first commit (path → content). */
  files?: Record<string, string>
  /** More history in the work repository, before it is cloned bare. */
  setup?: (work: string, git: (cwd: string, ...args: string[]) => string) => void
}

export async function startBackend(opts: BackendOptions = {}): Promise<BackendServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'git-backend-'))
  const work = path.join(dir, 'work')
  const root = path.join(dir, 'srv')
  const name = opts.name ?? 'repo.git'
  const bare = path.join(root, name)
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, { cwd, env: gitEnv, stdio: 'pipe' }).toString().trim()
  mkdirSync(work, { recursive: true })
  git(work, 'init', '-q', '-b', 'main', `--object-format=${opts.objectFormat ?? 'sha1'}`)
  for (const [p, content] of Object.entries(
    opts.files ?? { 'README.md': 'deploy repo\n', 'apps/dev/values.yaml': 'image: app:1\n' },
  )) {
    mkdirSync(path.dirname(path.join(work, p)), { recursive: true })
    writeFileSync(path.join(work, p), content)
  }
  git(work, 'add', '-A')
  git(work, 'commit', '-q', '-m', 'one')
  opts.setup?.(work, git)
  git(dir, 'clone', '-q', '--bare', work, bare)
  git(bare, 'config', 'http.receivepack', 'true')
  for (const [k, v] of Object.entries(opts.config ?? GITHUB_LIKE)) git(bare, 'config', k, v)
  for (const [name, script] of Object.entries(opts.hooks ?? {})) {
    const file = path.join(bare, 'hooks', name)
    writeFileSync(file, `#!/bin/sh\n${script}\n`)
    chmodSync(file, 0o755)
  }

  const seen: Seen[] = []
  const faults: BackendServer['faults'] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      seen.push({
        path: new URL(req.url ?? '/', 'http://x').pathname,
        authorization: req.headers.authorization,
        protocol: req.headers['git-protocol'] as string | undefined,
        body,
      })
      const pathname = new URL(req.url ?? '/', 'http://x').pathname
      const at = faults.findIndex((f) => typeof f !== 'object' || f.path.test(pathname))
      const taken = at < 0 ? undefined : faults.splice(at, 1)[0]!
      const fault = typeof taken === 'object' ? taken.fault : taken
      if (fault === 'stall') return
      if (typeof fault === 'function') return fault(req, res)
      backend(req, body, res, root, opts.v2 ?? true, fault === 'drop-answer')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/${name}`,
    bare,
    work,
    git,
    seen,
    faults,
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Runs `git http-backend` as CGI: the header block ("Status:", headers), then the body. */
function backend(
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  root: string,
  v2: boolean,
  drop: boolean,
) {
  const target = new URL(req.url ?? '/', 'http://x')
  const child = spawn('git', ['http-backend'], {
    env: {
      ...gitEnv,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      REMOTE_USER: 'tester',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: target.pathname,
      QUERY_STRING: target.search.replace(/^\?/, ''),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      CONTENT_LENGTH: String(body.length),
      GIT_PROTOCOL: v2 ? String(req.headers['git-protocol'] ?? '') : '',
    },
  })
  const out: Buffer[] = []
  child.stdout.on('data', (c: Buffer) => out.push(c))
  child.stdin.on('error', () => {})
  child.stdin.end(body)
  child.on('close', () => {
    if (drop) {
      res.socket?.destroy()
      return
    }
    const all = Buffer.concat(out)
    const crlf = all.indexOf('\r\n\r\n')
    const end = crlf >= 0 ? crlf : all.indexOf('\n\n')
    let status = 200
    const headers: Record<string, string> = {}
    for (const line of all.toString('latin1', 0, Math.max(end, 0)).split(/\r?\n/)) {
      const colon = line.indexOf(':')
      if (colon < 0) continue
      const name = line.slice(0, colon).trim()
      const value = line.slice(colon + 1).trim()
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10)
      else headers[name] = value
    }
    res.writeHead(status, headers).end(end < 0 ? all : all.subarray(end + (crlf >= 0 ? 4 : 2)))
  })
}

/** A fault that answers with this status, body and headers. */
export const answer =
  (status: number, body: string | Buffer = '', headers: Record<string, string> = {}) =>
  (_req: IncomingMessage, res: ServerResponse) =>
    res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body)
