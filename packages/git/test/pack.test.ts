import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { GitObject, ObjectType } from '../src/objects.js'
import { applyDelta, parsePack, writePack } from '../src/pack.js'
import { gitEnv } from './git-env.js'

// Packs made by the real git binary, from a history of similar files, so that git deltifies.
let dir: string
const env = gitEnv
const git = (args: string[], input?: string | Buffer) =>
  execFileSync('git', args, { cwd: dir, input, env, stdio: 'pipe', maxBuffer: 1 << 28 })

/** Every object of the repository, read back through `git cat-file --batch`. */
function allObjects(): Map<string, GitObject> {
  const out = git(['cat-file', '--batch-all-objects', '--batch'])
  const objects = new Map<string, GitObject>()
  for (let pos = 0; pos < out.length;) {
    const eol = out.indexOf(0x0a, pos)
    const [oid, type, size] = out.toString('latin1', pos, eol).split(' ')
    const data = out.subarray(eol + 1, eol + 1 + Number(size))
    objects.set(oid!, { type: type as ObjectType, data: Buffer.from(data) })
    pos = eol + 2 + Number(size)
  }
  return objects
}

/** verify-pack's listing of a pack: id -> pack type byte (6 OFS, 7 REF) and delta depth. */
function listPack(pack: Buffer): Map<string, { kind: number; depth: number }> {
  const file = path.join(dir, `check-${createHash('sha1').update(pack).digest('hex')}.pack`)
  writeFileSync(file, pack)
  git(['index-pack', file])
  const listing = new Map<string, { kind: number; depth: number }>()
  for (const line of git(['verify-pack', '-v', file.replace(/pack$/, 'idx')])
    .toString()
    .split('\n')) {
    const f = line.split(/\s+/)
    if (!/^[0-9a-f]{40}$/.test(f[0]!) || f.length < 5) continue
    listing.set(f[0]!, { kind: (pack[Number(f[4])]! >> 4) & 7, depth: Number(f[5] ?? 0) })
  }
  return listing
}

let objects: Map<string, GitObject>

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pack-'))
  git(['init', '-q', '-b', 'main'])
  // Large-ish text that changes a little per commit: blob deltas; trees that change: tree deltas.
  const line = (i: number) => `  - name: service-${i}\n    image: ghcr.io/example/app:${i * 7}\n`
  for (let c = 0; c < 5; c++) {
    for (const stage of ['dev', 'staging', 'prod']) {
      const at = path.join(dir, 'apps', stage)
      mkdirSync(at, { recursive: true })
      const body = Array.from({ length: 300 }, (_, i) => line(i + (i === 100 + c ? 1000 : 0)))
      writeFileSync(path.join(at, 'values.yaml'), `env: ${stage}\n${body.join('')}`)
      writeFileSync(path.join(at, `release-${c}.txt`), `release ${c} ${stage}\n`)
    }
    git(['add', '-A'])
    git(['commit', '-q', '-m', `commit ${c}`])
  }
  objects = allObjects()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** parsePack must give exactly git's objects, and the pack must hold deltas of `kind`. */
function expectSameAsGit(pack: Buffer, kind: number) {
  const listing = listPack(pack)
  const deltas = [...listing.values()].filter((x) => x.depth > 0)
  expect(deltas.length).toBeGreaterThan(5)
  expect(deltas.every((x) => x.kind === kind)).toBe(true)
  expect(Math.max(...deltas.map((x) => x.depth))).toBeGreaterThan(1) // chains, not just one step

  const parsed = parsePack(pack)
  expect([...parsed.keys()].sort()).toEqual([...listing.keys()].sort())
  for (const [oid, o] of parsed) {
    expect(o.type).toBe(objects.get(oid)!.type)
    expect(o.data.equals(objects.get(oid)!.data)).toBe(true)
  }
  return parsed
}

const revListObjects = (...revs: string[]) =>
  git(['rev-list', '--objects', ...revs])
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(0, 40))
    .sort()

/** A pack with a recomputed trailer, so the checksum holds and parsing must notice. */
const resealed = (body: Buffer) => Buffer.concat([body, createHash('sha1').update(body).digest()])

describe('parsePack', () => {
  test('OFS_DELTA pack of the whole history (pack-objects --revs --delta-base-offset)', () => {
    const pack = git(['pack-objects', '--revs', '--stdout', '--delta-base-offset'], 'main\n')
    const parsed = expectSameAsGit(pack, 6)
    expect([...parsed.keys()].sort()).toEqual(revListObjects('main'))
  })

  test('REF_DELTA pack (pack-objects --revs without --delta-base-offset)', () => {
    const pack = git(['pack-objects', '--revs', '--stdout'], 'main\n')
    expectSameAsGit(pack, 7)
  })

  test('the pack file of git repack -adf --window=50', () => {
    git(['repack', '-adf', '--window=50', '-q'])
    const packDir = path.join(dir, '.git', 'objects', 'pack')
    const name = readdirSync(packDir).find((f) => f.endsWith('.pack'))!
    const parsed = expectSameAsGit(readFileSync(path.join(packDir, name)), 6)
    expect(parsed.size).toBe(objects.size)
  })

  test('a thin pack: a REF_DELTA base that is absent throws, supplied through known it resolves', () => {
    const pack = git(['pack-objects', '--revs', '--stdout', '--thin'], 'main\n^main~1\n')
    expect(() => parsePack(pack)).toThrow(/pack delta against [0-9a-f]{40}, which is neither/)
    const asked: string[] = []
    const parsed = parsePack(pack, (oid) => (asked.push(oid), objects.get(oid)))
    expect([...parsed.keys()].sort()).toEqual(revListObjects('main', '^main~1'))
    for (const [oid, o] of parsed) expect(o.data.equals(objects.get(oid)!.data)).toBe(true)
    // The bases came from main~1, outside the pack.
    expect(asked.length).toBeGreaterThan(0)
    for (const oid of asked) expect(parsed.has(oid)).toBe(false)
  })

  describe('damaged packs throw', () => {
    let pack: Buffer
    beforeAll(() => {
      pack = git(['pack-objects', '--revs', '--stdout', '--delta-base-offset'], 'main\n')
    })

    test('one byte changed in the middle: checksum', () => {
      const bad = Buffer.from(pack)
      bad[bad.length >> 1]! ^= 0x40
      expect(() => parsePack(bad)).toThrow('packfile checksum mismatch')
    })

    test('truncated', () => {
      expect(() => parsePack(pack.subarray(0, pack.length - 100))).toThrow('checksum mismatch')
      expect(() => parsePack(pack.subarray(0, 20))).toThrow('not a packfile')
      // Cut in the middle of the objects but resealed: the objects themselves run short.
      expect(() => parsePack(resealed(pack.subarray(0, pack.length >> 1)))).toThrow()
    })

    test('an object count that disagrees with the objects', () => {
      const body = Buffer.from(pack.subarray(0, pack.length - 20))
      const count = body.readUInt32BE(8)
      body.writeUInt32BE(count - 1, 8)
      expect(() => parsePack(resealed(body))).toThrow('packfile has trailing data')
      body.writeUInt32BE(count + 1, 8)
      expect(() => parsePack(resealed(body))).toThrow()
    })

    test('not a pack, or another version', () => {
      const v4 = Buffer.from(pack.subarray(0, pack.length - 20))
      v4.writeUInt32BE(4, 4)
      expect(() => parsePack(resealed(v4))).toThrow('unsupported pack version 4')
      expect(() => parsePack(Buffer.alloc(64))).toThrow('not a packfile')
    })
  })
})

/** A delta: base size, result size (varints), then the instructions. */
const varint = (n: number) => {
  const out: number[] = []
  do {
    out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0))
    n >>>= 7
  } while (n > 0)
  return out
}
const delta = (baseSize: number, resultSize: number, ...ops: number[]) =>
  Buffer.from([...varint(baseSize), ...varint(resultSize), ...ops])

describe('applyDelta', () => {
  const base = Buffer.from('image: ghcr.io/example/app:1.2.3\n'.repeat(10)) // 330 bytes: 2-byte varint

  test('copy and insert instructions', () => {
    const ins = Buffer.from('4.5.6')
    const d = delta(
      base.length,
      27 + ins.length + 2,
      0x80 | 0x10, // copy offset 0 (no offset bytes), size 27
      27,
      ins.length, // insert 5 literal bytes
      ...ins,
      0x80 | 0x01 | 0x02 | 0x10, // copy offset 0x0120 (two offset bytes), size 2
      0x20,
      0x01,
      2,
    )
    expect(applyDelta(base, d).toString()).toBe(
      `image: ghcr.io/example/app:4.5.6${base.toString('latin1', 0x120, 0x122)}`,
    )
  })

  test('a copy of size 0 means 0x10000 bytes', () => {
    const big = Buffer.alloc(0x10000 + 10, 'abcdefgh')
    const d = delta(big.length, 0x10000, 0x80 | 0x01, 5) // offset 5, no size bytes
    expect(applyDelta(big, d).equals(big.subarray(5, 5 + 0x10000))).toBe(true)
  })

  test('malformed deltas throw', () => {
    expect(() => applyDelta(base, delta(base.length + 1, 3, 3, 1, 2, 3))).toThrow(
      'delta base size mismatch',
    )
    expect(() =>
      applyDelta(base, delta(base.length, 64, 0x80 | 0x03 | 0x10, 0x40, 0x01, 64)),
    ).toThrow('delta copies past its base')
    expect(() => applyDelta(base, delta(base.length, 2, 3, 1, 2, 3))).toThrow(
      'delta inserts past its result',
    )
    expect(() => applyDelta(base, delta(base.length, 4, 3, 1, 2, 3))).toThrow(
      'delta result size mismatch',
    )
    expect(() => applyDelta(base, delta(base.length, 1, 0))).toThrow('reserved opcode 0')
  })

  // Regression (pack.ts applyDelta): a copy larger than the room left in the result is not rejected;
  // Buffer.copy truncates it silently, so the delta "succeeds" with a cut copy. git rejects it.
  test('a copy past the end of the result throws', () => {
    expect(() => applyDelta(base, delta(base.length, 3, 0x80 | 0x10, 5))).toThrow()
  })
})

describe('writePack', () => {
  test('git index-pack accepts it, and it reads back object for object', () => {
    const objects = [...allObjects().values()].slice(0, 12)
    // A large object too: its size header takes several bytes.
    objects.push({ type: 'blob', data: Buffer.alloc(70_000, 'x') })
    const pack = writePack(objects)
    const listed = listPack(pack)
    expect(listed.size).toBe(objects.length)
    for (const kind of [...listed.values()].map((l) => l.kind)) expect(kind).toBeLessThan(5)
    const back = parsePack(pack)
    expect([...back.values()].map((o) => [o.type, o.data.toString('base64')]).sort()).toEqual(
      objects.map((o) => [o.type, o.data.toString('base64')]).sort(),
    )
  })
})
