// A listener on another origin that records whatever reaches it: where an off-origin `Link` or
// `Location` points. No client of ours may send it anything, least of all a token. It answers
// like the service would (by default an empty JSON list), so that a client that follows it is
// caught acting on what it read, not merely failing.
import { startLoopback, type Incoming, type Outgoing } from './loopback.js'
import { secretForms } from './runner.js'
import type { RecordedRequest } from './github/types.js'

export interface ForeignOrigin {
  /** e.g. http://127.0.0.1:54321 */
  readonly url: string
  /** host:port, as an error naming it would show. */
  readonly host: string
  readonly requests: RecordedRequest[]
  /** The recorded requests that carried the secret in any form (header, path or body). */
  carrying(secret: string): RecordedRequest[]
  stop(): Promise<void>
}

export async function startForeignOrigin(
  opts: { answer?: (req: Incoming) => Outgoing } = {},
): Promise<ForeignOrigin> {
  const loop = await startLoopback({
    name: 'foreign origin',
    jsonType: 'application/json; charset=utf-8',
    commonHeaders: () => ({}),
    rateLimited: () => ({ status: 429, body: { message: 'rate limited' } }),
    handle: opts.answer ?? (() => ({ status: 200, body: [] })),
  })
  return {
    url: loop.url,
    host: new URL(loop.url).host,
    requests: loop.requests,
    carrying(secret) {
      const forms = secretForms(secret)
      return loop.requests.filter((r) => {
        const text = [r.path, r.body, ...Object.values(r.headers)].join('\n')
        return forms.some((f) => text.includes(f))
      })
    },
    stop: () => loop.stop(),
  }
}
