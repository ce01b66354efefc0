import type { GitRunner } from './git.js'

/**
 * Edits a tree without a checkout or an index: only the trees on the path from the root to the
 * app directory are read (fetched lazily from a partial clone) and rewritten with mktree, so the
 * cost does not grow with the number of apps in the deploy repository.
 */
export interface TreeEntry {
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
  name: string
}

export async function lsTree(git: GitRunner, treeish: string): Promise<TreeEntry[]> {
  const r = await git.run(['ls-tree', '-z', treeish])
  return r.stdout
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t')
      const [mode, type, sha] = line.slice(0, tab).split(' ')
      return { mode, type: type as TreeEntry['type'], sha, name: line.slice(tab + 1) }
    })
}

export async function mktree(git: GitRunner, entries: TreeEntry[]): Promise<string> {
  const input =
    entries.map((e) => `${e.mode} ${e.type} ${e.sha}\t${e.name}`).join('\0') +
    (entries.length ? '\0' : '')
  // --missing: entries we did not change may point at objects a partial clone never fetched.
  return (await git.run(['mktree', '-z', '--missing'], { input })).stdout.trim()
}

export async function writeBlob(git: GitRunner, content: string | Buffer): Promise<string> {
  return (await git.run(['hash-object', '-w', '--stdin'], { input: content })).stdout.trim()
}

export async function readBlob(git: GitRunner, sha: string): Promise<string> {
  return (await git.run(['cat-file', 'blob', sha])).stdout
}

/** A tree built from files given by relative path → content. */
export async function treeFromFiles(
  git: GitRunner,
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
      entries.push({ mode: '100644', type: 'blob', sha: await writeBlob(git, content), name: head })
  }
  for (const [name, sub] of dirs)
    entries.push({ mode: '040000', type: 'tree', sha: await treeFromFiles(git, sub), name })
  return mktree(git, entries)
}

/**
 * Replaces (or, with null, removes) the entry at `segments` under `rootTree`, rewriting only the
 * trees on that path. Directories that become empty are removed, as git cannot hold them.
 */
export async function replaceAt(
  git: GitRunner,
  rootTree: string,
  segments: string[],
  replacement: string | { blob: string } | null,
): Promise<string | null> {
  const [name, ...rest] = segments
  const entries = rootTree ? await lsTree(git, rootTree) : []
  const current = entries.find((e) => e.name === name)
  let child: TreeEntry | null
  if (rest.length === 0) {
    child =
      replacement === null
        ? null
        : typeof replacement === 'string'
          ? { mode: '040000', type: 'tree', sha: replacement, name }
          : { mode: '100644', type: 'blob', sha: replacement.blob, name }
  } else {
    if (current && current.type !== 'tree')
      throw new Error(`'${name}' is a file where a directory is expected`)
    const sha = await replaceAt(git, current?.sha ?? '', rest, replacement)
    child = sha === null ? null : { mode: '040000', type: 'tree', sha, name }
  }
  const others = entries.filter((e) => e.name !== name)
  const next = child === null ? others : [...others, child]
  if (!next.length) return null
  return mktree(git, next)
}

/** The sha of the tree at a path, or undefined. */
export async function treeAt(
  git: GitRunner,
  commit: string,
  p: string,
): Promise<string | undefined> {
  const r = await git.run(['rev-parse', '--verify', '--quiet', `${commit}:${p}`], {
    allowFailure: true,
  })
  return r.code === 0 ? r.stdout.trim() : undefined
}
