import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { OffOriginError, UserError } from '../src/index.js'
import { createGitHubClient } from '../src/github.js'

/** A loopback server that records what reaches it; a different port is a different origin. */
interface Listener {
  url: string
  host: string
  seen: Array<{ method: string; path: string; authorization?: string }>
  stop(): Promise<void>
}

async function listen(
  handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('[]')
  },
): Promise<Listener> {
  const seen: Listener['seen'] = []
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method!, path: req.url!, authorization: req.headers.authorization })
    handle(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const TOKEN = 'ghp_' + 'o'.repeat(36)
const silent = { debug: () => {}, info: () => {}, warn: () => {} }
let foreign: Listener
let api: Listener
/** What the API answers next, by path prefix. */
let answer: (req: IncomingMessage, res: ServerResponse) => void

beforeAll(async () => {
  foreign = await listen()
  api = await listen((req, res) => answer(req, res))
})
afterAll(async () => {
  await foreign.stop()
  await api.stop()
})
beforeEach(() => {
  foreign.seen.length = 0
  api.seen.length = 0
})

const client = () =>
  createGitHubClient({
    token: TOKEN,
    baseUrl: api.url,
    baseUrlSource: "input 'github-api-url'",
    log: silent,
    retries: 3,
    retryBaseMs: 10,
  })

async function failure(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a failure')
}

test('a pagination link to another origin is refused before anything is sent', async () => {
  answer = (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      link: `<${foreign.url}/repos/a/b/issues?page=2&per_page=100>; rel="next"`,
    })
    res.end('[{"id":1}]')
  }
  const error = await failure(() =>
    client().paginate('GET /repos/{owner}/{repo}/issues', { owner: 'a', repo: 'b' }),
  )
  expect(error).toBeInstanceOf(OffOriginError)
  expect(error).toBeInstanceOf(UserError)
  expect(error.message).toContain(`Refused to send GET to ${foreign.host}`)
  expect(error.message).toContain("the origin of input 'github-api-url'")
  expect(error.message).not.toContain('per_page')
  expect(foreign.seen).toEqual([])
  // Refused once, not retried like a server error.
  expect(api.seen).toHaveLength(1)
})

test('a caller following a URL from an answer names that answer in the refusal', async () => {
  const error = await failure(() =>
    client().request({
      method: 'GET',
      url: `${foreign.url}/next?token=x`,
      request: { pointedBy: 'the answer to GET /repos/a/b/statuses (its next page)' },
    } as never),
  )
  expect(error).toBeInstanceOf(OffOriginError)
  expect(error.message).toContain(
    `Refused to send GET to ${foreign.host}: the answer to GET /repos/a/b/statuses (its next page) pointed to ${foreign.url}/next, which is not on`,
  )
  expect(error.message).not.toContain('token=x')
  expect(foreign.seen).toEqual([])
})

test('a URL taken from a body is checked the same way', async () => {
  const error = await failure(() => client().request(`GET ${foreign.url}/repos/a/b`))
  expect(error).toBeInstanceOf(OffOriginError)
  expect((error as OffOriginError).host).toBe(foreign.host)
  expect(foreign.seen).toEqual([])
})

test('another scheme or port on the same host is another origin', async () => {
  const https = api.url.replace('http:', 'https:')
  expect(await failure(() => client().request(`GET ${https}/x`))).toBeInstanceOf(OffOriginError)
  const port = `http://127.0.0.1:${Number(new URL(api.url).port) + 1}`
  expect(await failure(() => client().request(`GET ${port}/x`))).toBeInstanceOf(OffOriginError)
})

test('a read redirected to another origin is not followed, and names the host', async () => {
  answer = (_req, res) => {
    res.writeHead(302, { location: `${foreign.url}/steal?x=1` })
    res.end()
  }
  const error = await failure(() =>
    client().request('GET /repos/{owner}/{repo}', { owner: 'a', repo: 'b' }),
  )
  expect(error).toBeInstanceOf(OffOriginError)
  expect(error.message).toContain(
    `GET ${api.url}/repos/a/b was answered with a redirect (302) to ${foreign.host}`,
  )
  expect(error.message).toContain("set input 'github-api-url' to its new address")
  expect(foreign.seen).toEqual([])
  expect(api.seen).toHaveLength(1)
})

test('a read redirected within the origin is followed (a renamed repository)', async () => {
  answer = (req, res) => {
    if (req.url!.startsWith('/repos/old/')) {
      res.writeHead(301, { location: `${api.url}/repositories/42` })
      res.end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"id":42,"full_name":"new/name"}')
  }
  const { data, status } = await client().request('GET /repos/{owner}/{repo}', {
    owner: 'old',
    repo: 'name',
  })
  expect(status).toBe(200)
  expect(data).toEqual({ id: 42, full_name: 'new/name' })
  // The route's parameters are not sent again as a query.
  expect(api.seen.map((r) => r.path)).toEqual(['/repos/old/name', '/repositories/42'])
  expect(api.seen.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true)
})

test('a redirect loop stops', async () => {
  answer = (_req, res) => {
    res.writeHead(302, { location: `${api.url}/loop` })
    res.end()
  }
  const error = await failure(() => client().request('GET /loop'))
  expect(error.message).toContain('too many redirects')
  expect(api.seen.length).toBeLessThanOrEqual(6)
})

test.each([301, 302, 303, 307, 308])(
  'a write answered %i fails: it was not carried out',
  async (code) => {
    answer = (_req, res) => {
      res.writeHead(code, { location: `${api.url}/repos/a/b/statuses/abc` })
      res.end()
    }
    const error = await failure(() =>
      client().request('POST /repos/{owner}/{repo}/statuses/{sha}', {
        owner: 'a',
        repo: 'b',
        sha: 'abc',
        state: 'success',
      }),
    )
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toContain(
      `POST ${api.url}/repos/a/b/statuses/abc was answered with a redirect (${code})`,
    )
    expect(error.message).toContain('nothing was written')
    expect(api.seen.map((r) => r.method)).toEqual(['POST'])
  },
)

test('the token never reaches the foreign listener', async () => {
  expect(foreign.seen.filter((r) => r.authorization)).toEqual([])
})
