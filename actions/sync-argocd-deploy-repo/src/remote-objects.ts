import { appendFile } from 'node:fs/promises'
import path from 'node:path'
import {
  parseTree,
  writeLoose,
  type GitObject,
  type ObjectType,
  type TreeEntry,
} from './git-objects.js'
import type { UploadPack } from './upload-pack.js'

export type { TreeEntry } from './git-objects.js'

/**
 * The deploy repository's objects a release reads, fetched by us, each once per run.
 *
 * The work repository starts with the tip commit alone (`deepen 1`, `filter tree:0`). Asking for
 * each tree on the path with `tree:0` gets that tree alone, so a release costs the depth of its
 * path, not the number of apps. (Left to itself, git would fetch a missing tree lazily with a
 * hard-coded `blob:none`: every tree below it, the whole repository for the root.) Every object
 * is also written loose into the work repository, where `git push` looks for what it builds on.
 */
export class RemoteObjects {
  private readonly objects = new Map<string, GitObject>()
  /** Trees fetched with every tree below them. */
  private readonly deep = new Set<string>()
  /** Listings of the trees read so far (trees never change: retries reuse them). */
  private readonly listings = new Map<string, TreeEntry[]>()

  constructor(
    private readonly remote: UploadPack,
    /** The work repository's git directory. */
    readonly gitDir: string,
  ) {}

  /** Stores an object (fetched, or written by this run) here and in the work repository. */
  async add(type: ObjectType, data: Buffer): Promise<string> {
    const oid = await writeLoose(this.gitDir, type, data)
    this.objects.set(oid, { type, data })
    return oid
  }

  get(oid: string): GitObject | undefined {
    return this.objects.get(oid)
  }

  /** The object itself, fetched without what it points to if it is not here. */
  async read(oid: string): Promise<GitObject> {
    if (!this.objects.has(oid)) await this.fetch([oid], { filter: 'tree:0' })
    const object = this.objects.get(oid)
    if (!object) throw new Error(`the server did not send ${oid}`)
    return object
  }

  /** A commit without its history (the branch tip); returns the shallow boundary. */
  async fetchTip(oid: string): Promise<void> {
    const shallow = await this.fetch([oid], { filter: 'tree:0', deepen: 1 })
    if (!this.objects.has(oid)) throw new Error(`the server did not send ${oid}`)
    // git must not look for the tip's parents: they were left on the server.
    if (shallow.length)
      await appendFile(path.join(this.gitDir, 'shallow'), `${shallow.join('\n')}\n`)
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
    if (object.type !== 'tree') throw new Error(`${tree} is a ${object.type}, not a tree`)
    const entries = parseTree(object.data)
    this.listings.set(tree, entries)
    return entries
  }

  private async fetch(oids: string[], opts: { filter: string; deepen?: number }) {
    const { objects, shallow } = await this.remote.fetch(oids, opts, (oid) => this.objects.get(oid))
    for (const object of objects.values()) await this.add(object.type, object.data)
    return shallow
  }
}
