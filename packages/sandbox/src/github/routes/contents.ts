// GET /repos/{owner}/{repo}/contents[/{path}]. Git-backed repositories read the tree of the
// resolved ref from the bare repository (real blob/tree shas, bytes as stored). Others are
// modelled minimally: one tree (the repo's `files`), served for any ref once there is a commit.
import { createHash } from 'node:crypto'
import { authorizeRepo } from '../access.js'
import type { Reply, RouteContext } from '../context.js'
import { ApiError, DOCS, errorBody, notFound } from '../errors.js'
import { derivedSha } from '../ids.js'
import { contentItem, type ContentEntry } from '../render.js'
import type { RepoRecord } from '../store.js'

/** The real git blob id of a text. */
function blobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8')
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]))
    .digest('hex')
}

/** Direct children of `dir` ('' for the root), sorted by name as git trees are. */
function children(repo: RepoRecord, dir: string): ContentEntry[] {
  const prefix = dir === '' ? '' : `${dir}/`
  const entries = new Map<string, ContentEntry>()
  for (const [path, text] of repo.files) {
    if (!path.startsWith(prefix)) continue
    const [name, ...deeper] = path.slice(prefix.length).split('/')
    const childPath = `${prefix}${name!}`
    if (deeper.length === 0) {
      entries.set(name!, {
        type: 'file',
        name: name!,
        path: childPath,
        sha: blobSha(text),
        size: Buffer.byteLength(text),
        text,
      })
    } else if (!entries.has(name!)) {
      entries.set(name!, { type: 'dir', name: name!, path: childPath, sha: '', size: 0 })
    }
  }
  for (const e of entries.values())
    if (e.type === 'dir') e.sha = derivedSha('tree', String(repo.id), ...treeKeys(repo, e.path))
  return [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function treeKeys(repo: RepoRecord, dir: string): string[] {
  return [...repo.files.entries()]
    .filter(([p]) => p.startsWith(`${dir}/`))
    .map(([p, t]) => `${p}:${blobSha(t)}`)
    .sort()
}

/** Reads the tree of the resolved commit from the bare repository. */
function gitContent(ctx: RouteContext, repo: RepoRecord, ref: string, path: string): Reply {
  const git = repo.git!
  const commit = ctx.store.resolveRef(repo, ref)
  if (!commit) throw notFound(DOCS.getContent)
  const listing = (treeish: string, dir: string): Reply => {
    const entries = git
      .lsTree(treeish)
      .filter((e) => e.type !== 'commit')
      .map((e): ContentEntry => ({
        type: e.type === 'tree' ? 'dir' : 'file',
        name: e.path,
        path: dir === '' ? e.path : `${dir}/${e.path}`,
        sha: e.oid,
        size: e.size,
      }))
    return { status: 200, body: entries.map((e) => contentItem(ctx.api, repo, ref, e)) }
  }
  if (path === '') return listing(commit.sha, '')
  const entry = git.entry(commit.sha, path)
  if (!entry || entry.type === 'commit') throw notFound(DOCS.getContent)
  if (entry.type === 'tree') return listing(entry.oid, path)
  const data = git.blob(entry.oid)
  const file: ContentEntry = {
    type: 'file',
    name: path.split('/').at(-1)!,
    path,
    sha: entry.oid,
    size: data.length,
    data,
  }
  return { status: 200, body: contentItem(ctx.api, repo, ref, file, true) }
}

export function getContent(ctx: RouteContext, repo: RepoRecord, rawPath: string): Reply {
  const doc = DOCS.getContent
  authorizeRepo(
    ctx.store,
    ctx.token,
    repo,
    {
      permission: 'contents',
      access: 'read',
      privateScopes: ['repo'],
      publicScopes: [],
      doc,
    },
    ctx.headers,
  )
  // Widely observed body for a repository without commits.
  if (repo.commits.size === 0)
    throw new ApiError(404, errorBody(404, 'This repository is empty.', doc))
  const ref = ctx.url.searchParams.get('ref')
  if (ref !== null && ref !== '' && !ctx.store.resolveRef(repo, ref))
    throw new ApiError(404, errorBody(404, `No commit found for the ref ${ref}`, doc))
  const branch = ref || repo.defaultBranch
  const path = rawPath.replace(/^\/+|\/+$/g, '')
  if (repo.git) return gitContent(ctx, repo, branch, path)

  if (path === '')
    return {
      status: 200,
      body: children(repo, '').map((e) => contentItem(ctx.api, repo, branch, e)),
    }
  const text = repo.files.get(path)
  if (text !== undefined) {
    const name = path.split('/').at(-1)!
    const entry: ContentEntry = {
      type: 'file',
      name,
      path,
      sha: blobSha(text),
      size: Buffer.byteLength(text),
      text,
    }
    return { status: 200, body: contentItem(ctx.api, repo, branch, entry, true) }
  }
  const listing = children(repo, path)
  if (listing.length === 0) throw notFound(doc)
  return { status: 200, body: listing.map((e) => contentItem(ctx.api, repo, branch, e)) }
}
