import { createHash } from 'node:crypto'
import fc from 'fast-check'
import {
  applyDelta,
  demuxSideband,
  GitError,
  parseFetchAnswer,
  parsePack,
  parseRefListing,
  parsePushReport,
  parseTree,
  readPackets,
  writePack,
  type GitObject,
} from '../src/index.js'
import { deltaVarint } from './delta-varint.js'

// Whatever a server sends, the parsers answer with objects or a typed GitError: never another
// exception (a RangeError from a huge Buffer.alloc, a TypeError from reading past the end), and
// never more memory than the limits allow.
const LIMITS = { maxObjects: 64, maxObjectBytes: 1 << 16, maxTotalBytes: 1 << 18 }
const runs = { numRuns: 300 }

/** Runs fn; passes if it returns or throws a GitError. */
function typedOrFine(fn: () => unknown): boolean {
  try {
    fn()
    return true
  } catch (error) {
    if (error instanceof GitError) return true
    throw error
  }
}

const withTrailer = (body: Buffer) =>
  Buffer.concat([body, createHash('sha1').update(body).digest()])

const objectArb = fc.record({
  type: fc.constantFrom<GitObject['type']>('blob', 'tree', 'commit', 'tag'),
  data: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
})

describe('pkt-lines', () => {
  test('random bytes: packets or a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) =>
        typedOrFine(() => [...readPackets(Buffer.from(bytes))]),
      ),
      runs,
    )
  })

  test('pkt-line-shaped input, cut anywhere: packets or a typed error', () => {
    const line = fc.tuple(fc.string({ maxLength: 40 }), fc.boolean()).map(([t, upper]) => {
      const hex = (Buffer.byteLength(t) + 4).toString(16).padStart(4, '0')
      return (upper ? hex.toUpperCase() : hex) + t
    })
    fc.assert(
      fc.property(
        fc.array(fc.oneof(line, fc.constantFrom('0000', '0001', '0002')), { maxLength: 10 }),
        fc.nat(),
        (lines, cut) => {
          const body = Buffer.from(lines.join(''))
          return typedOrFine(() => {
            const packets = [...readPackets(body.subarray(0, cut % (body.length + 1)))]
            demuxSideband(packets)
          })
        },
      ),
      runs,
    )
  })
})

describe('packs', () => {
  test('random bytes after a valid header: objects or a typed error', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 32 - 1 }), fc.uint8Array({ maxLength: 300 }), (n, rest) => {
        const head = Buffer.alloc(12)
        head.write('PACK', 0, 'latin1')
        head.writeUInt32BE(2, 4)
        head.writeUInt32BE(n, 8)
        return typedOrFine(() =>
          parsePack(withTrailer(Buffer.concat([head, Buffer.from(rest)])), undefined, LIMITS),
        )
      }),
      runs,
    )
  })

  test('a valid pack, truncated or with bytes changed (checksum fixed): typed error or objects', () => {
    fc.assert(
      fc.property(
        fc.array(objectArb, { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.option(fc.nat()),
        (objects, flips, cut) => {
          const pack = writePack(objects)
          const body = Buffer.from(pack.subarray(0, pack.length - 20))
          for (const [at, value] of flips) body[12 + (at % (body.length - 12))] = value
          const cutBody = cut === null ? body : body.subarray(0, 12 + (cut % (body.length - 11)))
          return typedOrFine(() => parsePack(withTrailer(cutBody), undefined, LIMITS))
        },
      ),
      runs,
    )
  })

  test('a valid pack round-trips', () => {
    fc.assert(
      fc.property(fc.array(objectArb, { maxLength: 6 }), (objects) => {
        const parsed = parsePack(writePack(objects), undefined, LIMITS)
        return objects.every((o) =>
          [...parsed.values()].some((p) => p.type === o.type && p.data.equals(o.data)),
        )
      }),
      runs,
    )
  })
})

describe('deltas', () => {
  test('random deltas on a random base: a result within the limit, or a typed error', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 200 }),
        (base, delta) =>
          typedOrFine(() => {
            const out = applyDelta(Buffer.from(base), Buffer.from(delta), LIMITS.maxObjectBytes)
            if (out.length > LIMITS.maxObjectBytes) throw new Error('over the limit')
          }),
      ),
      runs,
    )
  })

  test('a delta header with the right base size and any result size: typed error or result', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.uint8Array({ maxLength: 60 }),
        (base, size, ops) =>
          typedOrFine(() =>
            applyDelta(
              Buffer.from(base),
              Buffer.concat([deltaVarint(base.length), deltaVarint(size), Buffer.from(ops)]),
              LIMITS.maxObjectBytes,
            ),
          ),
      ),
      runs,
    )
  })
})

describe('trees', () => {
  test('random bytes: entries or a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) =>
        typedOrFine(() => parseTree(Buffer.from(bytes))),
      ),
      runs,
    )
  })
})

describe('server answers', () => {
  const pktArb = fc.oneof(
    fc.constantFrom('0000', '0001', '0002'),
    fc
      .tuple(
        fc.constantFrom('', '\x01', '\x02', '\x03', '\x04'),
        fc.oneof(
          fc.constantFrom(
            'packfile\n',
            'shallow-info\n',
            'unpack ok\n',
            'ok refs/heads/main\n',
            'ng refs/heads/main fetch first\n',
            'PACK',
            `${'1'.repeat(40)} refs/heads/main\n`,
            `${'2'.repeat(40)} HEAD symref-target:refs/heads/main\n`,
          ),
          fc.string({ maxLength: 30 }),
        ),
      )
      .map(([band, t]) => {
        const line = band + t
        return (Buffer.byteLength(line) + 4).toString(16).padStart(4, '0') + line
      }),
  )
  const bodyArb = fc.tuple(fc.array(pktArb, { maxLength: 8 }), fc.nat()).map(([lines, cut]) => {
    const body = Buffer.from(lines.join(''))
    return body.subarray(0, cut % (body.length + 1))
  })

  test('a fetch answer: objects or a typed error', () => {
    fc.assert(
      fc.property(bodyArb, (body) => typedOrFine(() => parseFetchAnswer(body, undefined, LIMITS))),
      runs,
    )
  })

  // Fail closed: a ref is absent only in a listing that ends with its flush, every line a ref.
  test('a ref listing: refs only from a whole listing, else a typed error', () => {
    fc.assert(
      fc.property(bodyArb, (body) => {
        let refs: Map<string, string> | undefined
        const fine = typedOrFine(() => (refs = parseRefListing(body)))
        const whole = body.length >= 4 && body.subarray(-4).toString() === '0000'
        return fine && (refs === undefined || whole)
      }),
      runs,
    )
  })

  // Fail closed: a push counts as done only when the server said 'unpack ok' and 'ok <ref>'.
  test('a push report: success only when the server said so, else a typed error', () => {
    fc.assert(
      fc.property(bodyArb, (body) => {
        let ok = false
        const fine = typedOrFine(() => {
          parsePushReport(body, 'refs/heads/main')
          ok = true
        })
        const said = body.includes('unpack ok') && body.includes('ok refs/heads/main')
        return fine && (!ok || said)
      }),
      runs,
    )
  })
})
