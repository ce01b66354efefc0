import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  commitTree,
  objectId,
  parseTree,
  writeLoose,
  type GitObject,
  type ObjectType,
  type TreeEntry,
} from './git-objects.js'
import type { UploadPack } from './upload-pack.js'

export type { TreeEntry } from './git-objects.js'

/**
 * The deploy repository's objects a release reads, fetched by us, each once per run, and the
 * objects it builds, kept in memory.
 *
 * The tip comes alone (`deepen 1`, `filter tree:0`). Asking for each tree on the path with
 * `tree:0` gets that tree alone, so a release costs the depth of its path, not the number of
 * apps. (git's own lazy fetch would use a hard-coded `blob:none`: every tree below the one it
 * wants, the whole repository for the root.)
 */
export class RemoteObjects {
  private readonly objects = new Map<string, GitObject>()
  /** Objects this run built: the server may not have them. */
  private readonly built = new Set<string>()
  /** Commits fetched without their parents. */
  private readonly shallow = new Set<string>()
  /** Trees fetched with every tree below them. */
  private readonly deep = new Set<string>()
  /** Listings of the trees read so far (trees never change: retries reuse them). */
  private readonly listings = new Map<string, TreeEntry[]>()

  constructor(private readonly remote: UploadPack) {}

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
    if (!object) throw new Error(`the server did not send ${oid}`)
    return object
  }

  /** A commit without its history (the branch tip). */
  async fetchTip(oid: string): Promise<void> {
    if (this.objects.has(oid)) return
    for (const s of await this.fetch([oid], { filter: 'tree:0', deepen: 1 })) this.shallow.add(s)
    if (!this.objects.has(oid)) throw new Error(`the server did not send ${oid}`)
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

  /** Writes every object here into a git directory, for git to read (the dry run's diff). */
  async writeTo(gitDir: string): Promise<void> {
    for (const [, o] of this.objects) await writeLoose(gitDir, o.type, o.data)
    if (this.shallow.size)
      await writeFile(path.join(gitDir, 'shallow'), `${[...this.shallow].join('\n')}\n`)
  }

  private async fetch(oids: string[], opts: { filter: string; deepen?: number }) {
    const { objects, shallow } = await this.remote.fetch(oids, opts, (oid) => this.objects.get(oid))
    for (const [oid, object] of objects) this.objects.set(oid, object)
    return shallow
  }
}
