/**
 * Reads the packfile an upload-pack `fetch` answers with (format: git's
 * Documentation/gitformat-pack.txt): whole objects and deltas against objects earlier in the pack
 * or already known. We never ask for a thin pack, so every delta base is in the pack itself.
 */
import { createHash } from 'node:crypto'
import { deflateSync, inflateSync } from 'node:zlib'
import { objectId, type GitObject, type ObjectType } from './git-objects.js'

const TYPES: Record<number, ObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' }
const OFS_DELTA = 6
const REF_DELTA = 7

/** The objects of a pack by id, each checked against its id. */
export function parsePack(
  pack: Buffer,
  known: (oid: string) => GitObject | undefined = () => undefined,
): Map<string, GitObject> {
  if (pack.length < 32 || pack.toString('latin1', 0, 4) !== 'PACK')
    throw new Error('not a packfile')
  const version = pack.readUInt32BE(4)
  if (version !== 2 && version !== 3) throw new Error(`unsupported pack version ${version}`)
  const count = pack.readUInt32BE(8)
  const trailer = pack.subarray(pack.length - 20)
  if (
    !createHash('sha1')
      .update(pack.subarray(0, pack.length - 20))
      .digest()
      .equals(trailer)
  )
    throw new Error('packfile checksum mismatch')

  const byOffset = new Map<number, GitObject>()
  const byId = new Map<string, GitObject>()
  let pos = 12
  for (let n = 0; n < count; n++) {
    const start = pos
    let byte = pack[pos++]!
    const kind = (byte >> 4) & 7
    let size = byte & 15
    for (let shift = 4; byte & 0x80; shift += 7) {
      byte = pack[pos++]!
      size += (byte & 0x7f) * 2 ** shift
    }
    let base: GitObject | undefined
    if (kind === OFS_DELTA) {
      byte = pack[pos++]!
      let distance = byte & 0x7f
      while (byte & 0x80) {
        byte = pack[pos++]!
        distance = (distance + 1) * 128 + (byte & 0x7f)
      }
      base = byOffset.get(start - distance)
      if (!base) throw new Error(`pack delta at ${start} names no earlier object`)
    } else if (kind === REF_DELTA) {
      const oid = pack.toString('hex', pos, pos + 20)
      pos += 20
      base = byId.get(oid) ?? known(oid)
      if (!base) throw new Error(`pack delta against ${oid}, which is neither in the pack nor here`)
    } else if (!TYPES[kind]) throw new Error(`unknown pack object type ${kind}`)

    const { buffer, engine } = inflateSync(pack.subarray(pos), { info: true }) as unknown as {
      buffer: Buffer
      engine: { bytesWritten: number }
    }
    pos += engine.bytesWritten
    if (buffer.length !== size) throw new Error(`pack object at ${start}: size mismatch`)
    const object: GitObject = base
      ? { type: base.type, data: applyDelta(base.data, buffer) }
      : { type: TYPES[kind]!, data: buffer }
    byOffset.set(start, object)
    byId.set(objectId(object.type, object.data), object)
  }
  if (pos !== pack.length - 20) throw new Error('packfile has trailing data')
  return byId
}

/** Applies a git delta (copy and insert instructions) to its base. */
export function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let pos = 0
  const varint = () => {
    let value = 0
    let shift = 0
    let byte: number
    do {
      byte = delta[pos++]!
      value += (byte & 0x7f) * 2 ** shift
      shift += 7
    } while (byte & 0x80)
    return value
  }
  if (varint() !== base.length) throw new Error('delta base size mismatch')
  const out = Buffer.alloc(varint())
  let at = 0
  while (pos < delta.length) {
    const op = delta[pos++]!
    if (op & 0x80) {
      let offset = 0
      let size = 0
      for (let i = 0; i < 4; i++) if (op & (1 << i)) offset += delta[pos++]! * 2 ** (8 * i)
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) size += delta[pos++]! * 2 ** (8 * i)
      if (size === 0) size = 0x10000
      if (offset + size > base.length) throw new Error('delta copies past its base')
      if (at + size > out.length) throw new Error('delta copies past its result')
      at += base.copy(out, at, offset, offset + size)
    } else if (op > 0) {
      if (at + op > out.length) throw new Error('delta inserts past its result')
      at += delta.copy(out, at, pos, pos + op)
      pos += op
    } else throw new Error('delta has a reserved opcode 0')
  }
  if (at !== out.length) throw new Error('delta result size mismatch')
  return out
}

/** A pack of whole objects (no deltas: a release sends a few small ones). */
export function writePack(objects: GitObject[]): Buffer {
  const head = Buffer.alloc(12)
  head.write('PACK', 0, 'latin1')
  head.writeUInt32BE(2, 4)
  head.writeUInt32BE(objects.length, 8)
  const parts = [head]
  for (const o of objects) {
    const kind = Number(Object.keys(TYPES).find((k) => TYPES[Number(k)] === o.type))
    let size = o.data.length
    const bytes = [(kind << 4) | (size & 15)]
    size = Math.floor(size / 16)
    while (size > 0) {
      bytes[bytes.length - 1]! |= 0x80
      bytes.push(size & 0x7f)
      size = Math.floor(size / 128)
    }
    parts.push(Buffer.from(bytes), deflateSync(o.data))
  }
  const body = Buffer.concat(parts)
  return Buffer.concat([body, createHash('sha1').update(body).digest()])
}
