/**
 * Bounded, jittered exponential backoff with a wall-clock deadline, for calls that the Octokit
 * plugins do not cover (git pushes, AWS calls the SDK will not retry, polling).
 */
export interface RetryOptions {
  /** Total attempts including the first. */
  attempts: number
  baseMs: number
  maxDelayMs: number
  /** Absolute deadline (ms since epoch): no attempt starts after it, no sleep runs past it. */
  deadline?: number
  /** Whether this error is worth another attempt; permanent errors fail at once. */
  retryable: (error: unknown) => boolean
  /** The wait this error asks for (a server's Retry-After, in ms): waited instead, if longer. */
  delayOf?: (error: unknown) => number | undefined
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void
  sleep?: (ms: number) => Promise<void>
  now?: () => number
  random?: () => number
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** "Full jitter": a uniform delay in [0, min(max, base·2^n)], as AWS recommends. */
export function backoffDelay(
  attempt: number,
  opts: Pick<RetryOptions, 'baseMs' | 'maxDelayMs' | 'random'>,
): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round((opts.random ?? Math.random)() * ceiling)
}

export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  opts: RetryOptions,
): Promise<T> {
  const now = opts.now ?? Date.now
  const wait = opts.sleep ?? sleep
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (attempt >= opts.attempts || !opts.retryable(error)) throw error
      let delayMs = Math.max(backoffDelay(attempt, opts), opts.delayOf?.(error) ?? 0)
      if (opts.deadline !== undefined) {
        const left = opts.deadline - now()
        if (left <= 0) throw error
        delayMs = Math.min(delayMs, left)
      }
      opts.onRetry?.({ attempt, delayMs, error })
      await wait(delayMs)
      if (opts.deadline !== undefined && now() >= opts.deadline) throw error
    }
  }
}
