// Git smart HTTP, served by `git http-backend` (CGI) from the same server as the REST API:
// clone `${sandbox.url}/<owner>/<repo>.git` (GitHub splits them: github.com vs api.github.com).
// Authentication and authorisation follow GitHub's git front end and its token model; protected
// branches and the 'reject-push' fault are handled before receive-pack runs.
import { spawn } from 'node:child_process'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { gunzipSync } from 'node:zlib'
import { FLUSH as FLUSH_PKT, pktBytes } from '@argocd-actions/git'
import { checkOrgPolicies, selects } from './access.js'
import { ApiError } from './errors.js'
import { gitEnv, ZERO_SHA } from './git.js'
import { unverifiedUpdates, type UnverifiedUpdate } from './signed-push.js'
import { Store, type RepoRecord } from './store.js'
import { sendWhole } from '../serve.js'
import { grants, type TokenRecord } from './tokens.js'
import type { RecordedRequest, RejectPushFault } from './types.js'

export type GitService = 'git-upload-pack' | 'git-receive-pack'

export interface GitRequest {
  fullName: string
  /** What follows the repository in the path. */
  action: 'info/refs' | GitService
  /** The service asked for (?service= on info/refs); undefined for dumb HTTP. */
  service: GitService | undefined
}

const GIT_PATH = /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/

/** Recognises a smart-HTTP request (GitHub accepts the path with or without `.git`). */
export function parseGitRequest(method: string, url: URL): GitRequest | undefined {
  const m = GIT_PATH.exec(url.pathname)
  if (!m) return undefined
  const action = m[3] as GitRequest['action']
  if (action === 'info/refs' ? method !== 'GET' : method !== 'POST') return undefined
  let service: GitService | undefined
  if (action !== 'info/refs') service = action
  else {
    const s = url.searchParams.get('service')
    if (s === 'git-upload-pack' || s === 'git-receive-pack') service = s
  }
  const decode = (x: string) => {
    try {
      return decodeURIComponent(x)
    } catch {
      return x
    }
  }
  return { fullName: `${decode(m[1]!)}/${decode(m[2]!)}`, action, service }
}

/**
 * Whether a queued 'reject-push' fault should be consumed by this request: the first
 * receive-pack request it matches (advertisement or update), or only the stage it names.
 */
export function takesRejectPush(git: GitRequest, fault: RejectPushFault): boolean {
  if (git.service !== 'git-receive-pack') return false
  if (fault.stage === 'advertise') return git.action === 'info/refs'
  if (fault.stage === 'update') return git.action === 'git-receive-pack'
  return true
}

// Messages GitHub's git front end prints (git shows them as "remote: ...").
export const GIT_MESSAGES = {
  /** Verified (2025-2026 git clients). */
  badCredentials:
    'Invalid username or token. Password authentication is not supported for Git operations.',
  /** Verified. */
  notFound: 'Repository not found.',
  /** Verified for fine-grained PATs (push without contents:write, clone without contents). */
  fineGrainedDenied: 'Write access to repository not granted.',
  /** Verified for GITHUB_TOKEN ('github-actions[bot]') and users without write access. */
  denied: (fullName: string, who: string) => `Permission to ${fullName}.git denied to ${who}.`,
  /** Recalled, not verified: GitHub turned dumb HTTP off in 2011. */
  dumb: 'Please upgrade your git client.\nGitHub.com no longer supports git over dumb-http: https://github.com/blog/809-git-dumb-http-transport-to-be-turned-off-in-90-days',
  /** Recalled, not verified. */
  saml: (org: string) =>
    `The '${org}' organization has enabled or enforced SAML SSO. To access this repository, you must use the HTTPS remote with a personal access token or SSH with an SSH key and passphrase that has been authorized for this organization. Visit https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/ for more information.`,
} as const

interface Denial {
  status: number
  message?: string
  /** 401 with `WWW-Authenticate: Basic realm="GitHub"`: git then asks for credentials. */
  challenge?: boolean
}

/**
 * The token git sends: Basic with any username and the token as password (x-access-token:<t>,
 * as actions/checkout does) or the token as username with an empty password; Bearer/token too
 * (guess: GitHub is reported to accept a bearer installation token for git).
 */
export function gitTokenValue(header: string | undefined): string | undefined {
  if (!header) return undefined
  const m = /^(\S+)\s+(.+)$/.exec(header.trim())
  if (!m) return header.trim() || undefined
  const scheme = m[1]!.toLowerCase()
  const rest = m[2]!.trim()
  if (scheme !== 'basic') return rest
  const decoded = Buffer.from(rest, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return decoded
  return decoded.slice(colon + 1) || decoded.slice(0, colon)
}

/** Who the token acts as, for messages and REMOTE_USER. */
export function actorOf(token: TokenRecord): string {
  return token.kind === 'installation' ? `${token.appSlug}[bot]` : (token.login ?? 'unknown')
}

export function authorizeGit(
  store: Store,
  authorization: string | undefined,
  fullName: string,
  write: boolean,
  now = new Date(),
): { token: TokenRecord | null; repo: RepoRecord } | Denial {
  const value = gitTokenValue(authorization)
  let token: TokenRecord | null = null
  if (value !== undefined) {
    const found = store.tokens.get(value)
    if (!found || (found.expiresAt && found.expiresAt.getTime() <= now.getTime()))
      return { status: 401, message: GIT_MESSAGES.badCredentials, challenge: true }
    token = found
  }
  const repo = store.repo(fullName)
  // Anonymous callers cannot tell a missing repository from a private one: both ask for login.
  if (!repo || !repo.git)
    return token
      ? { status: 404, message: GIT_MESSAGES.notFound }
      : { status: 401, challenge: true }
  const publicRead = !repo.private && !write
  if (!token) return publicRead ? { token, repo } : { status: 401, challenge: true }

  try {
    checkOrgPolicies(store, token, repo.owner, publicRead, '')
  } catch (err) {
    if (!(err instanceof ApiError)) throw err
    const org = store.org(repo.owner)
    const saml = err.headers['x-github-sso'] !== undefined
    return {
      status: 403,
      message: saml ? GIT_MESSAGES.saml(org?.login ?? repo.owner) : err.message,
    }
  }

  const denied = (): Denial =>
    token.kind === 'fine-grained'
      ? { status: 403, message: GIT_MESSAGES.fineGrainedDenied }
      : { status: 403, message: GIT_MESSAGES.denied(repo.fullName, actorOf(token)) }

  if (token.kind === 'classic') {
    if (repo.private)
      return token.effectiveScopes.has('repo')
        ? { token, repo }
        : { status: 404, message: GIT_MESSAGES.notFound }
    if (!write) return { token, repo }
    return token.effectiveScopes.has('public_repo') ? { token, repo } : denied()
  }
  if (!selects(token, repo)) {
    if (repo.private) return { status: 404, message: GIT_MESSAGES.notFound }
    return publicRead ? { token, repo } : denied()
  }
  if (grants(token.permissions['contents'], write ? 'write' : 'read') || publicRead)
    return { token, repo }
  return denied()
}

// --- pkt-line -----------------------------------------------------------------------------

const FLUSH = Buffer.from(FLUSH_PKT)

/** Side-band packets of one band (side-band-64k: at most 65519 bytes of data each). */
function sideband(band: number, data: Buffer, max: number): Buffer[] {
  const out: Buffer[] = []
  for (let i = 0; i < data.length; i += max)
    out.push(pktBytes(Buffer.concat([Buffer.from([band]), data.subarray(i, i + max)])))
  return out
}

export interface PushCommand {
  old: string
  new: string
  ref: string
}

/** The commands and capabilities at the head of a receive-pack request. */
export function parsePushCommands(body: Buffer): { commands: PushCommand[]; caps: Set<string> } {
  const commands: PushCommand[] = []
  let caps = new Set<string>()
  let offset = 0
  while (offset + 4 <= body.length) {
    const len = Number.parseInt(body.subarray(offset, offset + 4).toString('ascii'), 16)
    if (!Number.isFinite(len) || len === 0) break
    let line = body.subarray(offset + 4, offset + len).toString('utf8')
    offset += len
    const nul = line.indexOf('\0')
    if (nul >= 0) {
      caps = new Set(
        line
          .slice(nul + 1)
          .trim()
          .split(' '),
      )
      line = line.slice(0, nul)
    }
    line = line.replace(/\n$/, '')
    if (line.startsWith('shallow ') || line.startsWith('push-cert')) continue
    const [o, n, ref] = line.split(' ')
    if (o && n && ref) commands.push({ old: o, new: n, ref })
  }
  return { commands, caps }
}

/** A receive-pack result: messages on side-band 2, then the report (ok / ng <ref> <why>). */
function pushResult(
  commands: PushCommand[],
  caps: Set<string>,
  messages: string[],
  reason: (c: PushCommand) => string | undefined,
): Buffer {
  const text = Buffer.from(messages.map((l) => `${l}\n`).join(''), 'utf8')
  const wantsReport = caps.has('report-status') || caps.has('report-status-v2')
  const report = wantsReport
    ? Buffer.concat([
        pktBytes('unpack ok\n'),
        ...commands.map((c) => {
          const why = reason(c)
          return pktBytes(why === undefined ? `ok ${c.ref}\n` : `ng ${c.ref} ${why}\n`)
        }),
        FLUSH,
      ])
    : Buffer.alloc(0)
  const max = caps.has('side-band-64k') ? 65515 : caps.has('side-band') ? 995 : 0
  if (max === 0) return report
  return Buffer.concat([
    ...sideband(2, text, max),
    ...(report.length > 0 ? sideband(1, report, max) : []),
    FLUSH,
  ])
}

/**
 * What GitHub's protected-branch check answers: GH006 on the sideband, and every ref of the
 * push refused with "protected branch hook declined" (like a declining pre-receive hook).
 */
export function protectedBranchResult(
  commands: PushCommand[],
  caps: Set<string>,
  protectedRefs: PushCommand[],
): Buffer {
  const lines: string[] = []
  for (const c of protectedRefs) {
    lines.push(`error: GH006: Protected branch update failed for ${c.ref}.`, '')
    // Verified: "- Changes must be made through a pull request." (newer wording, 2024+).
    // Guessed: the wording for deleting a protected branch.
    lines.push(
      c.new === ZERO_SHA
        ? '- Cannot delete this protected branch.'
        : '- Changes must be made through a pull request.',
    )
  }
  return pushResult(commands, caps, lines, () => 'protected branch hook declined')
}

/**
 * GitHub's answer to a push bringing commits it has not verified onto a branch that requires
 * signed commits: GH006 for branch protection, GH013 (with the offending commits) for a ruleset.
 * Recalled from real pushes (2024-2026); the violation list's layout is the least certain part.
 */
export function unsignedCommitsResult(
  fullName: string,
  commands: PushCommand[],
  caps: Set<string>,
  refused: UnverifiedUpdate[],
): Buffer {
  const lines: string[] = []
  for (const { command, via, commits } of refused) {
    if (via === 'branch-protection') {
      lines.push(`error: GH006: Protected branch update failed for ${command.ref}.`, '')
      lines.push('- Commits must have verified signatures.')
      continue
    }
    lines.push(
      `error: GH013: Repository rule violations found for ${command.ref}.`,
      `Review all repository rules at https://github.com/${fullName}/rules?ref=${encodeURIComponent(command.ref)}`,
      '',
      '- Commits must have verified signatures.',
      `  Found ${commits.length} violation${commits.length === 1 ? '' : 's'}:`,
      '',
      ...commits.map((sha) => `  ${sha}`),
      '',
    )
  }
  // The whole push is declined (like a declining pre-receive hook), every ref with one reason.
  const reason = refused.some((r) => r.via === 'branch-protection')
    ? 'protected branch hook declined'
    : 'push declined due to repository rule violations'
  return pushResult(commands, caps, lines, () => reason)
}

// --- serving ------------------------------------------------------------------------------

export interface GitServeOptions {
  store: Store
  record: RecordedRequest
  /** Headers every response carries (x-github-request-id). */
  headers: Record<string, string>
  /** A consumed 'reject-push' fault to play. */
  race?: RejectPushFault
  /** Called with each child process so stop() can end it. */
  track(child: import('node:child_process').ChildProcess): void
}

function sendText(
  res: ServerResponse,
  record: RecordedRequest,
  status: number,
  text: string,
  headers: Record<string, string>,
): void {
  if (res.destroyed || res.headersSent) return
  const body = text === '' ? '' : text.endsWith('\n') ? text : `${text}\n`
  const type = { 'content-type': 'text/plain; charset=utf-8' }
  record.bytesOut = sendWhole(res, record, status, { ...type, ...headers }, body)
}

async function readBody(req: IncomingMessage, record: RecordedRequest): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const raw = Buffer.concat(chunks)
  record.bytesIn = raw.length
  const encoding = (req.headers['content-encoding'] ?? '').toLowerCase()
  return encoding === 'gzip' || encoding === 'x-gzip' ? gunzipSync(raw) : raw
}

/**
 * Commits on `branch` as "another writer", so the client's view of it goes stale. Returns the
 * new tip.
 */
function raceCommit(
  store: Store,
  repo: RepoRecord,
  branch: string,
  fault: RejectPushFault,
): string {
  const git = repo.git!
  const ref = `refs/heads/${branch}`
  const parent = git.revParse(ref)
  const sha = git.commit({
    parents: parent ? [parent] : [],
    files: fault.files ?? {},
    message: fault.message ?? 'Concurrent update (sandbox reject-push fault)',
    author: { name: 'sandbox-racer', email: 'sandbox-racer@users.noreply.github.com' },
  })
  git.updateRef(ref, sha, parent ?? ZERO_SHA)
  store.syncFromGit(repo, 'fault', 'sandbox-racer')
  return sha
}

function sendResult(
  res: ServerResponse,
  record: RecordedRequest,
  result: Buffer,
  headers: Record<string, string>,
): void {
  record.status = 200
  record.bytesOut = result.length
  res.writeHead(200, {
    'content-type': 'application/x-git-receive-pack-result',
    'cache-control': 'no-cache, max-age=0, must-revalidate',
    ...headers,
    'content-length': String(result.length),
  })
  res.end(result)
}

export async function serveGit(
  req: IncomingMessage,
  res: ServerResponse,
  git: GitRequest,
  opts: GitServeOptions,
): Promise<void> {
  const { store, record, headers } = opts
  record.gitService = git.service ?? 'dumb'
  const write = git.service === 'git-receive-pack'
  const auth = authorizeGit(store, req.headers.authorization, git.fullName, write)
  if (!('repo' in auth)) {
    req.resume()
    sendText(res, record, auth.status, auth.message ?? '', {
      ...headers,
      ...(auth.challenge ? { 'www-authenticate': 'Basic realm="GitHub"' } : {}),
    })
    return
  }
  const { token, repo } = auth
  if (!git.service) {
    req.resume()
    sendText(res, record, 403, GIT_MESSAGES.dumb, headers)
    return
  }
  const race = opts.race
  if (race && git.action === 'info/refs')
    raceCommit(store, repo, race.branch ?? repo.defaultBranch, race)
  if (git.action !== 'git-receive-pack') return runBackend(req, res, git, repo, token, req, opts)

  const body = await readBody(req, record)
  const { commands, caps } = parsePushCommands(body)
  const blocked = commands.filter((c) => {
    const m = /^refs\/heads\/(.+)$/.exec(c.ref)
    return m !== null && repo.protectedBranches.has(m[1]!)
  })
  if (blocked.length > 0) {
    sendResult(res, record, protectedBranchResult(commands, caps, blocked), headers)
    return
  }
  // One receive-pack at a time per repository, with the compare-and-swap checked first, so a
  // lost race is answered in GitHub's words (verified, 2020-2023): "! [remote rejected] main ->
  // main (cannot lock ref 'refs/heads/main': is at <new> but expected <old>)". git 2.39's own
  // receive-pack would only say "(failed to update ref)".
  await withRepoLock(repo, async () => {
    // 'reject-push' at the update: the ref moves between the advertisement and the update.
    if (race)
      for (const b of new Set(
        commands
          .filter((c) => c.old !== ZERO_SHA && c.ref.startsWith('refs/heads/'))
          .map((c) => c.ref.slice('refs/heads/'.length)),
      ))
        raceCommit(store, repo, b, race)
    const current = repo.git!.refs()
    const stale = (c: PushCommand) => (current.get(c.ref) ?? ZERO_SHA) !== c.old
    if (commands.length > 0 && commands.every(stale)) {
      const result = pushResult(commands, caps, [], (c) => {
        const at = current.get(c.ref)
        return c.old === ZERO_SHA
          ? `cannot lock ref '${c.ref}': reference already exists`
          : at
            ? `cannot lock ref '${c.ref}': is at ${at} but expected ${c.old}`
            : `cannot lock ref '${c.ref}': unable to resolve reference '${c.ref}'`
      })
      sendResult(res, record, result, headers)
      return
    }
    // Require signed commits: checked on the pushed objects before anything lands.
    const unsigned = unverifiedUpdates(repo, commands, caps, body)
    if (unsigned.length > 0) {
      sendResult(
        res,
        record,
        unsignedCommitsResult(repo.fullName, commands, caps, unsigned),
        headers,
      )
      return
    }
    await runBackend(req, res, git, repo, token, body, opts)
  })
}

const locks = new WeakMap<RepoRecord, Promise<void>>()

async function withRepoLock(repo: RepoRecord, fn: () => Promise<void>): Promise<void> {
  const previous = locks.get(repo) ?? Promise.resolve()
  let release!: () => void
  const mine = new Promise<void>((resolve) => (release = resolve))
  locks.set(
    repo,
    previous.then(() => mine),
  )
  await previous
  try {
    await fn()
  } finally {
    release()
  }
}

/** Proxies the request to `git http-backend` and streams its answer back. */
function runBackend(
  req: IncomingMessage,
  res: ServerResponse,
  git: GitRequest,
  repo: RepoRecord,
  token: TokenRecord | null,
  input: Buffer | IncomingMessage,
  opts: GitServeOptions,
): Promise<void> {
  const { store, record, headers } = opts
  const root = store.gitProjectRoot()
  const env: Record<string, string> = {
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: `/${Store.gitPath(repo.fullName)}/${git.action}`,
    QUERY_STRING: new URL(record.path, 'http://x').search.replace(/^\?/, ''),
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
  }
  const contentType = req.headers['content-type']
  if (contentType) env['CONTENT_TYPE'] = contentType
  if (token) env['REMOTE_USER'] = actorOf(token)
  const protocol = req.headers['git-protocol']
  if (typeof protocol === 'string') {
    env['HTTP_GIT_PROTOCOL'] = protocol
    env['GIT_PROTOCOL'] = protocol
  }
  if (Buffer.isBuffer(input)) env['CONTENT_LENGTH'] = String(input.length)
  else {
    // Streamed: http-backend inflates gzip itself and reads to EOF without a length.
    const encoding = req.headers['content-encoding']
    if (typeof encoding === 'string') env['HTTP_CONTENT_ENCODING'] = encoding
    const length = req.headers['content-length']
    if (typeof length === 'string' && !encoding) env['CONTENT_LENGTH'] = length
  }

  return new Promise<void>((resolve) => {
    const child = spawn('git', ['http-backend'], { env: gitEnv(root, env) })
    opts.track(child)
    const stderr: Buffer[] = []
    let head = Buffer.alloc(0)
    let started = false
    let sent = 0
    child.stderr.on('data', (c: Buffer) => stderr.push(c))
    child.stdin.on('error', () => {
      /* the backend may exit before reading everything (e.g. an error answer) */
    })
    if (Buffer.isBuffer(input)) child.stdin.end(input)
    else {
      let received = 0
      input.on('data', (c: Buffer) => (received += c.length))
      input.on('end', () => (record.bytesIn = received))
      input.pipe(child.stdin)
    }
    res.on('close', () => {
      if (!res.writableFinished && child.exitCode === null) child.kill()
    })
    const write = (chunk: Buffer) => {
      if (chunk.length === 0 || res.destroyed) return
      sent += chunk.length
      if (!res.write(chunk)) {
        child.stdout.pause()
        res.once('drain', () => child.stdout.resume())
      }
    }
    child.stdout.on('data', (chunk: Buffer) => {
      if (started) return write(chunk)
      head = Buffer.concat([head, chunk])
      let end = head.indexOf('\r\n\r\n')
      let sep = 4
      if (end < 0) {
        end = head.indexOf('\n\n')
        sep = 2
      }
      if (end < 0) return
      started = true
      let status = 200
      const out: Record<string, string> = {}
      for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':')
        if (colon < 0) continue
        const name = line.slice(0, colon).trim()
        const value = line.slice(colon + 1).trim()
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500
        else out[name.toLowerCase()] = value
      }
      record.status = status
      if (!res.destroyed) res.writeHead(status, { ...out, ...headers })
      write(head.subarray(end + sep))
    })
    child.on('close', (code) => {
      record.bytesOut = sent
      if (!started) {
        console.error(
          `github sandbox: git http-backend exited ${code}: ${Buffer.concat(stderr).toString()}`,
        )
        sendText(res, record, 500, 'git http-backend failed', headers)
        resolve()
        return
      }
      // The model follows the push before the client sees the end of the response, so a REST
      // call right after `git push` returns sees the new commit.
      if (git.action === 'git-receive-pack') {
        try {
          store.syncFromGit(repo, 'push', token ? actorOf(token) : undefined)
        } catch (err) {
          console.error('github sandbox: could not refresh the model after a push', err)
        }
      }
      if (!res.destroyed) res.end()
      resolve()
    })
  })
}
