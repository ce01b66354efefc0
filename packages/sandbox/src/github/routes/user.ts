// GET /user — the account behind a personal access token. Apps have no user.
import type { Reply, RouteContext } from '../context.js'
import { DOCS, forbidden, requiresAuthentication } from '../errors.js'
import { privateUser } from '../render.js'

export function getAuthenticatedUser(ctx: RouteContext): Reply {
  const token = ctx.token
  if (!token) throw requiresAuthentication(DOCS.getUser)
  if (token.kind === 'installation' || !token.login) {
    throw forbidden('Resource not accessible by integration', DOCS.getUser)
  }
  return { status: 200, body: privateUser(ctx.api, ctx.store.account(token.login)) }
}
