/**
 * Edits a tree without a checkout or an index: only the trees on the path from the root to the
 * app directory are read (each fetched on its own, see ObjectStore) and rewritten, in memory, so
 * the cost does not grow with the number of apps in the deploy repository.
 */
import { NotATreeError } from './errors.js'
import { canonicalMode, commitTree, nameBytes, serializeTree, type TreeEntry } from './objects.js'
import type { ObjectStore } from './object-store.js'

/** Whether an entry has this name, compared as bytes (a name need not be UTF-8). */
const named = (name: string) => {
  const bytes = Buffer.from(name, 'utf8')
  return (e: TreeEntry) => nameBytes(e).equals(bytes)
}

export async function mktree(objects: ObjectStore, entries: TreeEntry[]): Promise<string> {
  // The entries we did not change point at objects this run never fetched: git allows that.
  return objects.add('tree', serializeTree(entries))
}

export async function writeBlob(objects: ObjectStore, content: string | Buffer): Promise<string> {
  return objects.add('blob', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'))
}

export async function readBlob(objects: ObjectStore, sha: string): Promise<string> {
  const object = await objects.read(sha)
  if (object.type !== 'blob') throw new Error(`${sha} is a ${object.type}, not a file`)
  return object.data.toString('utf8')
}

/** The root tree of a commit that is here. */
export function rootTreeOf(objects: ObjectStore, commit: string): string {
  const object = objects.get(commit)
  if (object?.type !== 'commit') throw new Error(`commit ${commit} is not here`)
  return commitTree(object.data)
}

/** Every file below a tree that is here whole (its trees fetched deep), by relative path. */
export async function filesBelow(
  objects: ObjectStore,
  tree: string,
  prefix = '',
): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  for (const e of await objects.list(tree)) {
    if (e.type === 'tree')
      for (const [p, sha] of await filesBelow(objects, e.sha, `${prefix}${e.name}/`))
        files.set(p, sha)
    else files.set(`${prefix}${e.name}`, `${e.mode}:${e.sha}`)
  }
  return files
}

/** A tree built from files given by relative path → content. */
export async function treeFromFiles(
  objects: ObjectStore,
  files: Record<string, string>,
): Promise<string> {
  const dirs = new Map<string, Record<string, string>>()
  const entries: TreeEntry[] = []
  for (const [p, content] of Object.entries(files)) {
    const [head, ...rest] = p.split('/')
    if (rest.length) {
      const sub = dirs.get(head) ?? {}
      sub[rest.join('/')] = content
      dirs.set(head, sub)
    } else
      entries.push({
        mode: '100644',
        type: 'blob',
        sha: await writeBlob(objects, content),
        name: head,
      })
  }
  for (const [name, sub] of dirs)
    entries.push({ mode: '40000', type: 'tree', sha: await treeFromFiles(objects, sub), name })
  return mktree(objects, entries)
}

/**
 * Replaces (or, with null, removes) the entry at `segments` under `rootTree`, rewriting only the
 * trees on that path; every other entry is written back as it was (its name's bytes, its mode).
 * Directories that become empty are removed, as git cannot hold them. A file where the path needs
 * a directory is a NotATreeError.
 */
export async function replaceAt(
  objects: ObjectStore,
  rootTree: string,
  segments: string[],
  replacement: string | { blob: string } | null,
  above: string[] = [],
): Promise<string | null> {
  const [name, ...rest] = segments as [string, ...string[]]
  const entries = rootTree ? await objects.list(rootTree) : []
  const current = entries.find(named(name))
  let child: TreeEntry | null
  if (rest.length === 0) {
    child =
      replacement === null
        ? null
        : typeof replacement === 'string'
          ? { mode: '40000', type: 'tree', sha: replacement, name }
          : { mode: '100644', type: 'blob', sha: replacement.blob, name }
  } else {
    if (current && current.type !== 'tree') throw new NotATreeError([...above, name].join('/'))
    const sha = await replaceAt(objects, current?.sha ?? '', rest, replacement, [...above, name])
    child = sha === null ? null : { mode: '40000', type: 'tree', sha, name }
  }
  const others = entries.filter((e) => !named(name)(e))
  const next = child === null ? others : [...others, child]
  if (!next.length) return null
  return mktree(objects, next)
}

/** The entry at a path below `tree`, or undefined. */
export async function entryAt(
  objects: ObjectStore,
  tree: string,
  segments: string[],
): Promise<TreeEntry | undefined> {
  let entry: TreeEntry | undefined
  let current = tree
  for (const name of segments) {
    if (entry && entry.type !== 'tree') return undefined
    entry = (await objects.list(current)).find(named(name))
    if (!entry) return undefined
    current = entry.sha
  }
  return entry
}

export interface TreeChange {
  /** As `git diff-tree -r --name-status`: added, deleted, modified. */
  status: 'A' | 'D' | 'M'
  /** Relative to the trees compared. */
  path: string
  before?: { mode: string; sha: string }
  after?: { mode: string; sha: string }
}

/**
 * The files that differ between two trees that are here (null or '': no tree), in git's path
 * order; subtrees with the same id are skipped unread. A file replaced by a directory (or the
 * reverse) is a deletion and additions, as git shows it without rename detection.
 */
export async function diffTrees(
  objects: ObjectStore,
  before: string | null | undefined,
  after: string | null | undefined,
  prefix = '',
): Promise<TreeChange[]> {
  if ((before || '') === (after || '')) return []
  const list = async (t: string | null | undefined) => (t ? await objects.list(t) : [])
  const side = new Map<string, { before?: TreeEntry; after?: TreeEntry }>()
  for (const e of await list(before)) side.set(nameBytes(e).toString('latin1'), { before: e })
  for (const e of await list(after)) {
    const key = nameBytes(e).toString('latin1')
    side.set(key, { ...side.get(key), after: e })
  }
  const changes: TreeChange[] = []
  const keys = [...side.keys()].sort((a, b) =>
    Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')),
  )
  for (const key of keys) {
    const { before: b, after: a } = side.get(key)!
    const path = `${prefix}${(a ?? b)!.name}`
    const tree = (e?: TreeEntry) => (e?.type === 'tree' ? e.sha : undefined)
    const file = (e?: TreeEntry) =>
      e && e.type !== 'tree' ? { mode: canonicalMode(e.mode), sha: e.sha } : undefined
    changes.push(...(await diffTrees(objects, tree(b), tree(a), `${path}/`)))
    const was = file(b)
    const now = file(a)
    if (was?.sha === now?.sha && was?.mode === now?.mode) continue
    changes.push({
      status: !was ? 'A' : !now ? 'D' : 'M',
      path,
      ...(was && { before: was }),
      ...(now && { after: now }),
    })
  }
  return changes.sort((x, y) => Buffer.compare(Buffer.from(x.path), Buffer.from(y.path)))
}
