import * as http from 'node:http'
import * as https from 'node:https'
import * as zlib from 'node:zlib'
import { HttpClient } from '@actions/http-client'

/**
 * fetch() over node:http(s), for Octokit and getJson. Not the global fetch nor undici's (which
 * @actions/github hands Octokit): both parse HTTP with a WebAssembly build of llhttp, and a
 * short-lived process waits at exit for V8 to finish compiling it, about 100 ms of a release
 * (bench/RESULTS.md). node:http parses in C++. The agents are @actions/http-client's, as the git
 * transport's: the runner's proxy settings (HTTPS_PROXY, NO_PROXY) apply as before.
 *
 * Only what our callers send: a method, headers, a string or bytes body, a signal. Redirects are
 * never followed (the answer is the 3xx itself: our callers check the Location's origin first).
 * The body is read whole before the promise resolves, so the caller's signal (a per-request
 * timeout) covers it too. Failures are fetch's: a TypeError('fetch failed') whose cause is the
 * socket's error, or the signal's reason when it aborted.
 */
export const httpFetch = ((input: string | URL | { url: string }, init?: RequestInit) =>
  send(
    new URL(typeof input === 'object' && 'url' in input ? input.url : String(input)),
    init ?? {},
  )) as typeof fetch

/** One client per origin: @actions/http-client caches a single agent per client. */
const clients = new Map<string, HttpClient>()
const agentFor = (url: URL): http.Agent => {
  let client = clients.get(url.origin)
  if (!client)
    clients.set(url.origin, (client = new HttpClient('argocd-actions', [], { keepAlive: true })))
  return client.getAgent(url.href)
}

function send(url: URL, init: RequestInit): Promise<Response> {
  const signal = init.signal ?? undefined
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return Promise.reject(new TypeError(`fetch failed: unsupported protocol ${url.protocol}`))
  if (signal?.aborted) return Promise.reject(abortReason(signal))
  let body: Buffer | undefined
  try {
    body = bodyOf(init.body)
  } catch (error) {
    return Promise.reject(error)
  }
  const headers = headersOf(init.headers)
  headers['accept'] ??= '*/*'
  headers['accept-encoding'] ??= 'gzip, deflate, br'
  headers['user-agent'] ??= 'argocd-actions'
  if (body) headers['content-length'] = String(body.length)

  return new Promise<Response>((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http
    let settled = false
    const fail = (error: unknown) => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      request.destroy()
      reject(error)
    }
    const onAbort = () => fail(abortReason(signal!))
    const request = transport.request(url, {
      method: (init.method ?? 'GET').toUpperCase(),
      headers,
      agent: agentFor(url),
    })
    signal?.addEventListener('abort', onAbort, { once: true })
    request.on('error', (error) => fail(new TypeError('fetch failed', { cause: error })))
    request.on('response', (message) => {
      const chunks: Buffer[] = []
      const decoded = decode(message, (error) =>
        fail(new TypeError('fetch failed', { cause: error })),
      )
      decoded.on('data', (chunk: Buffer) => chunks.push(chunk))
      decoded.on('end', () => {
        if (settled) return
        settled = true
        signal?.removeEventListener('abort', onAbort)
        resolve(answer(url, message, Buffer.concat(chunks)))
      })
    })
    request.end(body)
  })
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError')
}

function bodyOf(body: RequestInit['body']): Buffer | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string') return Buffer.from(body, 'utf8')
  if (body instanceof ArrayBuffer) return Buffer.from(body)
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  throw new TypeError('fetch failed: only a string or bytes can be sent as a body here')
}

function headersOf(init: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {}
  const entries: Iterable<[string, string]> | [string, string][] =
    init === undefined
      ? []
      : Array.isArray(init)
        ? (init as [string, string][])
        : typeof (init as { entries?: unknown }).entries === 'function'
          ? (init as { entries(): Iterable<[string, string]> }).entries()
          : Object.entries(init as Record<string, string>)
  for (const [name, value] of entries) out[name.toLowerCase()] = String(value)
  return out
}

/** The body as the server encoded it, decoded as fetch would (gzip, deflate, br). */
function decode(message: http.IncomingMessage, onError: (e: Error) => void): NodeJS.ReadableStream {
  const encoding = String(message.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase()
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined
  message.on('error', onError)
  if (!decoder) return message
  decoder.on('error', onError)
  return message.pipe(decoder)
}

/** What Octokit and getJson read of a Response (status, headers, text, json, arrayBuffer). */
function answer(url: URL, message: http.IncomingMessage, bytes: Buffer): Response {
  const headers = new AnswerHeaders(message.headers)
  const status = message.statusCode ?? 0
  const text = () => Promise.resolve(bytes.toString('utf8'))
  return {
    url: url.href,
    status,
    statusText: message.statusMessage ?? '',
    ok: status >= 200 && status < 300,
    redirected: false,
    type: 'basic',
    headers,
    body: null,
    bodyUsed: false,
    text,
    json: async () => JSON.parse(await text()),
    arrayBuffer: () =>
      Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
  } as unknown as Response
}

/** The answer's headers as fetch's Headers shows them: lower-case names, repeats joined by ", ". */
export class AnswerHeaders implements Iterable<[string, string]> {
  private readonly map = new Map<string, string>()
  constructor(raw: http.IncomingHttpHeaders) {
    for (const [name, value] of Object.entries(raw))
      if (value !== undefined) this.map.set(name, Array.isArray(value) ? value.join(', ') : value)
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase())
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries()
  }
  keys(): IterableIterator<string> {
    return this.map.keys()
  }
  forEach(fn: (value: string, name: string) => void): void {
    this.map.forEach(fn)
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries()
  }
}
