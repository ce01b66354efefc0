// Primary rate-limit bookkeeping, for the x-ratelimit-* headers every GitHub response carries.
// The double never enforces the primary limit on its own (benchmarks may exceed 5000 calls):
// a window that runs out simply starts over. Use a 'rate-limit' fault to exercise limiting.

export interface RateLimitState {
  limit: number
  remaining: number
  used: number
  /** Epoch seconds. */
  reset: number
}

interface Window {
  used: number
  reset: number
}

export class RateLimits {
  private windows = new Map<string, Window>()

  /** Counts one request for `key` (a token, or the client address when anonymous). */
  hit(key: string, authenticated: boolean, nowMs = Date.now()): RateLimitState {
    const limit = authenticated ? 5000 : 60
    const now = Math.floor(nowMs / 1000)
    let w = this.windows.get(key)
    if (!w || w.reset <= now || w.used >= limit) {
      w = { used: 0, reset: now + 3600 }
      this.windows.set(key, w)
    }
    w.used += 1
    return { limit, remaining: limit - w.used, used: w.used, reset: w.reset }
  }
}

export function rateLimitHeaders(s: RateLimitState): Record<string, string> {
  return {
    'x-ratelimit-limit': String(s.limit),
    'x-ratelimit-remaining': String(s.remaining),
    'x-ratelimit-reset': String(s.reset),
    'x-ratelimit-used': String(s.used),
    'x-ratelimit-resource': 'core',
  }
}
