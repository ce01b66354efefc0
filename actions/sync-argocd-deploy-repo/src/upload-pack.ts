/**
 * Reads from the deploy repository over git's smart HTTP, protocol v2 (gitprotocol-v2.txt), in
 * this process: `ls-refs` for the branch tips and `fetch` for exact objects. A release reads
 * one tree per directory on its path; with `git fetch` each read costs two HTTP round trips and
 * half a dozen processes, here it is one POST on a kept-alive connection. Pushes stay with git.
 */
import { withRetry } from '@argocd-actions/core'
import type { GitObject } from './git-objects.js'
import { parsePack } from './pack.js'

export interface UploadPackOptions {
  /** The repository's clone URL (`https://github.com/<owner>/<repo>.git`). */
  url: string
  /** The Authorization header's value (masked by the caller). */
  authorization: string
  /** Per request. */
  timeoutMs?: number
  /** No retry starts after this (ms since the epoch). */
  deadline?: number
  debug?: (message: string) => void
}

/** The server's answer to a request we made: its status and what it said. */
export class GitHttpError extends Error {
  constructor(
    readonly status: number,
    readonly text: string,
  ) {
    super(`git smart HTTP answered ${status}: ${text.trim().slice(0, 500)}`)
    this.name = 'GitHttpError'
  }
}

class TransientError extends Error {}

const FLUSH = '0000'
const DELIM = '0001'

function pktLine(line: string): string {
  const size = Buffer.byteLength(line) + 4
  return size.toString(16).padStart(4, '0') + line
}

interface Packet {
  /** 'data', or the special packets: flush (0000), delim (0001), end (0002). */
  kind: 'data' | 'flush' | 'delim' | 'end'
  data: Buffer
}

export function* readPackets(body: Buffer): Generator<Packet> {
  let pos = 0
  while (pos < body.length) {
    const size = Number.parseInt(body.toString('latin1', pos, pos + 4), 16)
    if (!Number.isInteger(size) || size < 0 || (size > 2 && size < 4) || pos + size > body.length)
      throw new Error('malformed pkt-line in the server answer')
    if (size < 4) {
      yield { kind: size === 0 ? 'flush' : size === 1 ? 'delim' : 'end', data: Buffer.alloc(0) }
      pos += 4
      continue
    }
    const data = body.subarray(pos + 4, pos + size)
    if (data.toString('latin1', 0, 4) === 'ERR ')
      throw new GitHttpError(200, `remote error: ${data.toString('utf8', 4)}`)
    yield { kind: 'data', data }
    pos += size
  }
}

const text = (p: Packet) => p.data.toString('utf8').replace(/\n$/, '')

export class UploadPack {
  /** Response bytes received so far (for the debug log). */
  bytes = 0

  constructor(private readonly opts: UploadPackOptions) {}

  /** The tips of the refs that start with one of the prefixes. */
  async lsRefs(prefixes: string[]): Promise<Map<string, string>> {
    const body = await this.post(
      [
        pktLine('command=ls-refs\n'),
        DELIM,
        ...prefixes.map((p) => pktLine(`ref-prefix ${p}\n`)),
        FLUSH,
      ].join(''),
      'ls-refs',
    )
    const refs = new Map<string, string>()
    for (const p of readPackets(body)) {
      if (p.kind !== 'data') continue
      const [oid, name] = text(p).split(' ')
      if (oid && name) refs.set(name, oid)
    }
    return refs
  }

  /**
   * Exact objects, and what the filter lets through below them (`tree:0`: the objects alone;
   * `blob:none`: a tree with every tree below it). `deepen: 1` for a commit without its history.
   */
  async fetch(
    wants: string[],
    opts: { filter?: string; deepen?: number },
    known?: (oid: string) => GitObject | undefined,
  ): Promise<{ objects: Map<string, GitObject>; shallow: string[] }> {
    const body = await this.post(
      [
        pktLine('command=fetch\n'),
        DELIM,
        pktLine('no-progress\n'),
        pktLine('ofs-delta\n'),
        ...(opts.deepen ? [pktLine(`deepen ${opts.deepen}\n`)] : []),
        ...(opts.filter ? [pktLine(`filter ${opts.filter}\n`)] : []),
        ...wants.map((w) => pktLine(`want ${w}\n`)),
        pktLine('done\n'),
        FLUSH,
      ].join(''),
      `fetch ${wants.length} object${wants.length === 1 ? '' : 's'}${opts.filter ? ` (${opts.filter})` : ''}`,
    )
    const shallow: string[] = []
    const pack: Buffer[] = []
    let section = ''
    for (const p of readPackets(body)) {
      if (p.kind !== 'data') continue
      if (section === 'packfile') {
        const band = p.data[0]
        if (band === 1) pack.push(p.data.subarray(1))
        else if (band === 3)
          throw new GitHttpError(200, `remote error: ${p.data.toString('utf8', 1)}`)
        continue
      }
      const line = text(p)
      if (line === 'shallow-info' || line === 'packfile' || line === 'acknowledgments')
        section = line
      else if (section === 'shallow-info' && line.startsWith('shallow '))
        shallow.push(line.slice(8))
    }
    if (section !== 'packfile') throw new Error('the server answered a fetch without a packfile')
    return { objects: parsePack(Buffer.concat(pack), known), shallow }
  }

  private async post(request: string, what: string): Promise<Buffer> {
    const url = `${this.opts.url.replace(/\/+$/, '')}/git-upload-pack`
    return withRetry(
      async () => {
        const started = Date.now()
        let res: Response
        try {
          res = await fetch(url, {
            method: 'POST',
            headers: {
              authorization: this.opts.authorization,
              'content-type': 'application/x-git-upload-pack-request',
              accept: 'application/x-git-upload-pack-result',
              'git-protocol': 'version=2',
              'user-agent': 'git/argocd-actions',
            },
            body: request,
            signal: AbortSignal.timeout(this.opts.timeoutMs ?? 60_000),
            redirect: 'manual',
          })
        } catch (error) {
          const e = error as Error
          throw new TransientError(`${what}: ${String(e.cause ?? e.message)}`)
        }
        const body = Buffer.from(await res.arrayBuffer())
        this.bytes += body.length
        this.opts.debug?.(
          `upload-pack ${what}: ${res.status}, ${body.length} bytes, ${Date.now() - started} ms`,
        )
        if (res.status === 429 || res.status >= 500)
          throw new TransientError(`${what}: the server answered ${res.status}`)
        if (res.status !== 200) throw new GitHttpError(res.status, body.toString('utf8'))
        return body
      },
      {
        attempts: 4,
        baseMs: 250,
        maxDelayMs: 4000,
        deadline: this.opts.deadline,
        retryable: (e) => e instanceof TransientError,
      },
    ).catch((error: unknown) => {
      if (error instanceof TransientError)
        throw new GitHttpError(503, `${error.message} (after retries)`)
      throw error
    })
  }
}
