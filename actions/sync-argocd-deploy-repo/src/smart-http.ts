/**
 * Git's smart HTTP from this process: pkt-lines, side bands, and one POST per request with
 * retries on transient failures (gitprotocol-http.txt, gitprotocol-v2.txt).
 */
import { Readable } from 'node:stream'
import { HttpClient } from '@actions/http-client'
import { withRetry } from '@argocd-actions/core'

export interface SmartHttpOptions {
  /** The repository's clone URL (`https://github.com/<owner>/<repo>.git`). */
  url: string
  /** The Authorization header's value (masked by the caller). */
  authorization: string
  /** Per request. */
  timeoutMs?: number
  /** No retry starts after this (ms since the epoch). */
  deadline?: number
  debug?: (message: string) => void
  /** Kept-alive connections, shared by every request of a release (dispose it at the end). */
  client?: HttpClient
}

/**
 * The toolkit's HTTP client: it honours the runner's proxy settings (HTTPS_PROXY, NO_PROXY) and is
 * loaded already with @actions/core, where the first global fetch() costs ~50 ms of start-up.
 */
export const createHttpClient = (timeoutMs = 60_000) =>
  new HttpClient('git/argocd-actions', undefined, {
    keepAlive: true,
    allowRedirects: false,
    socketTimeout: timeoutMs,
  })

/** The server's answer to a request we made: its status and what it said. */
export class GitHttpError extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
  ) {
    super(`git smart HTTP answered ${status}: ${text.trim().slice(0, 500)}`)
    this.name = 'GitHttpError'
  }
}

class TransientError extends Error {}

export const FLUSH = '0000'
export const DELIM = '0001'

export function pktLine(line: string): string {
  const size = Buffer.byteLength(line) + 4
  return size.toString(16).padStart(4, '0') + line
}

export interface Packet {
  /** 'data', or the special packets: flush (0000), delim (0001), end (0002). */
  kind: 'data' | 'flush' | 'delim' | 'end'
  data: Buffer
}

export function* readPackets(body: Buffer): Generator<Packet> {
  let pos = 0
  while (pos < body.length) {
    const hex = body.toString('latin1', pos, pos + 4)
    const size = /^[0-9a-f]{4}$/.test(hex) ? Number.parseInt(hex, 16) : -1
    if (size < 0 || size === 3 || pos + size > body.length)
      throw new Error('malformed pkt-line in the server answer')
    if (size < 4) {
      yield { kind: size === 0 ? 'flush' : size === 1 ? 'delim' : 'end', data: Buffer.alloc(0) }
      pos += 4
      continue
    }
    const data = body.subarray(pos + 4, pos + size)
    if (data.toString('latin1', 0, 4) === 'ERR ')
      throw new GitHttpError(200, `remote error: ${data.toString('utf8', 4)}`)
    yield { kind: 'data', data }
    pos += size
  }
}

/** Splits side-band-64k packets: band 1 is data, band 2 the server's messages, band 3 its errors. */
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
  }
  return { data: Buffer.concat(data), ...out }
}

export const text = (p: Packet) => p.data.toString('utf8').replace(/\n$/, '')

/** POSTs one request to `<url>/<service>`; the answer's body when it is 200. */
export async function smartHttpPost(
  opts: SmartHttpOptions,
  service: 'git-upload-pack' | 'git-receive-pack',
  request: string | Buffer,
  what: string,
  onBytes: (n: number) => void = () => {},
): Promise<Buffer> {
  const url = `${opts.url.replace(/\/+$/, '')}/${service}`
  return withRetry(
    async () => {
      const started = Date.now()
      const client = opts.client ?? createHttpClient(opts.timeoutMs)
      let status: number
      let location = ''
      let body: Buffer
      try {
        const res = await client.request('POST', url, Readable.from([Buffer.from(request)]), {
          authorization: opts.authorization,
          'content-type': `application/x-${service}-request`,
          accept: `application/x-${service}-result`,
          ...(service === 'git-upload-pack' ? { 'git-protocol': 'version=2' } : {}),
        })
        status = res.message.statusCode ?? 0
        location = String(res.message.headers['location'] ?? '')
        body = await res.readBodyBuffer!()
      } catch (error) {
        const e = error as Error
        throw new TransientError(`${what}: ${e.message}`)
      } finally {
        if (!opts.client) client.dispose()
      }
      onBytes(body.length)
      opts.debug?.(
        `${service} ${what}: ${status}, ${body.length} bytes, ${Date.now() - started} ms`,
      )
      if (status === 429 || status >= 500)
        throw new TransientError(`${what}: the server answered ${status}`)
      // Not followed: the token would go wherever a redirect points (git follows only its first GET).
      if (status >= 300 && status < 400)
        throw new GitHttpError(
          status,
          `the repository moved (redirected to ${location || 'no location'})`,
        )
      if (status !== 200) throw new GitHttpError(status, body.toString('utf8'))
      return body
    },
    {
      attempts: 4,
      baseMs: 250,
      maxDelayMs: 4000,
      deadline: opts.deadline,
      retryable: (e) => e instanceof TransientError,
    },
  ).catch((error: unknown) => {
    if (error instanceof TransientError)
      throw new GitHttpError(503, `${error.message} (after retries)`)
    throw error
  })
}
