import { deflateSync } from 'node:zlib'
import { createHash } from 'node:crypto'
import {
  applyDelta,
  demuxSideband,
  GitHttpError,
  GitNetworkError,
  GitProtocolError,
  ObjectStore,
  parsePack,
  parseTree,
  PushOutcomeUnknownError,
  readPackets,
  replaceAt,
  rootTreeOf,
  serializeCommit,
  SmartHttpRemote,
  writeBlob,
} from '../src/index.js'
import { answer, GITHUB_LIKE, startBackend, type BackendServer } from './http-backend.js'
import { deltaVarint } from './delta-varint.js'

// Regressions for the client's own risks (issue 12, item 6): each failed on the code before.
const AUTH = 'Basic eC1hY2Nlc3MtdG9rZW46c2VjcmV0'
let s: BackendServer
beforeAll(async () => (s = await startBackend({ config: GITHUB_LIKE })))
afterAll(() => s.close())
beforeEach(() => {
  s.faults.length = 0
  s.seen.length = 0
})
const remote = (timeoutMs = 10_000) =>
  new SmartHttpRemote({ url: s.url, authorization: AUTH, timeoutMs })
const pkt = (x: string | Buffer) =>
  Buffer.concat([
    Buffer.from((Buffer.byteLength(x) + 4).toString(16).padStart(4, '0')),
    Buffer.from(x),
  ])
const who = { name: 'a', email: 'a@example.com', time: 1_700_000_000 }

/** Builds a commit on main's tip that changes one file; the push is up to the test. */
async function change(content: string) {
  const r = remote()
  const tip = (await r.lsRefs(['refs/heads/main'])).get('refs/heads/main')!
  const objects = new ObjectStore(r)
  await objects.fetchTip(tip)
  const tree = (await replaceAt(objects, rootTreeOf(objects, tip), ['f.txt'], {
    blob: await writeBlob(objects, content),
  }))!
  const commit = objects.add(
    'commit',
    serializeCommit({ tree, parents: [tip], author: who, committer: who, message: 'x\n' }),
  )
  return { tip, commit, objects: objects.toPush(commit) }
}

describe('pkt-line and side band', () => {
  test('lengths in upper-case hex are read (git reads either case)', () => {
    const packets = [...readPackets(Buffer.from('000Babcdef\n0000'))]
    expect(packets.map((p) => [p.kind, p.data.toString()])).toEqual([
      ['data', 'abcdef\n'],
      ['flush', ''],
    ])
  })

  test('an unknown side band is a GitProtocolError, not dropped', () => {
    const packets = readPackets(
      Buffer.concat([pkt('\x01data'), pkt('\x05what'), Buffer.from('0000')]),
    )
    expect(() => demuxSideband(packets)).toThrow(GitProtocolError)
  })
})

describe('trees', () => {
  test("a zero-padded '040000' entry is a tree", () => {
    const raw = Buffer.concat([Buffer.from('040000 dir\0'), Buffer.alloc(20, 1)])
    expect(parseTree(raw)[0]).toMatchObject({ type: 'tree', name: 'dir' })
  })
})

describe('packs and deltas: sizes are the sender word, not trusted', () => {
  test('a delta that claims a 1 TiB result is refused before any allocation', () => {
    const delta = Buffer.concat([deltaVarint(3), deltaVarint(2 ** 40), Buffer.from([0x91, 0, 3])])
    expect(() => applyDelta(Buffer.from('abc'), delta)).toThrow(GitProtocolError)
  })

  test('a delta under the limit that claims more than it makes is refused', () => {
    const delta = Buffer.concat([
      deltaVarint(3),
      deltaVarint(50 * 2 ** 20),
      Buffer.from([0x91, 0, 3]),
    ])
    expect(() => applyDelta(Buffer.from('abc'), delta)).toThrow('size mismatch')
  })

  const pack = (objects: Buffer[], count = objects.length) => {
    const head = Buffer.alloc(12)
    head.write('PACK', 0, 'latin1')
    head.writeUInt32BE(2, 4)
    head.writeUInt32BE(count, 8)
    const body = Buffer.concat([head, ...objects])
    return Buffer.concat([body, createHash('sha1').update(body).digest()])
  }
  const blob = (data: Buffer, claimed = data.length) => {
    const bytes = [(3 << 4) | (claimed & 15)]
    for (let n = Math.floor(claimed / 16); n > 0; n = Math.floor(n / 128)) {
      bytes[bytes.length - 1]! |= 0x80
      bytes.push(n & 0x7f)
    }
    return Buffer.concat([Buffer.from(bytes), deflateSync(data)])
  }

  test('object count and object size over the limits are refused', () => {
    expect(() => parsePack(pack([blob(Buffer.from('x'))], 2 ** 31), undefined)).toThrow(
      'over the limit',
    )
    expect(() =>
      parsePack(pack([blob(Buffer.alloc(2048))]), undefined, { maxObjectBytes: 1024 }),
    ).toThrow('over the limit')
    expect(() =>
      parsePack(pack([blob(Buffer.alloc(600)), blob(Buffer.alloc(600, 1))]), undefined, {
        maxTotalBytes: 1000,
      }),
    ).toThrow('exceed the limit')
  })

  test('an object whose data inflates past its claimed size is refused', () => {
    expect(() => parsePack(pack([blob(Buffer.alloc(4096), 16)]))).toThrow(GitProtocolError)
  })
})

describe('HTTP', () => {
  test('Retry-After is honoured', async () => {
    s.faults.push(answer(503, 'busy', { 'retry-after': '1' }))
    const started = Date.now()
    await remote().lsRefs(['refs/heads/main'])
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(s.seen).toHaveLength(2)
  })

  test('a stalled server is given up after the timeout given', async () => {
    s.faults.push('stall', 'stall', 'stall', 'stall')
    const started = Date.now()
    const r = new SmartHttpRemote({
      url: s.url,
      authorization: AUTH,
      timeoutMs: 300,
      deadline: Date.now() + 1000,
    })
    const error = await r.lsRefs(['refs/heads/main']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitNetworkError)
    expect(Date.now() - started).toBeLessThan(5000)
  })

  test('an answer over the size cap is a GitProtocolError, not read whole', async () => {
    s.faults.push(answer(200, Buffer.alloc(4 * 2 ** 20, 0x30)))
    const r = new SmartHttpRemote({ url: s.url, authorization: AUTH, maxResponseBytes: 2 ** 20 })
    await expect(r.lsRefs(['refs/heads/main'])).rejects.toThrow('over 1048576 bytes')
  })

  test('a 5xx that lasts is a GitHttpError with its status, after retries', async () => {
    s.faults.push(answer(502), answer(502), answer(502), answer(502))
    const error = await remote()
      .lsRefs(['refs/heads/main'])
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHttpError)
    expect(error).toMatchObject({ status: 502, afterRetries: true })
  })
})

describe('push outcomes', () => {
  test('an answer lost after the push landed: PushOutcomeUnknownError, not re-sent', async () => {
    const { tip, commit, objects } = await change('landed\n')
    s.faults.push('drop-answer')
    s.seen.length = 0
    const error = await remote()
      .push({ ref: 'refs/heads/main', old: tip, new: commit }, objects)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PushOutcomeUnknownError)
    expect(s.seen).toHaveLength(1)
    // It did land: the caller reads the ref to learn it.
    expect((await remote().lsRefs(['refs/heads/main'])).get('refs/heads/main')).toBe(commit)
  })

  test('a 5xx to a push is an unknown outcome, never re-sent blindly', async () => {
    const { tip, commit, objects } = await change('five hundred\n')
    s.faults.push(answer(500))
    s.seen.length = 0
    const error = await remote()
      .push({ ref: 'refs/heads/main', old: tip, new: commit }, objects)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PushOutcomeUnknownError)
    expect(s.seen).toHaveLength(1)
  })

  test('a server without side-band: its plain report is read', async () => {
    const { tip, commit, objects } = await change('plain\n')
    s.faults.push(
      answer(
        200,
        Buffer.concat([pkt('unpack ok\n'), pkt('ok refs/heads/main\n'), Buffer.from('0000')]),
      ),
    )
    await expect(
      remote().push({ ref: 'refs/heads/main', old: tip, new: commit }, objects),
    ).resolves.toBeUndefined()
  })
})
