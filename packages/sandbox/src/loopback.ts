// A minimal JSON double on the shared loopback skeleton (serve.ts), used by the GitLab and
// Bitbucket doubles and the foreign origin: records every request, applies queued faults
// (status, rate-limit, reset, delay) and sends JSON or text answers. The GitHub and AWS doubles
// fill in the skeleton with their own, richer handlers.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { FaultQueue } from './github/faults.js'
import type { FaultMatch, RecordedRequest } from './github/types.js'
import { Delays, payloadOf, readRequest, sendWhole, serveOnLoopback } from './serve.js'

/** Faults the GitLab and Bitbucket doubles understand. */
export type SimpleFault = FaultMatch &
  (
    | { type: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
    | { type: 'rate-limit'; retryAfter?: number }
    | { type: 'reset' }
    | { type: 'delay'; ms: number }
  )

export interface Incoming {
  method: string
  url: URL
  /** Lowercased names. */
  headers: Record<string, string>
  body: string
}

export interface Outgoing {
  status: number
  /** Objects are sent as JSON, strings as text/plain. */
  body: unknown
  headers?: Record<string, string>
}

export interface LoopbackOptions {
  /** For error logs, e.g. 'gitlab sandbox'. */
  name: string
  host?: string
  /** content-type of JSON bodies. */
  jsonType: string
  /** Headers on every response (handlers' and faults' headers win). */
  commonHeaders(): Record<string, string>
  /** The response to a 'rate-limit' fault. */
  rateLimited(retryAfter: number): Outgoing
  handle(req: Incoming): Outgoing
}

export interface Loopback {
  url: string
  requests: RecordedRequest[]
  faults: FaultQueue<SimpleFault>
  stop(): Promise<void>
}

export async function startLoopback(opts: LoopbackOptions): Promise<Loopback> {
  const faults = new FaultQueue<SimpleFault>()
  const requests: RecordedRequest[] = []
  let base = ''

  const delays = new Delays()
  const sleep = delays.sleep

  function send(res: ServerResponse, record: RecordedRequest, out: Outgoing): void {
    if (res.destroyed || res.headersSent) return
    const { payload, isText } = payloadOf(out.body)
    const headers = {
      'content-type': isText ? 'text/plain; charset=utf-8' : opts.jsonType,
      ...opts.commonHeaders(),
      ...(out.headers ?? {}),
    }
    sendWhole(res, record, out.status, headers, payload)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { method, path, headers, body } = await readRequest(req)
    const record: RecordedRequest = {
      method,
      path,
      headers,
      body: body.toString('utf8'),
      status: 0,
    }
    requests.push(record)
    const url = new URL(record.path, base)

    const fault = faults.take(method, url.pathname)
    if (fault) {
      switch (fault.type) {
        case 'reset':
          req.socket.destroy()
          return
        case 'delay':
          await sleep(fault.ms)
          break
        case 'status':
          send(res, record, {
            status: fault.status,
            body: fault.body === undefined ? { message: String(fault.status) } : fault.body,
            headers: fault.headers ?? {},
          })
          return
        case 'rate-limit':
          send(res, record, opts.rateLimited(fault.retryAfter ?? 1))
          return
      }
    }
    if (res.destroyed) return
    let out: Outgoing
    try {
      out = opts.handle({ method, url, headers, body: record.body })
    } catch (err) {
      // A bug in the double: say so loudly rather than pass for the real service.
      console.error(`${opts.name}: internal error`, err)
      out = { status: 500, body: { message: 'Server Error', error: String(err) } }
    }
    send(res, record, out)
  }

  const served = await serveOnLoopback({
    name: opts.name,
    host: opts.host,
    handle,
    delays,
  })
  base = served.url

  return {
    url: base,
    requests,
    faults,
    stop: () => served.stop(),
  }
}
