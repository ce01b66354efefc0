// The plumbing every loopback double shares: listen on a loopback port, keep track of sockets
// and of pending delays, and on stop close the server, every socket and every delay, so no test
// leaves a handle open. Each double supplies its own request handler.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** Delays (the 'delay' faults) that stop() cancels: none outlives its double. */
export class Delays {
  private readonly timers = new Set<NodeJS.Timeout>()

  readonly sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t)
        resolve()
      }, ms)
      this.timers.add(t)
    })

  cancel(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }
}

export interface ServeOptions {
  /** For error logs, e.g. 'aws sandbox'. */
  name: string
  /** Interface to listen on; default 127.0.0.1. */
  host?: string
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>
  /** Cancelled on stop. */
  delays: Delays
  keepAliveTimeout?: number
  /** On stop, before the server closes (e.g. end child processes). */
  onStop?(): void
  /** Once the server has closed. */
  onClosed?(): void
}

export interface Served {
  /** e.g. http://127.0.0.1:54321 */
  url: string
  /** Idempotent. */
  stop(): Promise<void>
}

export async function serveOnLoopback(opts: ServeOptions): Promise<Served> {
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    opts.handle(req, res).catch((err: unknown) => {
      console.error(`${opts.name}: request failed`, err)
      if (!res.headersSent && !res.destroyed) res.destroy()
    })
  })
  if (opts.keepAliveTimeout !== undefined) server.keepAliveTimeout = opts.keepAliveTimeout
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
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`

  let stopped: Promise<void> | undefined
  return {
    url,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        opts.delays.cancel()
        opts.onStop?.()
        server.close(() => {
          opts.onClosed?.()
          resolve()
        })
        for (const s of sockets) s.destroy()
        server.closeAllConnections()
      })
      return stopped
    },
  }
}

/** What every double records of a request before it answers (the request log). */
export interface RequestHead {
  /** Upper case. */
  method: string
  /** Path and query, as sent. */
  path: string
  /** Lowercased names; repeated headers joined with ', '. */
  headers: Record<string, string>
}

export function requestHead(req: IncomingMessage): RequestHead {
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
  return { method: (req.method ?? 'GET').toUpperCase(), path: req.url ?? '/', headers }
}

/** The head and the whole body of a request. */
export async function readRequest(req: IncomingMessage): Promise<RequestHead & { body: Buffer }> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return { ...requestHead(req), body: Buffer.concat(chunks) }
}

/**
 * Sends a whole answer with its content-length and logs its status; nothing when the client has
 * gone or an answer has already started (a fault got there first). Returns the bytes sent.
 */
export function sendWhole(
  res: ServerResponse,
  record: { status: number },
  status: number,
  headers: Record<string, string>,
  payload: string | Buffer,
): number {
  if (res.destroyed || res.headersSent) return 0
  const bytes = Buffer.byteLength(payload)
  record.status = status
  res.writeHead(status, { ...headers, 'content-length': String(bytes) })
  res.end(payload)
  return bytes
}

/** A JSON double's body: objects as JSON, strings as they are (text), nothing as ''. */
export function payloadOf(body: unknown): { payload: string; isText: boolean } {
  if (typeof body === 'string') return { payload: body, isText: true }
  return { payload: body === undefined ? '' : JSON.stringify(body), isText: false }
}

/** What every double offers a test besides its data: clear its request log and its faults. */
export interface DoubleControls<F> {
  clearRequests(): void
  injectFault(f: F): void
  clearFaults(): void
}

export function doubleControls<F>(
  requests: unknown[],
  faults: { add(f: F): void; clear(): void },
): DoubleControls<F> {
  return {
    clearRequests() {
      requests.length = 0
    },
    injectFault(f) {
      faults.add(f)
    },
    clearFaults() {
      faults.clear()
    },
  }
}
