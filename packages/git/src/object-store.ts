import {
  commitTree,
  objectId,
  parseTree,
  type GitObject,
  type ObjectType,
  type TreeEntry,
} from './objects.js'
import { GitProtocolError } from './errors.js'
import type { SmartHttpRemote } from './remote.js'

/** What the store fetches with: a SmartHttpRemote, or anything that answers like one. */
export type ObjectSource = Pick<SmartHttpRemote, 'fetch'>

/**
 * A remote repository's objects as far as we read them, each fetched once, and the objects we
 * build on them, in memory.
 *
 * The tip comes alone (`deepen 1`, `filter tree:0`). Asking for each tree on the path with
 * `tree:0` gets that tree alone, so a release costs the depth of its path, not the number of
 * apps. (git's own lazy fetch would use a hard-coded `blob:none`: every tree below the one it
 * wants, the whole repository for the root.)
 */
export class ObjectStore {
  private readonly objects = new Map<string, GitObject>()
  /** Objects this run built: the server may not have them. */
  private readonly built = new Set<string>()
  /** Trees fetched with every tree below them. */
  private readonly deep = new Set<string>()
  /** Listings of the trees read so far (trees never change: retries reuse them). */
  private readonly listings = new Map<string, TreeEntry[]>()

  constructor(private readonly remote: ObjectSource) {}

  /** An object this run built. */
  add(type: ObjectType, data: Buffer): string {
    const oid = objectId(type, data)
    if (!this.objects.has(oid)) {
      this.objects.set(oid, { type, data })
      this.built.add(oid)
    }
    return oid
  }

  get(oid: string): GitObject | undefined {
    return this.objects.get(oid)
  }

  /** The object itself, fetched without what it points to if it is not here. */
  async read(oid: string): Promise<GitObject> {
    if (!this.objects.has(oid)) await this.fetch([oid], { filter: 'tree:0' })
    const object = this.objects.get(oid)
    if (!object) throw new GitProtocolError(`the server did not send ${oid}`)
    return object
  }

  /** Objects not here yet, fetched in one request (e.g. the blobs a diff shows). */
  async readMany(oids: string[]): Promise<void> {
    const missing = [...new Set(oids)].filter((oid) => !this.objects.has(oid))
    if (missing.length) await this.fetch(missing, { filter: 'tree:0' })
    for (const oid of missing)
      if (!this.objects.has(oid)) throw new GitProtocolError(`the server did not send ${oid}`)
  }

  /** A commit without its history (the branch tip). */
  async fetchTip(oid: string): Promise<void> {
    if (this.objects.has(oid)) return
    await this.fetch([oid], { filter: 'tree:0', deepen: 1 })
    if (!this.objects.has(oid)) throw new GitProtocolError(`the server did not send ${oid}`)
  }

  /**
   * The commits reachable from `tip` and not from `known` (which the server may not have: then
   * it sends `tip`'s whole history), without their trees: one request, answered by the server's
   * own reachability walk.
   */
  async commitsSince(tip: string, known: string): Promise<void> {
    await this.fetch([tip], { filter: 'tree:0', haves: [known] })
  }

  /** A tree and every tree below it, without blobs (small: one app's directory). */
  async needTrees(oid: string): Promise<void> {
    if (this.deep.has(oid)) return
    await this.fetch([oid], { filter: 'blob:none' })
    this.deep.add(oid)
  }

  /** The entries of a tree, fetched first if it is not here. */
  async list(tree: string): Promise<TreeEntry[]> {
    const known = this.listings.get(tree)
    if (known) return known
    const object = await this.read(tree)
    if (object.type !== 'tree')
      throw new GitProtocolError(`${tree} is a ${object.type}, not a tree`)
    const entries = parseTree(object.data)
    this.listings.set(tree, entries)
    return entries
  }

  /**
   * What a push of `commit` must send: the objects this run built that it reaches. Everything
   * else it names was read from the server, or left there untouched.
   */
  toPush(commit: string): GitObject[] {
    const out = new Map<string, GitObject>()
    const walk = (oid: string) => {
      if (out.has(oid) || !this.built.has(oid)) return
      const object = this.objects.get(oid)!
      out.set(oid, object)
      if (object.type === 'commit') walk(commitTree(object.data))
      else if (object.type === 'tree') for (const e of parseTree(object.data)) walk(e.sha)
    }
    walk(commit)
    return [...out.values()]
  }

  private async fetch(oids: string[], opts: { filter: string; deepen?: number; haves?: string[] }) {
    const { objects, shallow } = await this.remote.fetch(oids, opts, (oid) => this.objects.get(oid))
    for (const [oid, object] of objects) this.objects.set(oid, object)
    return shallow
  }
}
