import { UserError } from './errors.js'
import { withRetry } from './retry.js'

/**
 * A GET for APIs without an official client here (GitLab, Bitbucket): per-attempt timeout,
 * and retries with jittered backoff on 429, 5xx and network failures only.
 */
export interface HttpReply {
  status: number
  headers: Headers
  body: unknown
}

/** A network failure or server error that outlasted the retries: not a bug of ours. */
export class TransientHttpError extends UserError {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message)
    this.name = 'TransientHttpError'
  }
}

export async function getJson(
  url: string,
  headers: Record<string, string>,
  opts: { attempts?: number; timeoutMs?: number; baseMs?: number; deadlineMs?: number } = {},
): Promise<HttpReply> {
  const deadline = Date.now() + (opts.deadlineMs ?? 60_000)
  return withRetry(
    async () => {
      let res: Response
      try {
        res = await fetch(url, {
          headers,
          signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
          redirect: 'manual',
        })
      } catch (error) {
        throw new TransientHttpError(
          `request to ${new URL(url).origin} failed: ${(error as Error).cause ?? (error as Error).message}`,
        )
      }
      const text = await res.text()
      if (res.status === 429 || res.status >= 500)
        throw new TransientHttpError(`${new URL(url).origin} answered ${res.status}`, res.status)
      let body: unknown = text
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, headers: res.headers, body }
    },
    {
      attempts: opts.attempts ?? 4,
      baseMs: opts.baseMs ?? 500,
      maxDelayMs: 8000,
      deadline,
      retryable: (e) => e instanceof TransientHttpError,
    },
  )
}
