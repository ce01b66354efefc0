// GET /repos/{owner}/{repo}
import { authorizeRepo } from '../access.js'
import type { Reply, RouteContext } from '../context.js'
import { DOCS } from '../errors.js'
import { fullRepository } from '../render.js'
import type { RepoRecord } from '../store.js'

export function getRepository(ctx: RouteContext, repo: RepoRecord): Reply {
  authorizeRepo(
    ctx.store,
    ctx.token,
    repo,
    {
      permission: 'metadata',
      access: 'read',
      privateScopes: ['repo'],
      publicScopes: [],
      doc: DOCS.getRepo,
    },
    ctx.headers,
  )
  return { status: 200, body: fullRepository(ctx.api, ctx.store, repo, ctx.token) }
}
