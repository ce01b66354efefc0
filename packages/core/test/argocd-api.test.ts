import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { bodyKindOf, type Answer } from '../src/answers.js'
import {
  argoCdBase,
  argoCdFailure,
  argoCdGet,
  argoCdPaths,
  policyLine,
  rbacSubject,
  readCanI,
} from '../src/argocd-api.js'

/**
 * The shared Argo CD client against a tiny loopback server answering the way Argo CD's gRPC
 * gateway does (the sandbox's Argo CD double is tested with the bundles end to end).
 */
type Handler = (req: IncomingMessage, res: ServerResponse) => void
let server: Server
let url: string
let handler: Handler
const seen: { path: string; auth?: string }[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization })
    handler(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
  seen.length = 0
})

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwcm9qOm15LXByb2o6Y2kifQ.c2lnbmF0dXJlLWNhbmFyeQ'
const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}
const fast = { baseMs: 5, attempts: 3, timeoutMs: 500 }
const serverOf = (u = url) => ({ url: u, token: TOKEN, source: "input 'api-url'" })

describe('paths', () => {
  test('can-i encodes each segment whole, so an object with a slash stays one segment', () => {
    expect(argoCdPaths.canI('applications', 'action/*', 'my-proj/nonprod.web')).toBe(
      '/api/v1/account/can-i/applications/action%2F*/my-proj%2Fnonprod.web',
    )
  })
  test('application with refresh and appNamespace', () => {
    expect(
      argoCdPaths.application('nonprod.web', { refresh: 'normal', appNamespace: 'apps' }),
    ).toBe('/api/v1/applications/nonprod.web?refresh=normal&appNamespace=apps')
    expect(argoCdPaths.application('a b')).toBe('/api/v1/applications/a%20b')
  })
  test('base drops a trailing slash and /api/v1', () => {
    expect(argoCdBase('https://cd.example.com/argocd/api/v1/')).toBe(
      'https://cd.example.com/argocd',
    )
  })
})

describe('argoCdGet', () => {
  test('sends the bearer token and reads the JSON answer', async () => {
    handler = (_req, res) => json(res, 200, { loggedIn: true, username: 'proj:my-proj:ci' })
    const a = await argoCdGet(serverOf(), argoCdPaths.userInfo(), fast)
    expect(a.status).toBe(200)
    expect(a.body).toEqual({ loggedIn: true, username: 'proj:my-proj:ci' })
    expect(seen).toEqual([{ path: '/api/v1/session/userinfo', auth: `Bearer ${TOKEN}` }])
  })

  test('retries a 503 (gRPC Unavailable), then returns the last answer', async () => {
    handler = (_req, res) => json(res, 503, { error: 'unavailable', code: 14, message: 'down' })
    const a = await argoCdGet(serverOf(), argoCdPaths.userInfo(), fast)
    expect(a.status).toBe(503)
    expect(seen).toHaveLength(3)
  })

  test('does not retry a 401 or 403', async () => {
    handler = (_req, res) =>
      json(res, 403, { error: 'denied', code: 7, message: 'permission denied' })
    expect((await argoCdGet(serverOf(), argoCdPaths.userInfo(), fast)).status).toBe(403)
    expect(seen).toHaveLength(1)
  })

  test('never follows a redirect (the token would go elsewhere)', async () => {
    handler = (_req, res) => {
      res.writeHead(302, { location: 'http://127.0.0.2:1/api/v1/session/userinfo' })
      res.end()
    }
    const a = await argoCdGet(serverOf(`${url}/`), argoCdPaths.userInfo(), fast)
    expect(a.status).toBe(302)
    expect(seen).toHaveLength(1)
    expect(argoCdFailure(a, { doing: 'reading the session' }).message).toMatch(
      /redirect to 127\.0\.0\.2:1: not followed/,
    )
  })
})

const answer = (status: number, body: unknown, contentType = 'application/json'): Answer => ({
  request: 'GET /api/v1/applications/nonprod.web',
  status,
  headers: { 'content-type': contentType },
  body,
  bodyKind: bodyKindOf(body, contentType),
})

describe('argoCdFailure', () => {
  const needs = { resource: 'applications', action: 'get', object: 'my-proj/nonprod.web' }
  const ctx = { doing: 'reading application nonprod.web', needs, subject: 'proj:my-proj:ci' }

  test('403 names the policy line that would grant the permission, and where it goes', () => {
    const e = argoCdFailure(
      answer(403, {
        error: 'permission denied',
        code: 7,
        message: 'permission denied: applications, get, my-proj/nonprod.web, sub: proj:my-proj:ci',
      }),
      ctx,
    )
    expect(e.name).toBe('ArgoCdError')
    expect(e.status).toBe(403)
    expect(e.grpcCode).toBe(7)
    expect(e.message).toContain('p, proj:my-proj:ci, applications, get, my-proj/nonprod.web, allow')
    expect(e.message).toContain("role 'ci' of project 'my-proj'")
    expect(e.message).toContain('PermissionDenied')
  })

  test('401: invalid, expired or revoked; "expired" when the claims say so', () => {
    const body = {
      error: 'invalid session',
      code: 16,
      message: 'invalid session: token is expired',
    }
    expect(argoCdFailure(answer(401, body), ctx).message).toMatch(/invalid, expired or revoked/)
    const past = new Date('2026-01-01T00:00:00Z')
    expect(argoCdFailure(answer(401, body), { ...ctx, expiresAt: past }).message).toContain(
      'the token expired on 2026-01-01T00:00:00.000Z',
    )
  })

  test('an HTML page is a proxy, even with a 401 or 403', () => {
    for (const status of [401, 403, 502]) {
      const m = argoCdFailure(answer(status, '<html>login</html>', 'text/html'), ctx).message
      expect(m).toMatch(/HTML page is not Argo CD's API/)
      expect(m).not.toContain('policy line')
    }
  })

  test('5xx after retries quotes Argo CD; no answer says so', () => {
    const m = argoCdFailure(
      answer(503, { error: 'x', code: 14, message: 'connection refused' }),
      ctx,
    )
    expect(m.message).toMatch(/server fault at Argo CD/)
    expect(m.message).toContain('connection refused')
    const none: Answer = { ...answer(0, undefined), bodyKind: 'none', failure: 'timed out' }
    expect(argoCdFailure(none, ctx).message).toMatch(/got no answer \(timed out\) after retries/)
  })

  test('a 2xx of the wrong shape is never taken as an answer', () => {
    expect(argoCdFailure(answer(200, null), ctx).message).toMatch(/JSON null/)
  })

  test('a token echoed by the server is not quoted', () => {
    const m = argoCdFailure(answer(400, { code: 3, message: `bad token ${TOKEN}` }), ctx).message
    expect(m).not.toContain(TOKEN)
    expect(m).not.toContain(TOKEN.split('.')[1])
    expect(m).toContain('[a token]')
  })
})

describe('readCanI: only {"value":"no"} proves no', () => {
  test.each<[string, Answer, string]>([
    ['yes', answer(200, { value: 'yes' }), 'yes'],
    ['no', answer(200, { value: 'no' }), 'no'],
    ['401 from Argo CD', answer(401, { code: 16, message: 'no session' }), 'rejected'],
    ['403 JSON', answer(403, { code: 7, message: 'permission denied' }), 'unreadable'],
    ['404 JSON', answer(404, { code: 5, message: 'not found' }), 'unreadable'],
    ['500', answer(500, { code: 13, message: 'boom' }), 'unreadable'],
    ['HTML 200', answer(200, '<html></html>', 'text/html'), 'unreadable'],
    ['null', answer(200, null), 'unreadable'],
    ['other value', answer(200, { value: 'maybe' }), 'unreadable'],
    ['HTML 401 (a proxy)', answer(401, '<html></html>', 'text/html'), 'unreadable'],
  ])('%s', (_name, a, state) => {
    expect(readCanI(a).state).toBe(state)
  })
})

test('RBAC subject: a project role as is, an account without its capability', () => {
  expect(rbacSubject('proj:my-proj:ci')).toBe('proj:my-proj:ci')
  expect(rbacSubject('ci-bot:apiKey')).toBe('ci-bot')
  expect(rbacSubject('admin:login')).toBe('admin')
  expect(policyLine('ci-bot', { resource: 'clusters', action: 'get', object: '*' })).toBe(
    'p, ci-bot, clusters, get, *, allow',
  )
})
