import { createServer, type Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { isDeepStrictEqual } from 'node:util'
import { createGitHubClient } from '@argocd-actions/core/github'
import { setCommitStatus } from '../src/set-status.js'
import { findNewestStatus } from '../src/wait-for-status.js'

/**
 * GitHub's own recorded answers (@octokit/fixtures' create-status scenario), replayed from a loopback
 * server in the recorded order, through our client code: the real Octokit with our plugins, and
 * the functions the action runs. Each request must be the one GitHub saw, body included.
 */
interface Recorded {
  method: string
  path: string
  body: unknown
  status: number
  response: unknown
  headers: Record<string, string>
}
const require = createRequire(import.meta.url)
const recorded =
  require('@octokit/fixtures/scenarios/api.github.com/create-status/normalized-fixture.json') as Recorded[]

let server: Server
let url: string
const mismatches: string[] = []
let next = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      const r = recorded[next++]
      const path = new URL(req.url!, 'http://x').pathname
      if (!r || r.method.toUpperCase() !== req.method || r.path !== path) {
        mismatches.push(`${req.method} ${path} (expected ${r?.method} ${r?.path})`)
      } else if (r.body && !isDeepStrictEqual(JSON.parse(body), r.body)) {
        mismatches.push(`${req.method} ${path} body ${body} (expected ${JSON.stringify(r.body)})`)
      }
      res.writeHead(r?.status ?? 500, {
        ...(r?.headers ?? {}),
        'content-type': 'application/json; charset=utf-8',
      })
      res.end(JSON.stringify(r?.response ?? { message: 'unexpected' }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

test('create-status, replayed through setCommitStatus and findNewestStatus', async () => {
  const octokit = createGitHubClient({
    token: '0'.repeat(40),
    baseUrl: url,
    log: { debug: () => {}, info: () => {}, warn: () => {} },
  })
  const repo = { owner: 'octokit-fixture-org', repo: 'create-status' }
  const sha = '0000000000000000000000000000000000000001'
  const failure = await setCommitStatus(octokit, repo, sha, {
    state: 'failure',
    context: 'example/1',
    description: 'create-status failure test',
    targetUrl: 'https://example.com',
  })
  const success = await setCommitStatus(octokit, repo, sha, {
    state: 'success',
    context: 'example/2',
    description: 'create-status success test',
    targetUrl: 'https://example.com',
  })
  expect(failure).toMatchObject({
    state: 'failure',
    context: 'example/1',
    targetUrl: 'https://example.com',
  })
  expect(success).toMatchObject({ state: 'success', context: 'example/2' })
  expect(success.id).toBe((recorded[1].response as { id: number }).id)

  const newest = await findNewestStatus(octokit, repo, sha, 'example/2')
  expect(newest).toEqual(success)
  expect(mismatches).toEqual([])
  expect(next).toBe(3)
})
