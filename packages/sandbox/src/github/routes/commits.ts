// GET /repos/{owner}/{repo}/commits/{ref}
import { authorizeRepo } from '../access.js'
import type { Reply, RouteContext } from '../context.js'
import { ApiError, DOCS, errorBody, noCommitFound } from '../errors.js'
import { commit } from '../render.js'
import type { RepoRecord } from '../store.js'

export function getCommit(ctx: RouteContext, repo: RepoRecord, ref: string): Reply {
  authorizeRepo(
    ctx.store,
    ctx.token,
    repo,
    {
      permission: 'contents',
      access: 'read',
      privateScopes: ['repo'],
      publicScopes: [],
      doc: DOCS.getCommit,
    },
    ctx.headers,
  )
  if (repo.commits.size === 0)
    throw new ApiError(409, errorBody(409, 'Git Repository is empty.', DOCS.getCommit))
  const found = ctx.store.resolveRef(repo, ref)
  if (!found) throw noCommitFound(ref, DOCS.getCommit)
  return { status: 200, body: commit(ctx.api, ctx.store, repo, found) }
}
