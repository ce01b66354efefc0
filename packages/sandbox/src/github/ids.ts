// Identifiers shaped like GitHub's, so clients that parse or log them see realistic values.
import { createHash, randomBytes, randomInt } from 'node:crypto'

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export function randomAlnum(length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)]
  return out
}

export function randomSha(): string {
  return randomBytes(20).toString('hex')
}

/** A stable fake sha derived from inputs (e.g. a commit's tree). */
export function derivedSha(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\0')).digest('hex')
}

/** Like "FA2D:87B1:8879E3:1176C87:6570B7E6". */
export function requestId(): string {
  const hex = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase()
  return [hex(2), hex(2), hex(3), hex(4).slice(1), hex(4)].join(':')
}

/** GitHub's legacy global node id: base64("<len>:<Type><id>"). */
export function legacyNodeId(type: string, id: number | string): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64')
}

/** New-style node id (e.g. "SC_kwDO..."), used by statuses. */
export function nodeId(prefix: string, id: number): string {
  const buf = Buffer.alloc(8)
  buf.writeBigUInt64BE(BigInt(id))
  return `${prefix}_kwDO${buf.toString('base64url')}`
}

/** GitHub timestamps have second precision: 2012-07-20T01:19:13Z. */
export function isoSeconds(date: Date | string = new Date()): string {
  const d = typeof date === 'string' ? new Date(date) : date
  if (Number.isNaN(d.getTime())) throw new Error(`invalid date: ${String(date)}`)
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}
