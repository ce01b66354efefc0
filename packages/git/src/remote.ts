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
import { smartHttpAdvertisement, smartHttpPost, type SmartHttpOptions } from './smart-http.js'

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
    try {
      return parseRefListing(body)
    } catch (error) {
      throw await this.diagnose(error)
    }
  }

  /**
   * Exact objects, and what the filter lets through below them (`tree:0`: the objects alone;
   * `blob:none`: a tree with every tree below it). `deepen: 1` for a commit without its history.
   * `haves`: commits we name as known, so the server leaves out everything they reach (with
   * `done`, in the same request: no negotiation round).
   */
  async fetch(
    wants: string[],
    opts: { filter?: string; deepen?: number; haves?: string[] },
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
        ...(opts.haves ?? []).map((h) => pktLine(`have ${h}\n`)),
        pktLine('done\n'),
        FLUSH,
      ].join(''),
      `fetch ${wants.length} object${wants.length === 1 ? '' : 's'}${opts.filter ? ` (${opts.filter})` : ''}`,
    )
    try {
      return parseFetchAnswer(body, known, this.opts.packLimits)
    } catch (error) {
      throw await this.diagnose(explainFetchRefusal(error, opts.filter), opts.filter)
    }
  }

  /** One ref update (compare-and-swap on `old`) with the objects it needs; see receive-pack.ts. */
  push(update: RefUpdate, objects: GitObject[]): Promise<void> {
    return receivePack(this.opts, update, objects)
  }

  /**
   * An answer we could not read, explained when the server lacks what we need: git dies without
   * a word on a v2 request to a v0-only server, a SHA-1 request to a SHA-256 repository, or a
   * filter it does not allow. Its capability advertisement (asked only now: a release that works
   * never pays for it) tells which.
   */
  private async diagnose(error: unknown, filter?: string): Promise<unknown> {
    if (!(error instanceof GitProtocolError)) return error
    let advertisement: Buffer
    try {
      advertisement = await smartHttpAdvertisement(this.opts, 'git-upload-pack')
    } catch {
      return error
    }
    let lines: string[]
    try {
      lines = [...readPackets(advertisement)].filter((p) => p.kind === 'data').map(text)
    } catch {
      return error
    }
    if (lines.some((l) => l.startsWith('# service=')) || !lines.includes('version 2'))
      return new CapabilityMissingError(
        'version 2',
        'the server does not speak git protocol v2 (it answered the v0 advertisement)',
      )
    const format = lines.find((l) => l.startsWith('object-format='))?.slice(14)
    if (format && format !== 'sha1')
      return new CapabilityMissingError(
        'object-format=sha1',
        `the repository uses ${format.toUpperCase()} object ids (object-format=${format}); this client reads SHA-1 repositories only`,
      )
    const fetch = lines.find((l) => l === 'fetch' || l.startsWith('fetch='))
    if (filter && fetch && !/[=\s]filter\b/.test(fetch))
      return new CapabilityMissingError(
        'filter',
        `the server does not serve partial fetches ('filter ${filter}'; its fetch capabilities: ${fetch.slice(6) || 'none'})`,
      )
    return error
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
    : // Not quoted: a hostile server could list what we sent it (the token) as an id.
      new GitProtocolError(
        `unexpected ls-refs answer: a ref at ${oid.length} characters that are no object id`,
      )
}

/**
 * Reads a v2 `ls-refs` answer: one `<id> <ref>[ <attributes>]` line per ref, then a flush packet,
 * and nothing after it. Only such an answer can show that a ref is absent; anything else (an empty
 * body, a listing cut short, a line of something else) is a GitProtocolError: an answer we cannot
 * read is never "no such branch".
 */
export function parseRefListing(body: Buffer): Map<string, string> {
  const packets = [...readPackets(body)]
  const unexpected = (what: string) =>
    new GitProtocolError(`unexpected ls-refs answer (not a ref listing): ${what}`)
  if (!packets.length) throw unexpected('an empty body')
  if (packets.at(-1)!.kind !== 'flush')
    throw unexpected('the listing does not end with its flush packet (cut short?)')
  const refs = new Map<string, string>()
  for (const p of packets.slice(0, -1)) {
    if (p.kind !== 'data') throw unexpected(`a ${p.kind} packet inside the listing`)
    const [oid, name] = text(p).split(' ')
    // 'unborn HEAD ...' (only sent to a client that asks for it): a branch without commits.
    if (oid === 'unborn') continue
    // The line is not quoted: a hostile server could echo what we sent it.
    if (!oid || !name)
      throw unexpected(`a line of ${p.data.length} bytes that is not '<object id> <ref name>'`)
    if (!OID.test(oid)) throw unreadableId(oid)
    refs.set(name, oid)
  }
  return refs
}

/** What came instead of a packfile, without quoting the server. */
function describePackets(packets: Array<{ kind: string }>): string {
  if (!packets.length) return 'an empty body'
  const data = packets.filter((p) => p.kind === 'data').length
  if (!data)
    return packets.length === 1 ? `only a ${packets[0]!.kind} packet` : 'only special packets'
  return `${data} line${data === 1 ? '' : 's'}, none of them 'packfile'`
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

/**
 * Reads a v2 `fetch` answer: the shallow-info section, then the side-banded packfile. An answer
 * we cannot read is a GitProtocolError, an error the server sent a GitRemoteError.
 */
export function parseFetchAnswer(
  body: Buffer,
  known?: (oid: string) => GitObject | undefined,
  limits?: PackLimits,
): { objects: Map<string, GitObject>; shallow: string[] } {
  const shallow: string[] = []
  const packets = [...readPackets(body)]
  // Sections are lines up to 'packfile'; every packet after it is side-banded.
  let section = ''
  let at = 0
  for (; at < packets.length && section !== 'packfile'; at++) {
    const p = packets[at]!
    if (p.kind !== 'data') continue
    const line = text(p)
    if (line === 'shallow-info' || line === 'packfile' || line === 'acknowledgments') section = line
    else if (section === 'shallow-info' && line.startsWith('shallow ')) shallow.push(line.slice(8))
  }
  if (section !== 'packfile')
    throw new GitProtocolError(
      `unexpected answer to a fetch: no packfile section (the server sent ${describePackets(packets)})`,
    )
  const { data, errors } = demuxSideband(packets.slice(at))
  if (errors.length) throw new GitRemoteError(errors.join(' '))
  return { objects: parsePack(data, known, limits), shallow }
}
