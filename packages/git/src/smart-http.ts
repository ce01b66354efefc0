/**
 * Git's smart HTTP from this process (gitprotocol-http.txt): one POST per request, retried on
 * transient failures by the shared convention of @argocd-actions/core (408, 429, 5xx, no answer),
 * waiting as long as the server's Retry-After asks. Every failure is a typed GitError.
 */
import { Readable } from 'node:stream'
import { HttpClient } from '@actions/http-client'
import { isTransientStatus, retryAfterMs, withRetry } from '@argocd-actions/core'
import { GitHttpError, GitNetworkError, GitProtocolError } from './errors.js'

export interface SmartHttpOptions {
  /** The repository's clone URL (`https://github.com/<owner>/<repo>.git`). */
  url: string
  /** The Authorization header's value (masked by the caller). */
  authorization: string
  /** Per request, and the socket's idle timeout when no client is given. */
  timeoutMs?: number
  /** No retry starts after this (ms since the epoch). */
  deadline?: number
  debug?: (message: string) => void
  /** Kept-alive connections, shared by every request of a release (dispose it at the end). */
  client?: HttpClient
  /** Attempts per request, the first included (default 4). */
  attempts?: number
  /** The largest answer read (default 512 MiB, the pack limit): more is a GitProtocolError. */
  maxResponseBytes?: number
  /** User-Agent product (default git/argocd-actions). */
  agent?: string
}

/**
 * The toolkit's HTTP client: it honours the runner's proxy settings (HTTPS_PROXY, NO_PROXY) and is
 * loaded already with @actions/core, where the first global fetch() costs ~50 ms of start-up.
 * Redirects are not followed: the token would go wherever they point (git follows only its first GET).
 */
export const createHttpClient = (timeoutMs = 60_000, agent = 'git/argocd-actions') =>
  new HttpClient(agent, undefined, {
    keepAlive: true,
    allowRedirects: false,
    socketTimeout: timeoutMs,
  })

/** A transient failure inside one attempt: retried, then reported as what it was. */
class Transient extends Error {
  constructor(
    readonly final: GitHttpError | GitNetworkError,
    readonly waitMs?: number,
  ) {
    super(final.message)
  }
}

export type Service = 'git-upload-pack' | 'git-receive-pack'

/**
 * POSTs one request to `<url>/<service>`; the answer's body when it is 200. `retry: false` for a
 * request that must not be sent twice blindly (a push): its transient failure is thrown at once.
 */
export function smartHttpPost(
  opts: SmartHttpOptions,
  service: Service,
  request: string | Buffer,
  what: string,
  onBytes: (n: number) => void = () => {},
  retry: boolean | ((status: number) => boolean) = true,
): Promise<Buffer> {
  return smartHttpRequest(opts, { service, request }, what, onBytes, retry)
}

/** GETs the capability advertisement (`info/refs?service=...`) as protocol v2 asks for it. */
export function smartHttpAdvertisement(opts: SmartHttpOptions, service: Service): Promise<Buffer> {
  return smartHttpRequest(opts, { service }, `advertisement of ${service}`)
}

async function smartHttpRequest(
  opts: SmartHttpOptions,
  what_: { service: Service; request?: string | Buffer },
  what: string,
  onBytes: (n: number) => void = () => {},
  retry: boolean | ((status: number) => boolean) = true,
): Promise<Buffer> {
  const { service, request } = what_
  const base = opts.url.replace(/\/+$/, '')
  const url = request === undefined ? `${base}/info/refs?service=${service}` : `${base}/${service}`
  const retries = typeof retry === 'function' ? retry : () => retry
  return withRetry(
    async () => {
      const started = Date.now()
      const client = opts.client ?? createHttpClient(opts.timeoutMs, opts.agent)
      let status: number
      let headers: Record<string, string | string[] | undefined>
      let body: Buffer
      try {
        const v2 = service === 'git-upload-pack' ? { 'git-protocol': 'version=2' } : {}
        const res =
          request === undefined
            ? await client.request('GET', url, null, { authorization: opts.authorization, ...v2 })
            : await client.request('POST', url, Readable.from([Buffer.from(request)]), {
                authorization: opts.authorization,
                'content-type': `application/x-${service}-request`,
                accept: `application/x-${service}-result`,
                ...v2,
              })
        status = res.message.statusCode ?? 0
        headers = res.message.headers
        body = await readCapped(res.message, opts.maxResponseBytes ?? 512 * 2 ** 20, what)
      } catch (error) {
        if (error instanceof GitProtocolError) throw error
        const e = new GitNetworkError(`${what}: ${(error as Error).message}`, { cause: error })
        if (retries(0)) throw new Transient(e)
        throw e
      } finally {
        if (!opts.client) client.dispose()
      }
      onBytes(body.length)
      opts.debug?.(
        `${service} ${what}: ${status}, ${body.length} bytes, ${Date.now() - started} ms`,
      )
      if (status >= 300 && status < 400)
        throw new GitHttpError(
          status,
          `the repository moved (redirected to ${String(headers['location'] ?? '') || 'no location'})`,
        )
      if (status !== 200) {
        const e = new GitHttpError(status, body.toString('utf8'))
        if (isTransientStatus(status) && retries(status))
          throw new Transient(e, retryAfterMs(headers['retry-after']))
        throw e
      }
      return body
    },
    {
      attempts: opts.attempts ?? 4,
      baseMs: 250,
      maxDelayMs: 4000,
      deadline: opts.deadline,
      retryable: (e) => e instanceof Transient,
      delayOf: (e) => (e instanceof Transient ? e.waitMs : undefined),
    },
  ).catch((error: unknown) => {
    if (!(error instanceof Transient)) throw error
    const e = error.final
    throw e instanceof GitHttpError
      ? new GitHttpError(e.status, e.text, { afterRetries: true })
      : new GitNetworkError(`${e.message} (after retries)`, { cause: e.cause })
  })
}

/** The body, read until `max` bytes: a server cannot make us hold more than that. */
async function readCapped(
  message: AsyncIterable<Buffer> & { destroy(): void },
  max: number,
  what: string,
): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of message) {
    size += chunk.length
    if (size > max) {
      message.destroy()
      throw new GitProtocolError(`${what}: the answer is over ${max} bytes`)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks, size)
}
