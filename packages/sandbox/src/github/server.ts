// The loopback HTTP server: records every request, applies injected faults, authenticates,
// routes, and adds the headers GitHub puts on every response.
import type { ChildProcess } from 'node:child_process'
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import { authenticate } from './access.js'
import { enableArgoCd } from './argocd.js'
import type { RouteContext } from './context.js'
import { ApiError, DOCS, errorBody } from './errors.js'
import { FaultQueue } from './faults.js'
import { graphqlOperation } from './graphql/endpoint.js'
import { verification } from './render.js'
import { parseGitRequest, serveGit, takesRejectPush, type GitRequest } from './git-http.js'
import { requestId } from './ids.js'
import { RateLimits, rateLimitHeaders, type RateLimitState } from './rate-limit.js'
import { route } from './router.js'
import { Store } from './store.js'
import { formatExpiration, type TokenRecord } from './tokens.js'
import type { Fault, GitHubSandbox, GraphqlRequest, PushHandler, RecordedRequest } from './types.js'
import {
  Delays,
  doubleControls,
  payloadOf,
  readRequest,
  requestHead,
  sendWhole,
  serveOnLoopback,
} from '../serve.js'

export interface GitHubSandboxOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string
}

const utcStamp = (d: Date): string =>
  d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC')

function graphqlRequestOf(r: RecordedRequest): GraphqlRequest {
  let body: Record<string, unknown> = {}
  try {
    const parsed: unknown = JSON.parse(r.body)
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>
  } catch {
    // recorded as an empty query
  }
  const op = graphqlOperation(r.body)
  return {
    ...(typeof body['operationName'] === 'string'
      ? { operationName: body['operationName'] }
      : op?.name
        ? { operationName: op.name }
        : {}),
    ...(op ? { operationType: op.type } : {}),
    query: typeof body['query'] === 'string' ? body['query'] : '',
    variables: body['variables'] ?? null,
  }
}

/** Whether a fault aimed at one kind of GraphQL operation takes this request. */
function takesOperation(fault: Fault, pathname: string, body: string): boolean {
  if (fault.operation === undefined) return true
  if (pathname !== '/graphql') return false
  const op = graphqlOperation(body)
  return op !== undefined && (op.type === fault.operation || op.name === fault.operation)
}

export async function startGitHubSandbox(opts: GitHubSandboxOptions = {}): Promise<GitHubSandbox> {
  const host = opts.host ?? '127.0.0.1'
  const store = new Store()
  const faults = new FaultQueue()
  const limits = new RateLimits()
  const requests: RecordedRequest[] = []
  const children = new Set<ChildProcess>()
  let api = ''

  const delays = new Delays()
  const sleep = delays.sleep

  /** Never throws: a fault path must not be turned into a 401 by a bad token. */
  const tokenOf = (req: IncomingMessage): TokenRecord | null => {
    try {
      return authenticate(store, req.headers.authorization)
    } catch {
      return null
    }
  }

  function send(
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    body: unknown,
    headers: Record<string, string>,
  ): void {
    if (res.destroyed || res.headersSent) return
    const { payload, isText } = payloadOf(body)
    const type = isText ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8'
    record.bytesOut = sendWhole(
      res,
      record,
      status,
      {
        'content-type': type,
        'x-github-media-type': 'github.v3; format=json',
        'x-github-api-version-selected': '2022-11-28',
        ...headers,
      },
      payload,
    )
  }

  function tokenHeaders(token: TokenRecord | null): Record<string, string> {
    const h: Record<string, string> = {}
    if (!token) return h
    if (token.kind === 'classic') h['x-oauth-scopes'] = token.scopes.join(', ')
    if (token.expiresAt)
      h['github-authentication-token-expiration'] = formatExpiration(token.expiresAt, token.kind)
    return h
  }

  function limitFor(req: IncomingMessage, token: TokenRecord | null): RateLimitState {
    return token
      ? limits.hit(`token:${token.value}`, true)
      : limits.hit(`ip:${req.socket.remoteAddress}`, false)
  }

  /** Answers with an injected fault; returns false for 'delay' (the request then proceeds). */
  async function applyFault(
    fault: Fault,
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
    id: string,
  ): Promise<boolean> {
    const base = { 'x-github-request-id': id }
    const token = tokenOf(req)
    switch (fault.type) {
      case 'reset':
        // No response at all: the client sees ECONNRESET / "other side closed".
        req.socket.destroy()
        return true
      case 'delay':
        await sleep(fault.ms)
        return false
      case 'reject-push':
        // Played by serveGit; never handed to applyFault.
        return false
      case 'status': {
        // `body: null` is sent as JSON null (a fault of its own); only an absent body gets the default.
        const body =
          fault.body === undefined ? { message: STATUS_CODES[fault.status] ?? 'Error' } : fault.body
        send(res, record, fault.status, body, {
          ...base,
          ...rateLimitHeaders(limitFor(req, token)),
          ...tokenHeaders(token),
          ...(fault.headers ?? {}),
        })
        return true
      }
      case 'rate-limit': {
        const retryAfter = fault.retryAfter ?? 1
        const state = limitFor(req, token)
        const who = token
          ? `user ID ${token.login ? store.account(token.login).id : token.id}`
          : req.socket.remoteAddress
        send(
          res,
          record,
          429,
          errorBody(
            429,
            `API rate limit exceeded for ${who}. If you reach out to GitHub Support for help, please include the request ID ${id} and timestamp ${utcStamp(new Date())}.`,
            DOCS.rateLimits,
          ),
          {
            ...base,
            ...rateLimitHeaders({
              ...state,
              remaining: 0,
              used: state.limit,
              reset: Math.floor(Date.now() / 1000) + retryAfter,
            }),
            ...tokenHeaders(token),
            'retry-after': String(retryAfter),
          },
        )
        return true
      }
      case 'secondary-rate-limit': {
        const retryAfter = fault.retryAfter ?? 1
        send(
          res,
          record,
          403,
          {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
              `If you reach out to GitHub Support for help, please include the request ID ${id} and timestamp ${utcStamp(new Date())}.`,
            documentation_url: DOCS.secondaryRateLimits,
            status: '403',
          },
          {
            ...base,
            ...rateLimitHeaders(limitFor(req, token)),
            ...tokenHeaders(token),
            'retry-after': String(retryAfter),
          },
        )
        return true
      }
    }
  }

  /** Git smart HTTP: the body is streamed to git http-backend, not buffered here. */
  async function handleGit(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    git: GitRequest,
  ): Promise<void> {
    const { method, path, headers } = requestHead(req)
    const record: RecordedRequest = {
      method,
      path,
      headers,
      body: '',
      status: 0,
      bytesIn: 0,
      bytesOut: 0,
    }
    requests.push(record)
    const id = requestId()
    const fault = faults.take(
      method,
      url.pathname,
      (f) => f.type !== 'reject-push' || takesRejectPush(git, f),
    )
    if (fault && fault.type !== 'reject-push') {
      // A delay forwards the request afterwards: its body must stay unread for the backend.
      if (fault.type !== 'delay') req.resume()
      if (await applyFault(fault, req, res, record, id)) return
    }
    if (res.destroyed) return
    const started = performance.now()
    await serveGit(req, res, git, {
      store,
      record,
      headers: { 'x-github-request-id': id },
      ...(fault?.type === 'reject-push' ? { race: fault } : {}),
      track(child) {
        children.add(child)
        child.on('close', () => children.delete(child))
      },
    })
    record.durationMs = Math.round((performance.now() - started) * 10) / 10
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const gitUrl = new URL(req.url ?? '/', api)
    const git = parseGitRequest((req.method ?? 'GET').toUpperCase(), gitUrl)
    if (git) return handleGit(req, res, gitUrl, git)
    const { method, path, headers, body: raw } = await readRequest(req)
    const record: RecordedRequest = {
      method,
      path,
      headers,
      body: raw.toString('utf8'),
      status: 0,
      bytesIn: raw.length,
    }
    requests.push(record)
    const url = new URL(record.path, api)
    const id = requestId()

    const fault = faults.take(
      method,
      url.pathname,
      (f) => f.type !== 'reject-push' && takesOperation(f, url.pathname, record.body),
    )
    if (fault && (await applyFault(fault, req, res, record, id))) return
    if (res.destroyed) return
    const started = performance.now()

    const ctx: RouteContext = {
      method,
      url,
      body: record.body,
      store,
      api,
      token: null,
      headers: {},
    }
    let status: number
    let body: unknown
    let errorHeaders: Record<string, string> = {}
    try {
      ctx.token = authenticate(store, req.headers.authorization)
      ;({ status, body } = await route(ctx))
    } catch (err) {
      if (err instanceof ApiError) {
        ;({ status, body } = err)
        errorHeaders = err.headers
      } else {
        // A bug in the double: say so loudly rather than pass for GitHub.
        console.error('github sandbox: internal error', err)
        status = 500
        body = { message: 'Server Error', error: String(err) }
      }
    }
    send(res, record, status, body, {
      'x-github-request-id': id,
      ...rateLimitHeaders(limitFor(req, ctx.token)),
      ...tokenHeaders(ctx.token),
      ...ctx.headers,
      ...errorHeaders,
    })
    record.durationMs = Math.round((performance.now() - started) * 10) / 10
  }

  const served = await serveOnLoopback({
    name: 'github sandbox',
    host,
    handle,
    delays,
    onStop: () => {
      for (const child of children) child.kill()
    },
    onClosed: () => store.dispose(),
  })
  api = served.url

  const sandbox: GitHubSandbox = {
    url: api,
    requests,
    stop: () => served.stop(),
    addOrg(login, o) {
      store.addOrg(login, o)
    },
    addRepo(fullName, o) {
      return store.addRepo(fullName, o)
    },
    addCommit(fullName, o) {
      return store.addCommit(fullName, o)
    },
    addToken(spec) {
      return store.addToken(spec).value
    },
    addStatus(fullName, sha, s) {
      const repo = store.mustRepo(fullName)
      if (!repo.commits.has(sha.toLowerCase()))
        throw new Error(`addStatus: ${fullName} has no commit ${sha}`)
      return store.addStatus(repo, sha, s)
    },
    statuses(fullName, sha) {
      return store.statusesNewestFirst(store.mustRepo(fullName), sha)
    },
    addHook(fullName, hook) {
      return store.addHook(store.mustRepo(fullName), hook)
    },
    hooks(fullName) {
      return [...store.mustRepo(fullName).hooks]
    },
    deployKeys(fullName) {
      return [...store.mustRepo(fullName).deployKeys]
    },
    refs(fullName) {
      return Object.fromEntries(store.refs(store.mustRepo(fullName)))
    },
    gitDir(fullName) {
      const repo = store.mustRepo(fullName)
      if (!repo.git) throw new Error(`gitDir: ${fullName} is not git-backed (addRepo git: true)`)
      return repo.git.dir
    },
    tree(fullName, ref) {
      const repo = store.mustRepo(fullName)
      if (!repo.git) return Object.fromEntries(repo.files)
      const commit = store.resolveRef(repo, ref ?? repo.defaultBranch)
      if (!commit) throw new Error(`tree: ${fullName} has no ref ${ref ?? repo.defaultBranch}`)
      const out: Record<string, string> = {}
      for (const [path, data] of repo.git.files(commit.sha)) out[path] = data.toString('utf8')
      return out
    },
    protectBranch(fullName, branch) {
      store.mustRepo(fullName).protectedBranches.add(branch)
    },
    unprotectBranch(fullName, branch) {
      store.mustRepo(fullName).protectedBranches.delete(branch)
    },
    requireSignedCommits(fullName, branch, o) {
      const repo = store.mustRepo(fullName)
      if (!repo.git)
        throw new Error(`requireSignedCommits: ${fullName} is not git-backed (addRepo git: true)`)
      repo.signedCommitRules.set(branch, o?.via ?? 'branch-protection')
    },
    commitVerification(fullName, sha) {
      const v = verification(store.mustRepo(fullName), sha.toLowerCase())
      return { verified: v['verified'] as boolean, reason: v['reason'] as string }
    },
    get graphqlRequests() {
      return requests
        .filter((r) => r.method === 'POST' && r.path.split('?')[0] === '/graphql')
        .map(graphqlRequestOf)
    },
    onPush(fullName, handler) {
      const repo = store.mustRepo(fullName)
      if (!repo.git) throw new Error(`onPush: ${fullName} is not git-backed (addRepo git: true)`)
      const h: PushHandler = handler
      repo.pushHandlers.add(h)
      return () => {
        repo.pushHandlers.delete(h)
      }
    },
    enableArgoCd(deployRepo, o) {
      return enableArgoCd(store, deployRepo, o ?? {}, sleep, (handler) =>
        sandbox.onPush(deployRepo, handler),
      )
    },
    ...doubleControls(requests, faults),
  }
  return sandbox
}
