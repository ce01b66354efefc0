import { backoffDelay } from '@argocd-actions/core'
import { pushBackoffCeilingMs } from '../src/sync.js'

describe('pushBackoffCeilingMs', () => {
  test('defaults (20 attempts, 300 s): 30 s, so the lost races of one run span the timeout', () => {
    const ceiling = pushBackoffCeilingMs({ maxAttempts: 20, timeoutSeconds: 300 })
    expect(ceiling).toBe(30_000)
    // Full jitter waits half the ceiling on average: 19 waits take ~190 s, the attempts the rest.
    const opts = { baseMs: 200, maxDelayMs: ceiling, random: () => 0.5 }
    let total = 0
    for (let attempt = 1; attempt < 20; attempt++) total += backoffDelay(attempt, opts)
    expect(total).toBeGreaterThan(150_000)
    expect(total).toBeLessThan(300_000)
    // The first retries stay quick.
    expect(backoffDelay(1, { ...opts, random: () => 1 })).toBe(200)
    expect(backoffDelay(3, { ...opts, random: () => 1 })).toBe(800)
  })

  test('never below 5 s, however many attempts the timeout is shared by', () => {
    expect(pushBackoffCeilingMs({ maxAttempts: 1000, timeoutSeconds: 60 })).toBe(5000)
    expect(pushBackoffCeilingMs({ maxAttempts: 4, timeoutSeconds: 60 })).toBe(30_000)
  })
})
