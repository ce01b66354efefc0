/**
 * The one convention for "transient" HTTP failures, shared by every client here (the GitHub REST
 * client's plugins, getJson, git's smart HTTP): worth another attempt are a timeout (408), a rate
 * limit (429) and a server fault (5xx); every other status is an answer, and retrying it would
 * only repeat it. A failed connection (no status) is transient too.
 */
export const isTransientStatus = (status: number): boolean =>
  status === 408 || status === 429 || status >= 500

/**
 * How long a `Retry-After` header asks us to wait, in ms (RFC 9110: seconds, or an HTTP date);
 * undefined when absent or unreadable. Capped at `maxMs`: a server cannot park us past our own
 * deadline.
 */
export function retryAfterMs(
  value: string | string[] | null | undefined,
  opts: { now?: number; maxMs?: number } = {},
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!text) return undefined
  let ms: number
  if (/^\d+$/.test(text)) ms = Number(text) * 1000
  else {
    const at = Date.parse(text)
    if (Number.isNaN(at)) return undefined
    ms = Math.max(0, at - (opts.now ?? Date.now()))
  }
  return Math.min(ms, opts.maxMs ?? 120_000)
}

/** The 4xx statuses that are answers, not faults: for @octokit/plugin-retry's `doNotRetry`. */
export const PERMANENT_CLIENT_STATUSES: readonly number[] = Array.from(
  { length: 100 },
  (_, i) => 400 + i,
).filter((s) => !isTransientStatus(s))
