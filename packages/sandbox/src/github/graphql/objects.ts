// The GraphQL objects the sandbox executes, read from the same bare repositories git serves.
// Each object is a plain record whose keys are the schema's field names (values, or functions
// of the field's arguments); a field without a key is an error "not modelled by the sandbox"
// (see resolve.ts), never a silent null.
import type { GitCommit, TreeEntry } from '../git.js'
import { legacyNodeId } from '../ids.js'
import type { RepoRecord, Store } from '../store.js'
import type { TokenRecord } from '../tokens.js'
import { requireContents } from './access.js'

/** What every resolver of one request shares: who asks, and what was already read from git. */
export interface GraphqlContext {
  store: Store
  token: TokenRecord
  /** REST base (http://127.0.0.1:port), for the `url` fields. */
  api: string
  /** Tree oid -> its entries (names only). */
  trees: Map<string, TreeEntry[]>
  /** Blob oid -> bytes, filled a whole directory at a time. */
  blobs: Map<string, Buffer>
}

export type GqlObject = { __typename: string } & Record<string, unknown>

const HTML = 'https://github.com'
/** GitHub truncates Blob.text at 512,000 bytes and says so in isTruncated (observed). */
export const BLOB_TEXT_LIMIT = 512_000
/** git's own test: a NUL byte in the first 8000 bytes makes a file binary. */
const isBinary = (data: Buffer): boolean => data.subarray(0, 8000).includes(0)

export function repositoryObject(ctx: GraphqlContext, repo: RepoRecord): GqlObject {
  return {
    __typename: 'Repository',
    id: legacyNodeId('Repository', repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: repo.fullName,
    isPrivate: repo.private,
    url: `${HTML}/${repo.fullName}`,
    defaultBranchRef: () => {
      requireContents(ctx.store, ctx.token, repo, 'read', 'defaultBranchRef')
      return refObject(ctx, repo, `refs/heads/${repo.defaultBranch}`)
    },
    /** GitHub takes a qualified name or a bare branch (then tag) name; unknown: null. */
    ref: ({ qualifiedName }: { qualifiedName: string }) => {
      requireContents(ctx.store, ctx.token, repo, 'read', 'ref')
      const candidates = qualifiedName.startsWith('refs/')
        ? [qualifiedName]
        : [`refs/heads/${qualifiedName}`, `refs/tags/${qualifiedName}`]
      for (const name of candidates) {
        const found = refObject(ctx, repo, name)
        if (found) return found
      }
      return null
    },
    object: ({ expression, oid }: { expression?: string | null; oid?: string | null }) => {
      requireContents(ctx.store, ctx.token, repo, 'read', 'object')
      const wanted = oid ?? expression
      if (!wanted || !repo.git) return null
      const found = repo.git.resolveObject(wanted)
      if (!found) return null
      // "<rev>:<path>" names an object at a path: its entries' paths continue from there.
      const colon = oid ? -1 : wanted.indexOf(':')
      const path = colon < 0 ? undefined : wanted.slice(colon + 1).replace(/\/+$/, '')
      return gitObject(ctx, repo, found.oid, found.type, path)
    },
  }
}

/** A ref by its qualified name, or null when it does not exist. */
export function refObject(
  ctx: GraphqlContext,
  repo: RepoRecord,
  qualified: string,
): GqlObject | null {
  const sha = repo.git?.revParse(qualified)
  if (!sha || !/^refs\/(heads|tags)\/./.test(qualified)) return null
  const prefix = qualified.startsWith('refs/heads/') ? 'refs/heads/' : 'refs/tags/'
  return {
    __typename: 'Ref',
    id: refNodeId(repo, qualified),
    name: qualified.slice(prefix.length),
    prefix,
    target: () => gitObject(ctx, repo, sha, 'commit'),
    repository: () => repositoryObject(ctx, repo),
  }
}

/** A Ref's node id; `parseRefNodeId` reads it back (CommittableBranch.id). */
export function refNodeId(repo: RepoRecord, qualified: string): string {
  return `REF_${Buffer.from(`${repo.id}:${qualified}`).toString('base64url')}`
}

export function parseRefNodeId(id: string): { repoId: number; qualified: string } | undefined {
  const m = /^REF_([A-Za-z0-9_-]+)$/.exec(id)
  if (!m) return undefined
  const decoded = /^(\d+):(refs\/heads\/.+)$/.exec(Buffer.from(m[1]!, 'base64url').toString())
  return decoded ? { repoId: Number(decoded[1]), qualified: decoded[2]! } : undefined
}

/** A git object by type; `path` is where it sits in the tree (for TreeEntry.path), if known. */
export function gitObject(
  ctx: GraphqlContext,
  repo: RepoRecord,
  oid: string,
  type: string,
  path?: string,
): GqlObject | null {
  switch (type) {
    case 'commit': {
      const c = repo.commits.get(oid)?.git ?? repo.git?.commitInfo(oid)
      return c ? commitObject(ctx, repo, c) : null
    }
    case 'tree':
      return treeObject(ctx, repo, oid, path)
    case 'blob':
      return blobObject(ctx, repo, oid, undefined, [])
    default:
      // Annotated tags and anything else: outside the subset (an error, not null).
      return { __typename: type === 'tag' ? 'Tag' : 'Blob' }
  }
}

function common(repo: RepoRecord, type: string, oid: string): Record<string, unknown> {
  return {
    oid,
    abbreviatedOid: oid.slice(0, 7),
    id: legacyNodeId(type, `${repo.id}:${oid}`),
    commitUrl: `${HTML}/${repo.fullName}/commit/${oid}`,
    commitResourcePath: `/${repo.fullName}/commit/${oid}`,
  }
}

function actor(who: GitCommit['author']): GqlObject {
  return { __typename: 'GitActor', name: who.name, email: who.email, date: who.date }
}

function commitObject(ctx: GraphqlContext, repo: RepoRecord, c: GitCommit): GqlObject {
  const [headline, ...rest] = c.message.split('\n')
  const signed = repo.signatures.get(c.sha)
  return {
    __typename: 'Commit',
    ...common(repo, 'Commit', c.sha),
    url: `${HTML}/${repo.fullName}/commit/${c.sha}`,
    message: c.message,
    messageHeadline: headline ?? '',
    messageBody: rest.join('\n').replace(/^\n+/, ''),
    author: actor(c.author),
    committer: actor(c.committer),
    authoredDate: c.author.date,
    committedDate: c.committer.date,
    committedViaWeb: signed !== undefined,
    authoredByCommitter: c.author.name === c.committer.name && c.author.email === c.committer.email,
    tree: () => treeObject(ctx, repo, c.tree, ''),
    parents: () => ({
      __typename: 'CommitConnection',
      totalCount: c.parents.length,
      nodes: c.parents.map((p) => gitObject(ctx, repo, p, 'commit')),
    }),
    file: ({ path }: { path: string }) => {
      const clean = path.replace(/^\/+|\/+$/g, '')
      const e = clean ? repo.git?.entry(c.sha, clean) : undefined
      if (!e) return null
      const slash = clean.lastIndexOf('/')
      const dir = slash < 0 ? '' : clean.slice(0, slash)
      return treeEntryObject(ctx, repo, { ...e, path: clean.slice(slash + 1) }, dir, [e])
    },
    signature: signed
      ? {
          // The web-flow key's signature: valid, and GitHub's own.
          __typename: 'GpgSignature',
          isValid: true,
          state: 'VALID',
          wasSignedByGitHub: true,
          email: 'noreply@github.com',
          keyId: 'B5690EEEBB952194',
          signature: signed.signature,
          payload: signed.payload,
          signer: null,
        }
      : null,
    repository: () => repositoryObject(ctx, repo),
  }
}

function treeObject(ctx: GraphqlContext, repo: RepoRecord, oid: string, path?: string): GqlObject {
  return {
    __typename: 'Tree',
    ...common(repo, 'Tree', oid),
    entries: () => {
      // One level per tree: a root tree's whole listing would cost the size of the repository.
      let entries = ctx.trees.get(oid)
      if (!entries) ctx.trees.set(oid, (entries = repo.git!.lsTree(oid)))
      return entries.map((e) => treeEntryObject(ctx, repo, e, path, entries))
    },
    repository: () => repositoryObject(ctx, repo),
  }
}

function treeEntryObject(
  ctx: GraphqlContext,
  repo: RepoRecord,
  e: TreeEntry,
  dir: string | undefined,
  siblings: TreeEntry[],
): GqlObject {
  const full = dir === undefined ? undefined : dir ? `${dir}/${e.path}` : e.path
  const dot = e.path.lastIndexOf('.')
  return {
    __typename: 'TreeEntry',
    name: e.path,
    nameRaw: Buffer.from(e.path).toString('base64'),
    path: full ?? null,
    pathRaw: full === undefined ? null : Buffer.from(full).toString('base64'),
    // GraphQL gives git's octal modes as decimal numbers (100644 -> 33188).
    mode: Number.parseInt(e.mode, 8),
    type: e.type,
    oid: e.oid,
    size: e.type === 'blob' ? e.size : 0,
    extension: e.type === 'blob' && dot > 0 ? e.path.slice(dot) : null,
    object: () => {
      if (e.type === 'tree') return treeObject(ctx, repo, e.oid, full)
      if (e.type === 'blob') return blobObject(ctx, repo, e.oid, e.size, siblings)
      return null // a submodule's commit is not in this repository
    },
    repository: () => repositoryObject(ctx, repo),
  }
}

/** A blob; its bytes are read with its siblings' in one process the first time one is asked. */
function blobObject(
  ctx: GraphqlContext,
  repo: RepoRecord,
  oid: string,
  size: number | undefined,
  siblings: TreeEntry[],
): GqlObject {
  const data = (): Buffer => {
    let bytes = ctx.blobs.get(oid)
    if (!bytes) {
      const oids = [oid, ...siblings.filter((s) => s.type === 'blob').map((s) => s.oid)]
      for (const [o, b] of repo.git!.blobs(oids)) ctx.blobs.set(o, b)
      bytes = ctx.blobs.get(oid) ?? Buffer.alloc(0)
    }
    return bytes
  }
  return {
    __typename: 'Blob',
    ...common(repo, 'Blob', oid),
    byteSize: () => size ?? data().length,
    isBinary: () => isBinary(data()),
    isTruncated: () => data().length > BLOB_TEXT_LIMIT,
    text: () => {
      const bytes = data()
      if (isBinary(bytes)) return null
      return bytes.subarray(0, BLOB_TEXT_LIMIT).toString('utf8')
    },
    repository: () => repositoryObject(ctx, repo),
  }
}
