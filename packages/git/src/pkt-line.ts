/**
 * pkt-lines (gitprotocol-common.txt): four hex digits of length, then the data; `0000` flush,
 * `0001` delim, `0002` end of response. And side bands: band 1 data, 2 progress, 3 error.
 */
import { GitProtocolError, GitRemoteError } from './errors.js'

export const FLUSH = '0000'
export const DELIM = '0001'
/** The largest pkt-line git writes or reads (LARGE_PACKET_MAX). */
export const MAX_PKT = 65520

export function pktLine(line: string): string {
  return pktHeader(Buffer.byteLength(line)) + line
}

/** A pkt-line of bytes, for binary data such as side-band packets (the sandbox's server writes them). */
export function pktBytes(data: string | Buffer): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  return Buffer.concat([Buffer.from(pktHeader(body.length), 'latin1'), body])
}

function pktHeader(dataBytes: number): string {
  const size = dataBytes + 4
  if (size > MAX_PKT) throw new RangeError(`pkt-line of ${size} bytes is over ${MAX_PKT}`)
  return size.toString(16).padStart(4, '0')
}

export interface Packet {
  /** 'data', or the special packets: flush (0000), delim (0001), end (0002). */
  kind: 'data' | 'flush' | 'delim' | 'end'
  data: Buffer
}

/** The packets of a body; a malformed length is a GitProtocolError, an `ERR` packet a GitRemoteError. */
export function* readPackets(body: Buffer): Generator<Packet> {
  let pos = 0
  while (pos < body.length) {
    const hex = body.toString('latin1', pos, pos + 4)
    // git's hex decoder takes either case (hex2chr), so some servers write 'FFF0'.
    const size = /^[0-9a-fA-F]{4}$/.test(hex) ? Number.parseInt(hex, 16) : -1
    if (size < 0 || size === 3 || pos + size > body.length)
      throw new GitProtocolError('malformed pkt-line in the server answer')
    if (size < 4) {
      yield { kind: size === 0 ? 'flush' : size === 1 ? 'delim' : 'end', data: Buffer.alloc(0) }
      pos += 4
      continue
    }
    const data = body.subarray(pos + 4, pos + size)
    if (data.toString('latin1', 0, 4) === 'ERR ') throw new GitRemoteError(data.toString('utf8', 4))
    yield { kind: 'data', data }
    pos += size
  }
}

/**
 * Splits side-band-64k packets: band 1 is data, band 2 the server's messages, band 3 its errors.
 * Any other band is an answer we cannot read (git dies on it too), never silently dropped.
 */
export function demuxSideband(packets: Iterable<Packet>): {
  data: Buffer
  messages: string[]
  errors: string[]
} {
  const data: Buffer[] = []
  const out = { messages: [] as string[], errors: [] as string[] }
  for (const p of packets) {
    if (p.kind !== 'data') continue
    const payload = p.data.subarray(1)
    if (p.data[0] === 1) data.push(payload)
    else if (p.data[0] === 2) out.messages.push(payload.toString('utf8'))
    else if (p.data[0] === 3) out.errors.push(payload.toString('utf8'))
    else throw new GitProtocolError(`side band ${p.data[0]} is not one git defines (1, 2 or 3)`)
  }
  return { data: Buffer.concat(data), ...out }
}

export const text = (p: Packet) => p.data.toString('utf8').replace(/\n$/, '')
