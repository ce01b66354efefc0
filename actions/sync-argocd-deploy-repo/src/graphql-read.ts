import { isObject, UserError } from '@argocd-actions/core'
import {
  objectId,
  serializeTree,
  type GitObject,
  type ObjectSource,
  type ObjectStore,
  type TreeEntry,
} from '@argocd-actions/git'
import type { SyncInputs } from './inputs.js'
import { releaseBranch } from './names.js'
import type { GraphqlOperation } from './graphql-request.js'

/**
 * The GraphQL transport's read: one query for the branch tip, its root tree, every tree on the
 * path to the app directory, the app directory's trees below it (NESTED_LEVELS deep) and the
 * text of the files a release reads (config.yaml, the file an image bump edits). The trees are
 * put into the same ObjectStore the git transport fills, as git objects whose ids are checked
 * against the ids GitHub gave, so the release is computed by the same code (sync.ts planRelease).
 */

/** Directory levels below the app directory read in the first query; deeper ones cost a request each. */
export const NESTED_LEVELS = 4

/** What one query says about the branch. */
export interface ReleaseRead {
  tip: string
  /** The tip commit's message and signature (to tell a commit of ours whose answer was lost). */
  tipMessage: string
  tipVerified: boolean
  rootTree: string
  /** Pull-request mode: the release branch's tip (undefined: no such branch). */
  releaseTip?: string
  /** Pull-request mode: that tip's message, first parent and signature (a lost answer's commit). */
  releaseCommit?: { message: string; parent?: string; verified: boolean }
}

type Query = (op: GraphqlOperation) => Promise<Record<string, unknown>>

const ENTRY = 'fragment E on TreeEntry { name type mode oid }'
const LEVEL = 'fragment L on Tree { oid entries { ...E } }'
const BLOB = 'fragment B on Blob { oid text isBinary }'

/** The app directory's trees, `levels` deep (a TreeEntry's object, when it is a Tree). */
function nested(levels: number): string {
  let inner = '...E'
  for (let k = 0; k < levels; k++)
    inner = `...E object { ... on Tree { oid entries { ${inner} } } }`
  return `fragment App on Tree { oid entries { ${inner} } }`
}

const segmentsOf = (i: SyncInputs) => `${i.path}/${i.namespace}/${i.application}`.split('/')

/** The query and its variables (values travel as variables, never spliced into the document). */
export function releaseQuery(i: SyncInputs): GraphqlOperation {
  const ref = `refs/heads/${i.branch}`
  const segments = segmentsOf(i)
  const at = (path: string) => `${ref}:${path}`
  const appPath = segments.join('/')
  const vars: Record<string, unknown> = {
    owner: i.repository.owner,
    name: i.repository.repo,
    branch: ref,
  }
  const fields: string[] = [
    'ref(qualifiedName: $branch) { target { oid ... on Commit { message signature { isValid } tree { ...L } } } }',
  ]
  if (i.mode === 'pull-request') {
    vars.release = `refs/heads/${releaseBranch(i)}`
    fields.push(
      'release: ref(qualifiedName: $release) { target { oid ... on Commit { message signature { isValid } parents(first: 1) { nodes { oid } } } } }',
    )
  }
  segments.forEach((_, k) => {
    vars[`p${k + 1}`] = at(segments.slice(0, k + 1).join('/'))
    fields.push(
      `p${k + 1}: object(expression: $p${k + 1}) { ...${k + 1 === segments.length ? 'App' : 'L'} }`,
    )
  })
  const files = ['config.yaml', ...(i.bump ? [i.bump.update.file] : [])]
  files.forEach((file, k) => {
    vars[`f${k}`] = at(`${appPath}/${file}`)
    fields.push(`f${k}: object(expression: $f${k}) { ...B }`)
  })
  const declared = Object.keys(vars)
    .map((v) => `$${v}: String!`)
    .join(', ')
  return {
    name: 'ArgocdReleaseRead',
    query: [
      `query ArgocdReleaseRead(${declared}) {`,
      '  repository(owner: $owner, name: $name) {',
      ...fields.map((f) => `    ${f}`),
      '  }',
      '}',
      ENTRY,
      LEVEL,
      BLOB,
      nested(NESTED_LEVELS),
    ].join('\n'),
    variables: vars,
    what: `read ${appPath} of ${i.repository.owner}/${i.repository.repo}@${i.branch} (GraphQL)`,
    permission: 'contents=read',
  }
}

/** A GraphQL answer we cannot use: named, never guessed around. */
function unreadable(i: SyncInputs, what: string): UserError {
  return new UserError(
    `read of ${i.repository.owner}/${i.repository.repo}@${i.branch} through GitHub's GraphQL API: an unexpected answer (${what}); nothing was committed. Run the job again; if it persists, check what stands between the runner and the API (or use transport: git).`,
  )
}

const OID = /^[0-9a-f]{40}$/

/** TreeEntry.mode is the octal mode as a decimal Int (33188 is 100644). */
const gitMode = (mode: unknown) =>
  Number.isSafeInteger(mode) && (mode as number) > 0 ? (mode as number).toString(8) : undefined

/** A tree's entries from GraphQL, checked and loaded into the store; returns its listing. */
function loadTree(objects: ObjectStore, i: SyncInputs, tree: unknown, where: string): TreeEntry[] {
  if (!isObject(tree) || typeof tree.oid !== 'string' || !OID.test(tree.oid))
    throw unreadable(i, `the tree of ${where} came without its oid`)
  if (!Array.isArray(tree.entries)) throw unreadable(i, `the tree of ${where} came without entries`)
  const entries: TreeEntry[] = tree.entries.map((e: unknown) => {
    const mode = isObject(e) ? gitMode(e.mode) : undefined
    if (
      !isObject(e) ||
      typeof e.name !== 'string' ||
      !mode ||
      !['blob', 'tree', 'commit'].includes(e.type as string) ||
      typeof e.oid !== 'string' ||
      !OID.test(e.oid)
    )
      throw unreadable(i, `an entry of ${where} is not a tree entry (name, type, mode, oid)`)
    return { name: e.name, type: e.type as TreeEntry['type'], mode, sha: e.oid }
  })
  // The listing must be the tree GitHub named: the same object id, byte for byte.
  const oid = objects.add('tree', serializeTree(entries))
  if (oid !== tree.oid)
    throw unreadable(
      i,
      `the entries of ${where} do not make the tree ${tree.oid} (a name git cannot round-trip through the API, or an answer that is not the repository's)`,
    )
  for (const [k, e] of tree.entries.entries()) {
    const object = (e as Record<string, unknown>).object
    if (entries[k].type === 'tree' && isObject(object) && 'entries' in object)
      loadTree(objects, i, object, `${where}/${entries[k].name}`)
  }
  return entries
}

/** A file's text, kept when it is exactly the blob GitHub named (not binary, not truncated). */
function loadBlob(objects: ObjectStore, blob: unknown): void {
  if (!isObject(blob) || typeof blob.text !== 'string' || blob.isBinary === true) return
  const data = Buffer.from(blob.text, 'utf8')
  if (objectId('blob', data) === blob.oid) objects.add('blob', data)
}

/**
 * Runs the read and loads what it says into `objects`. The path's trees come from separate
 * fields of one query, so they are checked to be the tip's: each level's oid is the entry its
 * parent lists. A mismatch (the branch moved while GitHub answered) reads again.
 */
export async function readRelease(
  query: Query,
  objects: ObjectStore,
  i: SyncInputs,
): Promise<ReleaseRead> {
  const data = await query(releaseQuery(i))
  const repository = data.repository
  if (!isObject(repository)) throw unreadable(i, 'the answer has no repository')
  if (repository.ref === null)
    throw new UserError(
      `${i.repository.owner}/${i.repository.repo} has no branch '${i.branch}': check 'branch' (e.g. main).`,
    )
  const target = isObject(repository.ref) ? repository.ref.target : undefined
  if (!isObject(target) || typeof target.oid !== 'string' || !OID.test(target.oid))
    throw unreadable(i, `the branch's tip came without its oid`)
  if (typeof target.message !== 'string' || !isObject(target.tree))
    throw unreadable(i, `the branch's tip is not a commit with a tree`)
  const tip = target.oid
  const rootTree = target.tree.oid as string
  let listing: TreeEntry[] = loadTree(objects, i, target.tree, 'the root')
  const segments = segmentsOf(i)
  for (let k = 0; k < segments.length; k++) {
    const level = repository[`p${k + 1}`]
    const entry = listing.find((e) => e.name === segments[k])
    const where = segments.slice(0, k + 1).join('/')
    if (entry?.type !== 'tree') {
      // Absent, or a file: nothing below may be a tree (the release code says what it is).
      if (isObject(level) && 'entries' in level) throw new ReadMoved(where)
      break
    }
    if (!isObject(level) || level.oid !== entry.sha) throw new ReadMoved(where)
    listing = loadTree(objects, i, level, where)
  }
  const files = ['config.yaml', ...(i.bump ? [i.bump.update.file] : [])]
  files.forEach((_, k) => loadBlob(objects, repository[`f${k}`]))
  let releaseTip: string | undefined
  let releaseCommit: ReleaseRead['releaseCommit']
  if (i.mode === 'pull-request') {
    const release = repository.release
    if (release !== null) {
      const commit = isObject(release) && isObject(release.target) ? release.target : undefined
      const oid = commit?.oid
      if (typeof oid !== 'string' || !OID.test(oid) || typeof commit?.message !== 'string')
        throw unreadable(i, 'the release branch came without its tip')
      releaseTip = oid
      const parents = isObject(commit.parents) ? commit.parents.nodes : undefined
      const first = Array.isArray(parents) && isObject(parents[0]) ? parents[0].oid : undefined
      releaseCommit = {
        message: commit.message,
        ...(typeof first === 'string' ? { parent: first } : {}),
        verified: isObject(commit.signature) && commit.signature.isValid === true,
      }
    }
  }
  const signature = target.signature
  return {
    tip,
    tipMessage: target.message,
    tipVerified: isObject(signature) && signature.isValid === true,
    rootTree,
    releaseTip,
    releaseCommit,
  }
}

/** The trees of one read are not all the tip's: the branch moved while GitHub answered. */
export class ReadMoved extends Error {
  constructor(readonly where: string) {
    super(`the branch moved while ${where} was read`)
    this.name = 'ReadMoved'
  }
}

/**
 * Objects the first query did not bring (a tree deeper than NESTED_LEVELS, a file a dry run's
 * diff shows, a config.yaml above the app), read by oid in one more query.
 */
export function graphqlObjects(
  query: Query,
  i: SyncInputs,
  objects: () => ObjectStore,
): ObjectSource {
  return {
    async fetch(oids) {
      const vars: Record<string, string> = { owner: i.repository.owner, name: i.repository.repo }
      oids.forEach((oid, k) => (vars[`o${k}`] = oid))
      const data = await query({
        name: 'ArgocdReleaseObjects',
        query: [
          `query ArgocdReleaseObjects(${Object.keys(vars)
            .map((v) => `$${v}: String!`)
            .join(', ')}) {`,
          '  repository(owner: $owner, name: $name) {',
          ...oids.map((_, k) => `    o${k}: object(expression: $o${k}) { __typename ...L ...B }`),
          '  }',
          '}',
          ENTRY,
          LEVEL,
          BLOB,
        ].join('\n'),
        variables: vars,
        what: `read ${oids.length} object(s) of ${i.repository.owner}/${i.repository.repo} (GraphQL)`,
        permission: 'contents=read',
      })
      const repository = isObject(data.repository) ? data.repository : {}
      const found = new Map<string, GitObject>()
      oids.forEach((oid, k) => {
        const object = repository[`o${k}`]
        if (!isObject(object)) throw unreadable(i, `object ${oid} was not in the answer`)
        if (object.__typename === 'Tree') {
          loadTree(objects(), i, object, oid)
          found.set(oid, objects().get(oid)!)
        } else if (object.__typename === 'Blob') {
          loadBlob(objects(), object)
          const blob = objects().get(oid)
          if (!blob)
            throw new UserError(
              `${oid} in ${i.repository.owner}/${i.repository.repo} is a binary or large file whose content GitHub's GraphQL API does not give as text: use transport: git for this release.`,
            )
          found.set(oid, blob)
        } else
          throw unreadable(i, `object ${oid} is a ${String(object.__typename)}, not a tree or file`)
      })
      return { objects: found, shallow: [] }
    },
  }
}
