/**
 * A git repository over smart HTTP, read and written from this process: protocol v2
 * (gitprotocol-v2.txt) `ls-refs` for branch tips and `fetch` for exact objects, and one
 * receive-pack POST per ref update (see receive-pack.ts). Each read is one POST on a kept-alive
 * connection, where `git fetch` costs two HTTP round trips and half a dozen processes.
 */
import { CapabilityMissingError, GitProtocolError, GitRemoteError } from './errors.js'
import type { GitObject } from './objects.js'
import { parsePack, type PackLimits } from './pack.js'
import { DELIM, demuxSideband, FLUSH, pktLine, readPackets, text } from './pkt-line.js'
import { receivePack, type RefUpdate } from './receive-pack.js'
import { smartHttpPost, type SmartHttpOptions } from './smart-http.js'

export type RemoteOptions = SmartHttpOptions & { packLimits?: PackLimits }

const OID = /^[0-9a-f]{40}$/

export class SmartHttpRemote {
  /** Response bytes received so far (for the debug log). */
  bytes = 0

  constructor(private readonly opts: RemoteOptions) {}

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
      if (!oid || !name) continue
      if (!OID.test(oid)) throw unreadableId(oid)
      refs.set(name, oid)
    }
    // A listing cut short would read as "no such branch": git refuses it too.
    if (!complete) throw new GitProtocolError('the ref listing ended without its flush packet')
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
    let packets
    try {
      packets = [...readPackets(body)]
    } catch (error) {
      throw explainFetchRefusal(error, opts.filter)
    }
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
    if (section !== 'packfile')
      throw new GitProtocolError('the server answered a fetch without a packfile')
    const { data, errors } = demuxSideband(packets.slice(at))
    if (errors.length) throw new GitRemoteError(errors.join(' '))
    return { objects: parsePack(data, known, this.opts.packLimits), shallow }
  }

  /** One ref update (compare-and-swap on `old`) with the objects it needs; see receive-pack.ts. */
  push(update: RefUpdate, objects: GitObject[]): Promise<void> {
    return receivePack(this.opts, update, objects)
  }

  private post(request: string, what: string): Promise<Buffer> {
    return smartHttpPost(this.opts, 'git-upload-pack', request, what, (n) => (this.bytes += n))
  }
}

/** An object id that is not SHA-1's: a SHA-256 repository is told apart from garbage. */
function unreadableId(oid: string) {
  return /^[0-9a-f]{64}$/.test(oid)
    ? new CapabilityMissingError(
        'object-format=sha1',
        'the repository uses SHA-256 object ids (object-format=sha256); this client reads SHA-1 repositories only',
      )
    : new GitProtocolError(
        `the server listed a ref at '${oid.slice(0, 80)}', which is no object id`,
      )
}

/** upload-pack refuses a filter it does not allow with "filter '...' not supported". */
function explainFetchRefusal(error: unknown, filter: string | undefined) {
  if (error instanceof GitRemoteError && filter && /filter/i.test(error.text))
    return new CapabilityMissingError(
      `filter ${filter}`,
      `the server does not serve partial fetches with 'filter ${filter}' (${error.text.trim()})`,
    )
  return error
}
