import { backoffDelay, withRetry } from '../src/index.js'

function clock() {
  let t = 0
  const sleeps: number[] = []
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms)
      t += ms
    },
    sleeps,
  }
}

describe('backoffDelay', () => {
  test('full jitter stays within the exponential ceiling, capped', () => {
    const opts = { baseMs: 100, maxDelayMs: 1000 }
    expect(backoffDelay(1, { ...opts, random: () => 0.999999 })).toBe(100)
    expect(backoffDelay(3, { ...opts, random: () => 0.999999 })).toBe(400)
    expect(backoffDelay(10, { ...opts, random: () => 0.999999 })).toBe(1000)
    expect(backoffDelay(3, { ...opts, random: () => 0 })).toBe(0)
  })
  test('is jittered: two draws differ', () => {
    const draws = new Set(
      Array.from({ length: 20 }, () => backoffDelay(5, { baseMs: 100, maxDelayMs: 10000 })),
    )
    expect(draws.size).toBeGreaterThan(1)
  })
})

describe('withRetry', () => {
  test('retries a retryable failure, then succeeds', async () => {
    const c = clock()
    let calls = 0
    const result = await withRetry(
      async () => {
        calls++
        if (calls < 3) throw new Error('transient')
        return 'ok'
      },
      { attempts: 5, baseMs: 10, maxDelayMs: 100, retryable: () => true, ...c },
    )
    expect(result).toBe('ok')
    expect(calls).toBe(3)
    expect(c.sleeps).toHaveLength(2)
  })
  test('a permanent failure fails at once', async () => {
    let calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw new Error('permanent')
        },
        { attempts: 5, baseMs: 10, maxDelayMs: 100, retryable: () => false },
      ),
    ).rejects.toThrow('permanent')
    expect(calls).toBe(1)
  })
  test('stops after the attempt budget with the last error', async () => {
    const c = clock()
    let calls = 0
    await expect(
      withRetry(
        async () => {
          throw new Error(`fail ${++calls}`)
        },
        { attempts: 4, baseMs: 10, maxDelayMs: 100, retryable: () => true, ...c },
      ),
    ).rejects.toThrow('fail 4')
  })
  test('never sleeps past the deadline, and stops there', async () => {
    const c = clock()
    let calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw new Error('slow')
        },
        {
          attempts: 100,
          baseMs: 1000,
          maxDelayMs: 1000,
          deadline: 2500,
          retryable: () => true,
          random: () => 1,
          ...c,
        },
      ),
    ).rejects.toThrow('slow')
    expect(c.now()).toBe(2500)
    expect(calls).toBe(3)
    expect(c.sleeps).toEqual([1000, 1000, 500])
  })
})
