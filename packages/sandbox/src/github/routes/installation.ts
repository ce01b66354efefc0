// GET /installation/repositories — what an installation token reaches. Only apps may ask.
import { selects } from '../access.js'
import type { Reply, RouteContext } from '../context.js'
import { DOCS, forbidden, requiresAuthentication } from '../errors.js'
import { paginate } from '../pagination.js'
import { repository } from '../render.js'

export function listInstallationRepos(ctx: RouteContext): Reply {
  const doc = DOCS.listInstallationRepos
  const token = ctx.token
  if (!token) throw requiresAuthentication(doc)
  // Verified: a PAT (classic or fine-grained) gets this 403, as GitHub's own handler sets it.
  if (token.kind !== 'installation')
    throw forbidden(
      'You must authenticate with an installation access token in order to list repositories for an installation.',
      doc,
    )
  const repos = [...ctx.store.repos.values()]
    .filter((r) => selects(token, r))
    // GitHub orders by repository id.
    .sort((a, b) => a.id - b.id)
  const page = paginate(repos, new URL(`${ctx.api}/installation/repositories${ctx.url.search}`))
  if (page.link) ctx.headers['link'] = page.link
  return {
    status: 200,
    body: {
      total_count: repos.length,
      repository_selection: token.repositories === 'all' ? 'all' : 'selected',
      repositories: page.items.map((r) => repository(ctx.api, ctx.store, r, token)),
    },
  }
}
