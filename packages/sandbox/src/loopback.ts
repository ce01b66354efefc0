// A minimal loopback HTTP server shared by the GitLab and Bitbucket doubles: records every
// request, applies queued faults (status, rate-limit, reset, delay), and closes every socket on
// stop. The GitHub double keeps its own, richer server.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { FaultQueue } from './github/faults.js'
import type { FaultMatch, RecordedRequest } from './github/types.js'

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
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let base = ''

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t)
        resolve()
      }, ms)
      timers.add(t)
    })

  function send(res: ServerResponse, record: RecordedRequest, out: Outgoing): void {
    if (res.destroyed || res.headersSent) return
    const isText = typeof out.body === 'string'
    const payload =
      typeof out.body === 'string'
        ? out.body
        : out.body === undefined
          ? ''
          : JSON.stringify(out.body)
    record.status = out.status
    res.writeHead(out.status, {
      'content-type': isText ? 'text/plain; charset=utf-8' : opts.jsonType,
      ...opts.commonHeaders(),
      ...(out.headers ?? {}),
      'content-length': String(Buffer.byteLength(payload)),
    })
    res.end(payload)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
    const method = (req.method ?? 'GET').toUpperCase()
    const record: RecordedRequest = {
      method,
      path: req.url ?? '/',
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
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

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error(`${opts.name}: request failed`, err)
      if (!res.headersSent && !res.destroyed) res.destroy()
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error(`${opts.name}: no TCP address`)
  base = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`

  let stopped: Promise<void> | undefined
  return {
    url: base,
    requests,
    faults,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t)
        timers.clear()
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
        server.closeAllConnections()
      })
      return stopped
    },
  }
}
