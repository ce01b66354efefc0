/**
 * Reads from the deploy repository over git's smart HTTP, protocol v2 (gitprotocol-v2.txt), in
 * this process: `ls-refs` for the branch tips and `fetch` for exact objects. A release reads
 * one tree per directory on its path; with `git fetch` each read costs two HTTP round trips and
 * half a dozen processes, here it is one POST on a kept-alive connection (see receive-pack.ts for
 * the push).
 */
import type { GitObject } from './git-objects.js'
import { parsePack } from './pack.js'
import {
  DELIM,
  demuxSideband,
  FLUSH,
  pktLine,
  readPackets,
  smartHttpPost,
  text,
  GitHttpError,
  type SmartHttpOptions,
} from './smart-http.js'

export { GitHttpError, readPackets } from './smart-http.js'
export type UploadPackOptions = SmartHttpOptions

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
    let complete = false
    for (const p of readPackets(body)) {
      if (p.kind === 'flush') complete = true
      if (p.kind !== 'data') continue
      const [oid, name] = text(p).split(' ')
      if (oid && name) refs.set(name, oid)
    }
    // A listing cut short would read as "no such branch": git refuses it too.
    if (!complete) throw new GitHttpError(200, 'the ref listing ended without its flush packet')
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
    const packets = [...readPackets(body)]
    // Sections are lines up to 'packfile'; every packet after it is side-banded.
    let section = ''
    let at = 0
    for (; at < packets.length && section !== 'packfile'; at++) {
      const p = packets[at]!
      if (p.kind !== 'data') continue
      const line = text(p)
      if (line === 'shallow-info' || line === 'packfile' || line === 'acknowledgments')
        section = line
      else if (section === 'shallow-info' && line.startsWith('shallow '))
        shallow.push(line.slice(8))
    }
    if (section !== 'packfile') throw new Error('the server answered a fetch without a packfile')
    const { data, errors } = demuxSideband(packets.slice(at))
    if (errors.length) throw new GitHttpError(200, `remote error: ${errors.join(' ')}`)
    return { objects: parsePack(data, known), shallow }
  }

  private post(request: string, what: string): Promise<Buffer> {
    return smartHttpPost(this.opts, 'git-upload-pack', request, what, (n) => (this.bytes += n))
  }
}
