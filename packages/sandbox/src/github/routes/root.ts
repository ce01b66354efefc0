// GET / — the API index; anonymous callers are welcome, as on GitHub.
import type { Reply, RouteContext } from '../context.js'
import { apiRoot } from '../render.js'

export function getRoot(ctx: RouteContext): Reply {
  return { status: 200, body: apiRoot(ctx.api) }
}
