// POST /repos/{owner}/{repo}/git/refs — in GitHub's order (its Api::GitRefs handler): the body's
// schema and the sha's format are checked BEFORE access control, so a malformed body is a 422
// even for a token without access; a well-formed body with an unknown sha is 403/404 without
// the permission and 422 "Object does not exist" with it.
import { authorizeRepo } from '../access.js'
import type { Reply, RouteContext } from '../context.js'
import {
  ApiError,
  DOCS,
  errorBody,
  parseJsonObject,
  requireStrings,
  unprocessable,
} from '../errors.js'
import { ZERO_SHA } from '../git.js'
import { gitRef } from '../render.js'
import type { RepoRecord } from '../store.js'

/** A simplified `git check-ref-format`. */
function validRefName(ref: string): boolean {
  if (ref === '@' || ref.endsWith('/') || ref.endsWith('.') || ref.endsWith('.lock')) return false
  // eslint-disable-next-line no-control-regex -- git refuses control characters in ref names
  if (/[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\//.test(ref)) return false
  return ref.split('/').every((c) => c !== '' && !c.startsWith('.') && !c.endsWith('.lock'))
}

export function createRef(ctx: RouteContext, repo: RepoRecord): Reply {
  const doc = DOCS.createRef
  const input = parseJsonObject(ctx.body, doc)
  const { ref, sha } = requireStrings(input, ['ref', 'sha'], doc)
  if (!/^[0-9a-f]{40}$/.test(sha!))
    throw unprocessable(
      'The sha parameter must be exactly 40 characters and contain only [0-9a-f].',
      doc,
    )

  authorizeRepo(
    ctx.store,
    ctx.token,
    repo,
    {
      permission: 'contents',
      access: 'write',
      privateScopes: ['repo'],
      publicScopes: ['public_repo', 'repo'],
      doc,
      acceptedScopesHeader: 'repo',
    },
    ctx.headers,
  )
  if (repo.commits.size === 0)
    throw new ApiError(409, errorBody(409, 'Git Repository is empty.', doc))

  const name = ref!
  if (!validRefName(name)) throw unprocessable(`${name} is not a valid ref name.`, doc)
  if (!name.startsWith('refs/')) throw unprocessable("Reference name must start with 'refs/'.", doc)
  if (!/^refs\/[^/]+\/[^/]/.test(name))
    throw unprocessable(
      'Reference name must contain at least three slash-separated components.',
      doc,
    )
  if (/^refs\/pull(\/|$)/.test(name)) throw unprocessable('refs/pull/* is read-only.', doc)
  if (/^refs\/__gh__(\/|$)/.test(name))
    throw unprocessable('refs/__gh__/* is reserved for internal use.', doc)
  if (!repo.commits.has(sha!)) throw unprocessable('Object does not exist', doc)
  if (ctx.store.refs(repo).has(name)) throw unprocessable('Reference already exists', doc)

  if (repo.git) {
    // Git-backed: the bare repository is the truth; the model follows it.
    if (!repo.git.updateRef(name, sha!, ZERO_SHA))
      throw unprocessable('Reference already exists', doc)
    const token = ctx.token
    const pusher = token?.kind === 'installation' ? `${token.appSlug}[bot]` : token?.login
    ctx.store.syncFromGit(repo, 'api', pusher)
  } else ctx.store.createRef(repo, name, sha!)
  const body = gitRef(ctx.api, repo, name, sha!)
  ctx.headers['location'] = String(body['url'])
  return { status: 201, body }
}

// PATCH /repos/{owner}/{repo}/git/refs/{ref} (ref without 'refs/', e.g. heads/main): moves a
// branch; not a fast-forward only with `force: true` (422 "Update is not a fast forward").
export function updateRef(ctx: RouteContext, repo: RepoRecord, ref: string): Reply {
  const doc = DOCS.updateRef
  const input = parseJsonObject(ctx.body, doc)
  const { sha } = requireStrings(input, ['sha'], doc)
  if (!/^[0-9a-f]{40}$/.test(sha!))
    throw unprocessable(
      'The sha parameter must be exactly 40 characters and contain only [0-9a-f].',
      doc,
    )
  authorizeRepo(
    ctx.store,
    ctx.token,
    repo,
    {
      permission: 'contents',
      access: 'write',
      privateScopes: ['repo'],
      publicScopes: ['public_repo', 'repo'],
      doc,
      acceptedScopesHeader: 'repo',
    },
    ctx.headers,
  )
  const name = `refs/${ref}`
  const current = ctx.store.refs(repo).get(name)
  if (current === undefined) throw unprocessable('Reference does not exist', doc)
  if (!repo.commits.has(sha!)) throw unprocessable('Object does not exist', doc)
  if (!repo.git) throw unprocessable('The sandbox moves refs of git-backed repositories only', doc)
  if (input['force'] !== true && !repo.git.isAncestor(current, sha!))
    throw unprocessable('Update is not a fast forward', doc)
  if (!repo.git.updateRef(name, sha!, current))
    throw unprocessable('Reference cannot be updated', doc)
  const token = ctx.token
  const pusher = token?.kind === 'installation' ? `${token.appSlug}[bot]` : token?.login
  ctx.store.syncFromGit(repo, 'api', pusher)
  return { status: 200, body: gitRef(ctx.api, repo, name, sha!) }
}
