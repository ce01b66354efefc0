// Injected failures, consumed in queue order by the requests they match.
import type { Fault, FaultMatch } from './types.js'

interface QueuedFault<F> {
  fault: F
  remaining: number
}

export class FaultQueue<F extends FaultMatch = Fault> {
  private queue: QueuedFault<F>[] = []

  add(fault: F): void {
    const times = fault.times ?? 1
    if (!Number.isInteger(times) || times < 1)
      throw new Error(`injectFault: times must be a positive integer`)
    this.queue.push({ fault, remaining: times })
  }

  clear(): void {
    this.queue = []
  }

  /**
   * The first queued fault matching this request (and `accept`, when given), consuming one of
   * its uses.
   */
  take(method: string, pathname: string, accept?: (fault: F) => boolean): F | undefined {
    const index = this.queue.findIndex(
      ({ fault }) => matches(fault, method, pathname) && (!accept || accept(fault)),
    )
    if (index < 0) return undefined
    const entry = this.queue[index]!
    entry.remaining -= 1
    if (entry.remaining === 0) this.queue.splice(index, 1)
    return entry.fault
  }
}

function matches(fault: FaultMatch, method: string, pathname: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false
  if (fault.path === undefined) return true
  if (typeof fault.path === 'string') return fault.path === pathname
  fault.path.lastIndex = 0 // a /g or /y RegExp keeps state between tests
  return fault.path.test(pathname)
}
