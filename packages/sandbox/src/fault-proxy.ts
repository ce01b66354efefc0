// A loopback reverse proxy in front of any double, for the faults its own server cannot play:
// faults chosen by anything in the request (an AWS operation, a git protocol-v2 command in the
// body), raw answers of any status, body and headers (an HTML page, JSON `null`, a body of the
// wrong shape), and extra headers on a real answer (an off-origin `Link`). What the double
// writes into headers and text bodies about its own origin is rewritten to the proxy's, so
// clients see one origin, as they would in front of the real service.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import type { RecordedRequest } from './github/types.js'
import { Delays, readRequest, sendWhole, serveOnLoopback } from './serve.js'

export interface ProxiedRequest {
  method: string
  /** Path with query string, as received. */
  path: string
  /** Lowercased names. */
  headers: Record<string, string>
  body: Buffer
}

export type ProxyFault = {
  /** Which requests take this fault; every request when absent. */
  match?: (req: ProxiedRequest) => boolean
  /** How many matching requests consume it; default 1. */
  times?: number
} & (
  | {
      /**
       * Answer without asking the double. A string or Buffer body is sent as it is (content-type
       * text/html unless `headers` say otherwise), `null` as the JSON text `null`, anything else
       * as JSON.
       */
      type: 'respond'
      status: number
      body?: unknown
      headers?: Record<string, string>
    }
  | { type: 'reset' }
  /** Wait, then forward. */
  | { type: 'delay'; ms: number }
  /** Forward, then set these headers on the double's answer. */
  | { type: 'headers'; headers: Record<string, string> }
  /** Forward (the double carries the request out), then reset instead of answering. */
  | { type: 'lose-answer' }
)

export interface FaultProxy {
  /** The proxy's origin: give this to the client instead of the double's. */
  readonly url: string
  /** Every request received, faulted ones included (status 0: reset). */
  readonly requests: RecordedRequest[]
  injectFault(f: ProxyFault): void
  clearFaults(): void
  stop(): Promise<void>
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'content-length',
])

const isText = (contentType: string) => /json|text|xml|html|javascript/i.test(contentType)

export async function startFaultProxy(opts: {
  target: string
  host?: string
}): Promise<FaultProxy> {
  const target = new URL(opts.target)
  const queue: Array<{ fault: ProxyFault; remaining: number }> = []
  const requests: RecordedRequest[] = []
  let origin = ''

  const delays = new Delays()
  const sleep = delays.sleep

  const take = (req: ProxiedRequest): ProxyFault | undefined => {
    const i = queue.findIndex(({ fault }) => !fault.match || fault.match(req))
    if (i < 0) return undefined
    const entry = queue[i]!
    entry.remaining -= 1
    if (entry.remaining === 0) queue.splice(i, 1)
    return entry.fault
  }

  const rewrite = (text: string) => text.split(target.origin).join(origin)

  function forward(
    req: ProxiedRequest,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer } | 'reset'> {
    return new Promise((resolve) => {
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v
      headers['content-length'] = String(req.body.length)
      // The Host header is kept: AWS signatures cover it.
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.path,
          headers,
          // A fresh connection each time: a kept-alive one the double is closing would turn into
          // a reset the test did not ask for.
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', () => resolve('reset'))
          res.on('end', () => {
            const out: Record<string, string> = {}
            for (const [k, v] of Object.entries(res.headers))
              if (v !== undefined && !HOP_BY_HOP.has(k))
                out[k] = rewrite(Array.isArray(v) ? v.join(', ') : v)
            const raw = Buffer.concat(chunks)
            const body = isText(out['content-type'] ?? '')
              ? Buffer.from(rewrite(raw.toString('utf8')))
              : raw
            resolve({ status: res.statusCode ?? 502, headers: out, body })
          })
        },
      )
      // The double reset the connection (its own 'reset' fault, or a failure): passed on as such.
      upstream.on('error', () => resolve('reset'))
      upstream.end(req.body)
    })
  }

  function send(
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    headers: Record<string, string>,
    body: Buffer,
  ): void {
    sendWhole(res, record, status, headers, body)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const incoming: ProxiedRequest = await readRequest(req)
    const record: RecordedRequest = {
      method: incoming.method,
      path: incoming.path,
      headers: incoming.headers,
      body: incoming.body.toString('utf8'),
      status: 0,
      bytesIn: incoming.body.length,
    }
    requests.push(record)

    const fault = take(incoming)
    if (fault?.type === 'reset') {
      req.socket.destroy()
      return
    }
    if (fault?.type === 'respond') {
      const b = fault.body
      const asText = typeof b === 'string' || Buffer.isBuffer(b)
      const payload = asText
        ? Buffer.from(b as string | Buffer)
        : b === undefined
          ? Buffer.alloc(0)
          : Buffer.from(JSON.stringify(b))
      send(
        res,
        record,
        fault.status,
        {
          'content-type': asText ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
          ...(fault.headers ?? {}),
        },
        payload,
      )
      return
    }
    if (fault?.type === 'delay') await sleep(fault.ms)
    if (res.destroyed) return
    const answer = await forward(incoming)
    if (answer === 'reset' || fault?.type === 'lose-answer') {
      req.socket.destroy()
      return
    }
    const extra = fault?.type === 'headers' ? fault.headers : {}
    send(res, record, answer.status, { ...answer.headers, ...extra }, answer.body)
  }

  // Idle kept-alive connections stay open for the whole cell: a close racing the client's next
  // request would be a reset nobody injected.
  const served = await serveOnLoopback({
    name: 'fault proxy',
    host: opts.host,
    handle,
    delays,
    keepAliveTimeout: 120_000,
  })
  origin = served.url

  return {
    url: origin,
    requests,
    injectFault(fault) {
      const times = fault.times ?? 1
      if (!Number.isInteger(times) || times < 1)
        throw new Error('injectFault: times must be a positive integer')
      queue.push({ fault, remaining: times })
    },
    clearFaults() {
      queue.length = 0
    },
    stop: () => served.stop(),
  }
}
