/**
 * Edits a tree without a checkout or an index: only the trees on the path from the root to the
 * app directory are read (each fetched on its own, see RemoteObjects) and rewritten, in memory, so
 * the cost does not grow with the number of apps in the deploy repository.
 */
import { UserError } from '@argocd-actions/core'
import { commitTree, serializeTree, type TreeEntry } from './git-objects.js'
import type { RemoteObjects } from './remote-objects.js'

export async function mktree(objects: RemoteObjects, entries: TreeEntry[]): Promise<string> {
  // The entries we did not change point at objects this run never fetched: git allows that.
  return objects.add('tree', serializeTree(entries))
}

export async function writeBlob(objects: RemoteObjects, content: string | Buffer): Promise<string> {
  return objects.add('blob', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'))
}

export async function readBlob(objects: RemoteObjects, sha: string): Promise<string> {
  const object = await objects.read(sha)
  if (object.type !== 'blob') throw new Error(`${sha} is a ${object.type}, not a file`)
  return object.data.toString('utf8')
}

/** The root tree of a commit that is here. */
export function rootTreeOf(objects: RemoteObjects, commit: string): string {
  const object = objects.get(commit)
  if (object?.type !== 'commit') throw new Error(`commit ${commit} is not here`)
  return commitTree(object.data)
}

/** Every file below a tree that is here whole (its trees fetched deep), by relative path. */
export async function filesBelow(
  objects: RemoteObjects,
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
  objects: RemoteObjects,
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
 * trees on that path. Directories that become empty are removed, as git cannot hold them.
 */
export async function replaceAt(
  objects: RemoteObjects,
  rootTree: string,
  segments: string[],
  replacement: string | { blob: string } | null,
): Promise<string | null> {
  const [name, ...rest] = segments
  const entries = rootTree ? await objects.list(rootTree) : []
  const current = entries.find((e) => e.name === name)
  let child: TreeEntry | null
  if (rest.length === 0) {
    child =
      replacement === null
        ? null
        : typeof replacement === 'string'
          ? { mode: '40000', type: 'tree', sha: replacement, name }
          : { mode: '100644', type: 'blob', sha: replacement.blob, name }
  } else {
    if (current && current.type !== 'tree')
      throw new UserError(
        `'${name}' is a file in the deploy repository where the app's path needs a directory: check 'path'.`,
      )
    const sha = await replaceAt(objects, current?.sha ?? '', rest, replacement)
    child = sha === null ? null : { mode: '40000', type: 'tree', sha, name }
  }
  const others = entries.filter((e) => e.name !== name)
  const next = child === null ? others : [...others, child]
  if (!next.length) return null
  return mktree(objects, next)
}

/** The entry at a path below `tree`, or undefined. */
export async function entryAt(
  objects: RemoteObjects,
  tree: string,
  segments: string[],
): Promise<TreeEntry | undefined> {
  let entry: TreeEntry | undefined
  let current = tree
  for (const name of segments) {
    if (entry && entry.type !== 'tree') return undefined
    entry = (await objects.list(current)).find((e) => e.name === name)
    if (!entry) return undefined
    current = entry.sha
  }
  return entry
}
