import { httpFetch } from './http-fetch.js'
import { bodyKindOf, normaliseHeaders, type Answer } from './answers.js'
import { withRetry } from './retry.js'
import { isTransientStatus, retryAfterMs } from './transient.js'

/**
 * A GET for APIs without an official client here (GitLab, Bitbucket): per-attempt timeout,
 * retries with jittered backoff on what core's one convention calls transient (transient.ts: 408,
 * 429, 5xx, network failures), waiting at least a Retry-After within the deadline. It never throws for what
 * the server did: the last answer (or its absence, status 0) goes back to the caller, whose
 * `readAnswer` decides what it shows.
 */
export type HttpReply = Answer

class Retryable extends Error {
  constructor(readonly answer: Answer) {
    super(answer.failure ?? `status ${answer.status}`)
  }
}

export async function getJson(
  url: string,
  headers: Record<string, string>,
  opts: { attempts?: number; timeoutMs?: number; baseMs?: number; deadlineMs?: number } = {},
): Promise<HttpReply> {
  const target = new URL(url)
  const request = `GET ${target.pathname}${target.search}`
  const deadline = Date.now() + (opts.deadlineMs ?? 60_000)
  try {
    return await withRetry(
      async () => {
        let res: Response
        let text: string
        try {
          res = await httpFetch(url, {
            headers,
            signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
            redirect: 'manual',
          })
          text = await res.text()
        } catch (error) {
          const e = error as Error
          const why = e.name === 'TimeoutError' ? 'timed out' : String(e.cause ?? e.message)
          throw new Retryable({
            request,
            status: 0,
            headers: {},
            body: undefined,
            bodyKind: 'none',
            failure: `${target.origin}: ${why}`,
          })
        }
        let body: unknown = text
        try {
          body = text ? JSON.parse(text) : undefined
        } catch {
          // not JSON: keep the text
        }
        const contentType = res.headers.get('content-type') ?? ''
        const answer: Answer = {
          request,
          status: res.status,
          headers: normaliseHeaders(res.headers),
          body,
          bodyKind: typeof body === 'string' ? bodyKindOf(body, contentType) : bodyKindOf(body),
        }
        if (isTransientStatus(res.status)) throw new Retryable(answer)
        return answer
      },
      {
        attempts: opts.attempts ?? 4,
        baseMs: opts.baseMs ?? 500,
        maxDelayMs: 8000,
        deadline,
        retryable: (e) => e instanceof Retryable,
        delayOf: (e) =>
          e instanceof Retryable ? retryAfterMs(e.answer.headers['retry-after']) : undefined,
      },
    )
  } catch (error) {
    if (error instanceof Retryable) return error.answer
    throw error
  }
}
