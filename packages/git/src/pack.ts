/**
 * Reads the packfile an upload-pack `fetch` answers with (format: git's
 * Documentation/gitformat-pack.txt): whole objects and deltas against objects earlier in the pack
 * or already known. We never ask for a thin pack, so every delta base is in the pack itself.
 */
import { createHash } from 'node:crypto'
import { deflateSync, inflateSync } from 'node:zlib'
import { GitProtocolError } from './errors.js'
import { objectId, type GitObject, type ObjectType } from './objects.js'

const TYPES: Record<number, ObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' }
const OFS_DELTA = 6
const REF_DELTA = 7

/** What a pack from a server may hold: more is refused before it is allocated. */
export interface PackLimits {
  /** Objects in one pack (default 100,000). */
  maxObjects?: number
  /** Bytes of one object, whole or rebuilt from a delta (default 100 MiB: GitHub's file limit). */
  maxObjectBytes?: number
  /** Bytes of every object of the pack together (default 512 MiB). */
  maxTotalBytes?: number
}

const DEFAULT_LIMITS: Required<PackLimits> = {
  maxObjects: 100_000,
  maxObjectBytes: 100 * 2 ** 20,
  maxTotalBytes: 512 * 2 ** 20,
}

const bad = (message: string) => new GitProtocolError(message)

/** The objects of a pack by id, each checked against its id. A pack we cannot read is a GitProtocolError. */
export function parsePack(
  pack: Buffer,
  known: (oid: string) => GitObject | undefined = () => undefined,
  limits: PackLimits = {},
): Map<string, GitObject> {
  const limit = { ...DEFAULT_LIMITS, ...limits }
  if (pack.length < 32 || pack.toString('latin1', 0, 4) !== 'PACK') throw bad('not a packfile')
  const version = pack.readUInt32BE(4)
  if (version !== 2 && version !== 3) throw bad(`unsupported pack version ${version}`)
  const count = pack.readUInt32BE(8)
  if (count > limit.maxObjects)
    throw bad(`the pack holds ${count} objects, over the limit of ${limit.maxObjects}`)
  const end = pack.length - 20
  const trailer = pack.subarray(end)
  if (!createHash('sha1').update(pack.subarray(0, end)).digest().equals(trailer))
    throw bad('packfile checksum mismatch')

  const byOffset = new Map<number, GitObject>()
  const byId = new Map<string, GitObject>()
  let total = 0
  let pos = 12
  const next = () => {
    if (pos >= end) throw bad('the pack ends inside an object header')
    return pack[pos++]!
  }
  for (let n = 0; n < count; n++) {
    const start = pos
    let byte = next()
    const kind = (byte >> 4) & 7
    let size = byte & 15
    for (let shift = 4; byte & 0x80; shift += 7) {
      if (shift > 46) throw bad(`pack object at ${start}: size header too long`)
      byte = next()
      size += (byte & 0x7f) * 2 ** shift
    }
    let base: GitObject | undefined
    if (kind === OFS_DELTA) {
      byte = next()
      let distance = byte & 0x7f
      while (byte & 0x80) {
        if (distance > 2 ** 45) throw bad(`pack delta at ${start}: offset too long`)
        byte = next()
        distance = (distance + 1) * 128 + (byte & 0x7f)
      }
      base = byOffset.get(start - distance)
      if (!base) throw bad(`pack delta at ${start} names no earlier object`)
    } else if (kind === REF_DELTA) {
      if (pos + 20 > end) throw bad('the pack ends inside a delta base id')
      const oid = pack.toString('hex', pos, pos + 20)
      pos += 20
      base = byId.get(oid) ?? known(oid)
      if (!base) throw bad(`pack delta against ${oid}, which is neither in the pack nor here`)
    } else if (!TYPES[kind]) throw bad(`unknown pack object type ${kind}`)
    // The sizes are the sender's word: checked against the limits before anything is allocated.
    if (size > limit.maxObjectBytes)
      throw bad(`pack object at ${start}: ${size} bytes, over the limit of ${limit.maxObjectBytes}`)

    let buffer: Buffer
    let used: number
    try {
      const out = inflateSync(pack.subarray(pos, end), {
        info: true,
        maxOutputLength: Math.max(size, 1),
      }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } }
      buffer = out.buffer
      used = out.engine.bytesWritten
    } catch {
      throw bad(`pack object at ${start}: its data does not inflate to ${size} bytes`)
    }
    pos += used
    if (buffer.length !== size) throw bad(`pack object at ${start}: size mismatch`)
    const object: GitObject = base
      ? { type: base.type, data: applyDelta(base.data, buffer, limit.maxObjectBytes) }
      : { type: TYPES[kind]!, data: buffer }
    total += object.data.length
    if (total > limit.maxTotalBytes)
      throw bad(`the pack's objects exceed the limit of ${limit.maxTotalBytes} bytes`)
    byOffset.set(start, object)
    byId.set(objectId(object.type, object.data), object)
  }
  if (pos !== end) throw bad('packfile has trailing data')
  return byId
}

/**
 * Applies a git delta (copy and insert instructions) to its base. The result size its header
 * claims is not allocated up front: the result is assembled from what the instructions really
 * produce, which cannot outgrow the claim (nor `maxBytes`).
 */
export function applyDelta(
  base: Buffer,
  delta: Buffer,
  maxBytes = DEFAULT_LIMITS.maxObjectBytes,
): Buffer {
  let pos = 0
  const byte = () => {
    if (pos >= delta.length) throw bad('delta ends inside an instruction')
    return delta[pos++]!
  }
  const varint = () => {
    let value = 0
    let shift = 0
    let b: number
    do {
      if (shift > 49) throw bad('delta size header too long')
      b = byte()
      value += (b & 0x7f) * 2 ** shift
      shift += 7
    } while (b & 0x80)
    return value
  }
  if (varint() !== base.length) throw bad('delta base size mismatch')
  const size = varint()
  if (size > maxBytes) throw bad(`delta result of ${size} bytes, over the limit of ${maxBytes}`)
  const parts: Buffer[] = []
  let at = 0
  while (pos < delta.length) {
    const op = byte()
    if (op & 0x80) {
      let offset = 0
      let length = 0
      for (let i = 0; i < 4; i++) if (op & (1 << i)) offset += byte() * 2 ** (8 * i)
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) length += byte() * 2 ** (8 * i)
      if (length === 0) length = 0x10000
      if (offset + length > base.length) throw bad('delta copies past its base')
      if (at + length > size) throw bad('delta copies past its result')
      parts.push(base.subarray(offset, offset + length))
      at += length
    } else if (op > 0) {
      if (at + op > size) throw bad('delta inserts past its result')
      if (pos + op > delta.length) throw bad('delta ends inside an insert')
      parts.push(delta.subarray(pos, pos + op))
      at += op
      pos += op
    } else throw bad('delta has a reserved opcode 0')
  }
  if (at !== size) throw bad('delta result size mismatch')
  return Buffer.concat(parts, size)
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
