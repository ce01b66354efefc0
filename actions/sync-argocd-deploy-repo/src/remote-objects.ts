import type { GitRunner } from './git.js'

export interface TreeEntry {
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
  name: string
}

/**
 * The deploy repository's objects a release reads, fetched by us, each once per run.
 *
 * The work repository starts with the tip commit alone (`--depth 1 --filter=tree:0`). Left to
 * itself, git fetches a missing object lazily with a hard-coded `--filter=blob:none`, which for a
 * tree means every tree below it: reading the root tree would download the whole deploy
 * repository's trees. Asking for each tree on the path with `--filter=tree:0` gets that tree
 * alone, so a release costs the depth of its path, not the number of apps.
 */
export class RemoteObjects {
  /** Objects in the local object store: fetched or written by this run. */
  private readonly here = new Set<string>()
  /** Trees fetched with every tree below them. */
  private readonly deep = new Set<string>()
  /** Listings of the trees read so far (trees never change: retries reuse them). */
  private readonly listings = new Map<string, TreeEntry[]>()

  constructor(
    readonly git: GitRunner,
    /** Turns a failed fetch's stderr into the error to throw. */
    private readonly explain: (stderr: string) => Error,
  ) {}

  /** An object this run wrote (mktree, hash-object): present without a fetch. */
  wrote(oid: string): string {
    this.here.add(oid)
    return oid
  }

  /** The object itself, without what it points to. */
  async need(oid: string): Promise<void> {
    if (this.here.has(oid)) return
    await this.fetch([oid], 'tree:0')
    this.here.add(oid)
  }

  /** A tree and every tree below it, without blobs (small: one app's directory). */
  async needTrees(oid: string): Promise<void> {
    if (this.deep.has(oid)) return
    await this.fetch([oid], 'blob:none')
    this.here.add(oid)
    this.deep.add(oid)
  }

  /** The entries of a tree, fetched first if it is not here. */
  async list(tree: string): Promise<TreeEntry[]> {
    const known = this.listings.get(tree)
    if (known) return known
    await this.need(tree)
    const r = await this.git.run(['ls-tree', '-z', tree])
    const entries = r.stdout
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf('\t')
        const [mode, type, sha] = line.slice(0, tab).split(' ')
        return { mode, type: type as TreeEntry['type'], sha, name: line.slice(tab + 1) }
      })
    // Below a tree fetched deep, the subtrees came with it.
    if (this.deep.has(tree))
      for (const e of entries)
        if (e.type === 'tree') {
          this.here.add(e.sha)
          this.deep.add(e.sha)
        }
    this.listings.set(tree, entries)
    return entries
  }

  private async fetch(oids: string[], filter: string): Promise<void> {
    const r = await this.git.run(
      [
        // No haves to negotiate: we ask for exact objects (as git's own lazy fetch does).
        '-c',
        'fetch.negotiationAlgorithm=noop',
        'fetch',
        '--quiet',
        '--no-tags',
        '--no-write-fetch-head',
        '--recurse-submodules=no',
        `--filter=${filter}`,
        'origin',
        ...oids,
      ],
      { allowFailure: true },
    )
    if (r.code !== 0) throw this.explain(r.stderr)
  }
}
