import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import {
  GitHttpError,
  GitProtocolError,
  GitRemoteError,
  parseRefListing,
  pktBytes,
  readPackets,
  SmartHttpRemote,
} from '../src/index.js'
import { gitEnv } from './git-env.js'
import { answer, startBackend, type BackendServer } from './http-backend.js'

// A real `git http-backend` behind a loopback server (./http-backend.ts).
let s: BackendServer
let work: string

const git = (cwd: string, ...args: string[]) => s.git(cwd, ...args)
const catFile = (oid: string) => {
  const type = git(work, 'cat-file', '-t', oid)
  return { type, data: execFileSync('git', ['cat-file', type, oid], { cwd: work, env: gitEnv }) }
}

const AUTH = 'Basic eC1hY2Nlc3MtdG9rZW46c2VjcmV0'

beforeAll(async () => {
  s = await startBackend({
    config: { 'uploadpack.allowFilter': 'true', 'uploadpack.allowAnySHA1InWant': 'true' },
    files: {
      'README.md': 'deploy repo\n',
      'apps/dev/values.yaml': 'image: app:1\n',
      'apps/prod/values.yaml': 'image: app:1\n',
      'apps/prod/extra/x.txt': 'x\n',
    },
    setup(w, g) {
      g(w, 'branch', 'feature')
      g(w, 'tag', 'v1')
      writeFileSync(path.join(w, 'apps', 'prod', 'values.yaml'), 'image: app:2\n')
      g(w, 'commit', '-q', '-am', 'two')
    },
  })
  work = s.work
})
afterAll(() => s.close())
beforeEach(() => {
  s.faults.length = 0
  s.seen.length = 0
})
const seen = () => s.seen.map(({ authorization, protocol }) => ({ authorization, protocol }))

const remote = () => new SmartHttpRemote({ url: s.url, authorization: AUTH, timeoutMs: 10_000 })

describe('against git http-backend', () => {
  test('lsRefs: the exact tips, by prefix; the authorization reaches the server', async () => {
    const main = git(work, 'rev-parse', 'main')
    expect(await remote().lsRefs(['refs/heads/main'])).toEqual(new Map([['refs/heads/main', main]]))
    const heads = await remote().lsRefs(['refs/heads/'])
    expect(Object.fromEntries(heads)).toEqual({
      'refs/heads/main': main,
      'refs/heads/feature': git(work, 'rev-parse', 'feature'),
    })
    expect(seen()).toEqual([
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

  test('haves: only the commits the known one does not reach; none for an ancestor', async () => {
    const [main, feature] = [git(work, 'rev-parse', 'main'), git(work, 'rev-parse', 'feature')]
    const after = await remote().fetch([main], { filter: 'tree:0', haves: [feature] })
    expect([...after.objects.keys()]).toEqual([main])
    const behind = await remote().fetch([feature], { filter: 'tree:0', haves: [main] })
    expect(behind.objects.size).toBe(0)
    // A commit the server does not know: it cannot leave anything out.
    const unknown = await remote().fetch([main], { filter: 'tree:0', haves: ['e'.repeat(40)] })
    expect([...unknown.objects.keys()].sort()).toEqual([main, feature].sort())
  })
})

describe('faults', () => {
  test('a redirect is not followed (the token would go with it): its target is told', async () => {
    s.faults.push(
      answer(301, '', { location: 'https://elsewhere.example/acme/renamed.git/git-upload-pack' }),
    )
    const error = await remote()
      .lsRefs(['refs/heads/main'])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHttpError)
    expect((error as GitHttpError).status).toBe(301)
    expect((error as GitHttpError).message).toContain(
      'redirected to https://elsewhere.example/acme/renamed.git',
    )
    expect(seen()).toHaveLength(1)
  })

  test('503 twice, then the answer: retried, three requests', async () => {
    s.faults.push(answer(503), answer(503))
    const refs = await remote().lsRefs(['refs/heads/main'])
    expect(refs.get('refs/heads/main')).toBe(git(work, 'rev-parse', 'main'))
    expect(seen()).toHaveLength(3)
  })

  test('503 every time: GitHttpError 503 after four requests', async () => {
    s.faults.push(answer(503), answer(503), answer(503), answer(503))
    const error = await remote()
      .lsRefs(['refs/heads/main'])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHttpError)
    expect(error).toMatchObject({ status: 503, message: expect.stringContaining('after retries') })
    expect(seen()).toHaveLength(4)
  })

  test('404: GitHttpError with its status and text, no retry', async () => {
    s.faults.push(answer(404, 'Repository not found.'))
    const error = await remote()
      .lsRefs(['refs/heads/main'])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHttpError)
    expect(error).toMatchObject({ status: 404, text: 'Repository not found.' })
    expect(seen()).toHaveLength(1)
  })

  test("a 200 whose body is 'ERR something': GitRemoteError naming it", async () => {
    s.faults.push(answer(200, pktBytes('ERR something went wrong\n')))
    const error = await remote()
      .fetch(['0'.repeat(40)], {})
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitRemoteError)
    expect(error).toMatchObject({ message: expect.stringContaining('something went') })
    expect(seen()).toHaveLength(1)
  })

  test('a packfile section with sideband 3: throws with its text', async () => {
    const body = Buffer.concat([
      pktBytes('packfile\n'),
      pktBytes('\x03fatal: out of memory\n'),
      Buffer.from('0000'),
    ])
    s.faults.push(answer(200, body))
    const error = await remote()
      .fetch(['0'.repeat(40)], {})
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitRemoteError)
    expect((error as Error).message).toContain('fatal: out of memory')
  })

  // Regression (upload-pack.ts lsRefs): the answer is not required to end with its flush packet, so an
  // empty or cut 200 answer reads as "no such ref". git dies: "expected flush after ref listing".
  test('an ls-refs answer cut before its flush throws', async () => {
    s.faults.push(answer(200, ''))
    await expect(remote().lsRefs(['refs/heads/main'])).rejects.toThrow()
  })

  test('a fetch answer without a packfile section throws', async () => {
    s.faults.push(answer(200, Buffer.concat([pktBytes('shallow-info\n'), Buffer.from('0000')])))
    await expect(remote().fetch(['0'.repeat(40)], {})).rejects.toThrow(
      "unexpected answer to a fetch: no packfile section (the server sent 1 line, none of them 'packfile')",
    )
  })

  // Regression (fault matrix, round 1): a flush packet alone was "the server answered a fetch
  // without a packfile", which named no cause.
  test('a fetch answered with a flush packet alone: an unexpected answer, said so', async () => {
    s.faults.push(answer(200, '0000'))
    const error = await remote()
      .fetch(['0'.repeat(40)], {})
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitProtocolError)
    expect((error as Error).message).toBe(
      'unexpected answer to a fetch: no packfile section (the server sent only a flush packet)',
    )
  })

  test('a 502 with an HTML page: GitHttpError saying so, without the page', async () => {
    const page = '<html><body><h1>502 Bad Gateway</h1></body></html>'
    s.faults.push(...Array.from({ length: 4 }, () => answer(502, page)))
    const error = await remote()
      .lsRefs(['refs/heads/main'])
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 502, bodyKind: 'html', text: page })
    expect((error as Error).message).toBe(
      'git smart HTTP answered 502 (after retries): an HTML page',
    )
  })
})

describe('parseRefListing', () => {
  const listing = (...lines: string[]) => Buffer.from(lines.join(''))
  const ID = '1'.repeat(40)

  test('a whole listing: its refs; an empty one (a flush alone) lists none', () => {
    expect(
      parseRefListing(listing(pktBytes(`${ID} refs/heads/main\n`).toString(), '0000')),
    ).toEqual(new Map([['refs/heads/main', ID]]))
    expect(parseRefListing(listing('0000'))).toEqual(new Map())
    // Attributes after the name, and an unborn HEAD, are read as git writes them.
    expect(
      parseRefListing(
        listing(
          pktBytes(`${ID} HEAD symref-target:refs/heads/main\n`).toString(),
          pktBytes('unborn HEAD symref-target:refs/heads/main\n').toString(),
          '0000',
        ),
      ),
    ).toEqual(new Map([['HEAD', ID]]))
  })

  // Regression: a line that was not '<id> <ref>' was skipped, and data after the flush ignored,
  // so a mangled listing could read as "no such branch".
  test.each([
    ['an empty body', '', 'an empty body'],
    ['no flush', pktBytes(`${ID} refs/heads/main\n`).toString(), 'does not end with its flush'],
    [
      'a line after the flush',
      `0000${pktBytes(`${ID} refs/heads/main\n`).toString()}`,
      'does not end',
    ],
    [
      'a delim inside',
      `0001${pktBytes(`${ID} refs/heads/main\n`).toString()}0000`,
      'a delim packet',
    ],
    [
      'a line that is no ref',
      `${pktBytes('hello\n').toString()}0000`,
      "not '<object id> <ref name>'",
    ],
  ])('%s: GitProtocolError, "unexpected ls-refs answer"', (_, body, why) => {
    expect(() => parseRefListing(Buffer.from(body))).toThrow(GitProtocolError)
    expect(() => parseRefListing(Buffer.from(body))).toThrow(/^unexpected ls-refs answer/)
    expect(() => parseRefListing(Buffer.from(body))).toThrow(why)
  })

  test('an id that is not one is not quoted: a hostile server may list what we sent it', () => {
    const token = 'ghp_' + 'a'.repeat(36)
    const error = (() => {
      try {
        parseRefListing(Buffer.from(`${pktBytes(`${token} refs/heads/main\n`).toString()}0000`))
      } catch (e) {
        return e as Error
      }
    })()
    expect(error).toBeInstanceOf(GitProtocolError)
    expect(error!.message).not.toContain(token.slice(0, 10))
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
