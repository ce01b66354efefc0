import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { GitHttpError, GitRemoteError, readPackets, SmartHttpRemote } from '../src/index.js'
import { gitEnv } from './git-env.js'

// A real `git http-backend` behind a loopback server; `faults` answers the next requests instead.
let dir: string
let work: string
let root: string
let server: Server
let url: string
const seen: { authorization?: string; protocol?: string }[] = []
let faults: ((res: ServerResponse) => void)[] = []

const env = gitEnv
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env, stdio: 'pipe' }).toString().trim()
const catFile = (oid: string) => {
  const type = git(work, 'cat-file', '-t', oid)
  return { type, data: execFileSync('git', ['cat-file', type, oid], { cwd: work, env }) }
}
const pkt = (s: string | Buffer) =>
  Buffer.concat([
    Buffer.from((Buffer.byteLength(s) + 4).toString(16).padStart(4, '0')),
    Buffer.from(s),
  ])
const AUTH = 'Basic eC1hY2Nlc3MtdG9rZW46c2VjcmV0'

/** Runs `git http-backend` as CGI: the header block ("Status:", headers), then the body. */
function backend(req: IncomingMessage, body: Buffer, res: ServerResponse) {
  const target = new URL(req.url ?? '/', 'http://x')
  const child = spawn('git', ['http-backend'], {
    env: {
      ...env,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: target.pathname,
      QUERY_STRING: target.search.replace(/^\?/, ''),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      CONTENT_LENGTH: String(body.length),
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
    },
  })
  const out: Buffer[] = []
  child.stdout.on('data', (c: Buffer) => out.push(c))
  child.stdin.end(body)
  child.on('close', () => {
    const all = Buffer.concat(out)
    const crlf = all.indexOf('\r\n\r\n')
    const end = crlf >= 0 ? crlf : all.indexOf('\n\n')
    let status = 200
    const headers: Record<string, string> = {}
    for (const line of all.toString('latin1', 0, end).split(/\r?\n/)) {
      const colon = line.indexOf(':')
      if (colon < 0) continue
      const name = line.slice(0, colon).trim()
      const value = line.slice(colon + 1).trim()
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10)
      else headers[name] = value
    }
    res.writeHead(status, headers).end(all.subarray(end + (crlf >= 0 ? 4 : 2)))
  })
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'upload-pack-'))
  work = path.join(dir, 'work')
  root = path.join(dir, 'srv')
  mkdirSync(path.join(work, 'apps', 'prod', 'extra'), { recursive: true })
  mkdirSync(path.join(work, 'apps', 'dev'), { recursive: true })
  git(work, 'init', '-q', '-b', 'main')
  writeFileSync(path.join(work, 'README.md'), 'deploy repo\n')
  writeFileSync(path.join(work, 'apps', 'dev', 'values.yaml'), 'image: app:1\n')
  writeFileSync(path.join(work, 'apps', 'prod', 'values.yaml'), 'image: app:1\n')
  writeFileSync(path.join(work, 'apps', 'prod', 'extra', 'x.txt'), 'x\n')
  git(work, 'add', '-A')
  git(work, 'commit', '-q', '-m', 'one')
  git(work, 'branch', 'feature')
  git(work, 'tag', 'v1')
  writeFileSync(path.join(work, 'apps', 'prod', 'values.yaml'), 'image: app:2\n')
  git(work, 'commit', '-q', '-am', 'two')
  git(dir, 'clone', '-q', '--bare', work, path.join(root, 'deploy.git'))
  const bare = path.join(root, 'deploy.git')
  git(bare, 'config', 'uploadpack.allowFilter', 'true')
  git(bare, 'config', 'uploadpack.allowAnySHA1InWant', 'true')

  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({
        authorization: req.headers.authorization,
        protocol: req.headers['git-protocol'] as string | undefined,
      })
      const fault = faults.shift()
      if (fault) fault(res)
      else backend(req, Buffer.concat(chunks), res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/deploy.git`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => {
  faults = []
  seen.length = 0
})

const remote = () => new SmartHttpRemote({ url, authorization: AUTH, timeoutMs: 10_000 })

describe('against git http-backend', () => {
  test('lsRefs: the exact tips, by prefix; the authorization reaches the server', async () => {
    const main = git(work, 'rev-parse', 'main')
    expect(await remote().lsRefs(['refs/heads/main'])).toEqual(new Map([['refs/heads/main', main]]))
    const heads = await remote().lsRefs(['refs/heads/'])
    expect(Object.fromEntries(heads)).toEqual({
      'refs/heads/main': main,
      'refs/heads/feature': git(work, 'rev-parse', 'feature'),
    })
    expect(seen).toEqual([
      { authorization: AUTH, protocol: 'version=2' },
      { authorization: AUTH, protocol: 'version=2' },
    ])
  })

  test('a commit with tree:0 and deepen 1: that commit alone, and it is shallow', async () => {
    const main = git(work, 'rev-parse', 'main')
    const { objects, shallow } = await remote().fetch([main], { filter: 'tree:0', deepen: 1 })
    expect([...objects.keys()]).toEqual([main])
    expect(objects.get(main)).toEqual(catFile(main))
    expect(shallow).toEqual([main])
  })

  test('a tree with tree:0: that tree alone', async () => {
    const tree = git(work, 'rev-parse', 'main^{tree}')
    const { objects, shallow } = await remote().fetch([tree], { filter: 'tree:0' })
    expect([...objects.keys()]).toEqual([tree])
    expect(objects.get(tree)).toEqual(catFile(tree))
    expect(shallow).toEqual([])
  })

  test('a tree with blob:none: every tree below it, no blob', async () => {
    const tree = git(work, 'rev-parse', 'main^{tree}')
    const trees = [
      tree,
      ...git(work, 'ls-tree', '-r', '-d', '--format=%(objectname)', tree).split('\n'),
    ]
    expect(trees).toHaveLength(5) // root, apps, apps/dev, apps/prod, apps/prod/extra
    const { objects } = await remote().fetch([tree], { filter: 'blob:none' })
    expect([...objects.keys()].sort()).toEqual(trees.sort())
    for (const [oid, o] of objects) expect(o).toEqual(catFile(oid))
  })

  test('a blob', async () => {
    const blob = git(work, 'rev-parse', 'main:apps/prod/values.yaml')
    const { objects } = await remote().fetch([blob], {})
    expect([...objects.keys()]).toEqual([blob])
    expect(objects.get(blob)!.data.toString()).toBe('image: app:2\n')
    expect(objects.get(blob)!.type).toBe('blob')
  })
})

const answer =
  (status: number, body: string | Buffer = '', headers: Record<string, string> = {}) =>
  (res: ServerResponse) =>
    res
      .writeHead(status, { 'content-type': 'application/x-git-upload-pack-result', ...headers })
      .end(body)

describe('faults', () => {
  test('a redirect is not followed (the token would go with it): its target is told', async () => {
    faults = [
      answer(301, '', { location: 'https://elsewhere.example/acme/renamed.git/git-upload-pack' }),
    ]
    const error = await remote()
      .lsRefs(['refs/heads/main'])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHttpError)
    expect((error as GitHttpError).status).toBe(301)
    expect((error as GitHttpError).message).toContain(
      'redirected to https://elsewhere.example/acme/renamed.git',
    )
    expect(seen).toHaveLength(1)
  })

  test('503 twice, then the answer: retried, three requests', async () => {
    faults = [answer(503), answer(503)]
    const refs = await remote().lsRefs(['refs/heads/main'])
    expect(refs.get('refs/heads/main')).toBe(git(work, 'rev-parse', 'main'))
    expect(seen).toHaveLength(3)
  })

  test('503 every time: GitHttpError 503 after four requests', async () => {
    faults = [answer(503), answer(503), answer(503), answer(503)]
    const error = await remote()
      .lsRefs(['refs/heads/main'])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHttpError)
    expect(error).toMatchObject({ status: 503, message: expect.stringContaining('after retries') })
    expect(seen).toHaveLength(4)
  })

  test('404: GitHttpError with its status and text, no retry', async () => {
    faults = [answer(404, 'Repository not found.')]
    const error = await remote()
      .lsRefs(['refs/heads/main'])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHttpError)
    expect(error).toMatchObject({ status: 404, text: 'Repository not found.' })
    expect(seen).toHaveLength(1)
  })

  test("a 200 whose body is 'ERR something': GitRemoteError naming it", async () => {
    faults = [answer(200, pkt('ERR something went wrong\n'))]
    const error = await remote()
      .fetch(['0'.repeat(40)], {})
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitRemoteError)
    expect(error).toMatchObject({ message: expect.stringContaining('something went') })
    expect(seen).toHaveLength(1)
  })

  test('a packfile section with sideband 3: throws with its text', async () => {
    const body = Buffer.concat([
      pkt('packfile\n'),
      pkt('\x03fatal: out of memory\n'),
      Buffer.from('0000'),
    ])
    faults = [answer(200, body)]
    const error = await remote()
      .fetch(['0'.repeat(40)], {})
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitRemoteError)
    expect((error as Error).message).toContain('fatal: out of memory')
  })

  // Regression (upload-pack.ts lsRefs): the answer is not required to end with its flush packet, so an
  // empty or cut 200 answer reads as "no such ref". git dies: "expected flush after ref listing".
  test('an ls-refs answer cut before its flush throws', async () => {
    faults = [answer(200, '')]
    await expect(remote().lsRefs(['refs/heads/main'])).rejects.toThrow()
  })

  test('a fetch answer without a packfile section throws', async () => {
    faults = [answer(200, Buffer.concat([pkt('shallow-info\n'), Buffer.from('0000')]))]
    await expect(remote().fetch(['0'.repeat(40)], {})).rejects.toThrow('without a packfile')
  })
})

describe('readPackets', () => {
  const read = (s: string) =>
    [...readPackets(Buffer.from(s))].map((p) => [p.kind, p.data.toString()])

  test('data and the special packets', () => {
    expect(read('0009done\n000100020000')).toEqual([
      ['data', 'done\n'],
      ['delim', ''],
      ['end', ''],
      ['flush', ''],
    ])
  })

  test('malformed input throws', () => {
    for (const bad of ['zzzz', '0003', '0010short', '-001', ' 00a', '0x05'])
      expect(() => read(bad)).toThrow('malformed pkt-line')
  })

  // Regression (readPackets, in smart-http.ts): the length is read with Number.parseInt, which stops at
  // the first non-hex character and accepts fewer than 4 characters, so '00zz' and a body cut to
  // '000' are taken for a flush, '01x5' for a delim. git answers "protocol error: bad line
  // length character".
  test('a length with non-hex characters, or cut short, throws', () => {
    for (const bad of ['00zz', '01x5', '000', '0'])
      expect(() => read(bad)).toThrow('malformed pkt-line')
  })
})
