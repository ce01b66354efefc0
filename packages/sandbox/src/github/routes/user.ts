// GET /user — the account behind a personal access token. Apps have no user.
// GET /user/repos — the repositories the token's user can reach through this token.
import { selects } from '../access.js'
import type { Reply, RouteContext } from '../context.js'
import { DOCS, forbidden, requiresAuthentication, unprocessable } from '../errors.js'
import { paginate } from '../pagination.js'
import { privateUser, repository } from '../render.js'
import type { RepoRecord } from '../store.js'

export function getAuthenticatedUser(ctx: RouteContext): Reply {
  const token = ctx.token
  if (!token) throw requiresAuthentication(DOCS.getUser)
  if (token.kind === 'installation' || !token.login) {
    throw forbidden('Resource not accessible by integration', DOCS.getUser)
  }
  return { status: 200, body: privateUser(ctx.api, ctx.store.account(token.login)) }
}

const VISIBILITIES = ['all', 'public', 'private']

/**
 * The sandbox's user "can see" every repository, so a classic token lists all public repos and,
 * with `repo`, all private ones too, minus private repos of orgs whose policies refuse the token
 * (classic PATs forbidden, SSO not authorised: GitHub then sends X-GitHub-SSO: partial-results).
 * A fine-grained token lists the repositories it was granted. Apps have no user: 403.
 */
export function listUserRepos(ctx: RouteContext): Reply {
  const doc = DOCS.listUserRepos
  const token = ctx.token
  if (!token) throw requiresAuthentication(doc)
  if (token.kind === 'installation' || !token.login)
    throw forbidden('Resource not accessible by integration', doc)

  const q = ctx.url.searchParams
  if (q.has('type') && (q.has('visibility') || q.has('affiliation')))
    throw unprocessable('If you specify visibility or affiliation, you cannot specify type.', doc)
  const visibility = q.get('visibility') ?? (q.get('type') === 'private' ? 'private' : 'all')
  const type = q.get('type')
  const wanted = VISIBILITIES.includes(visibility) ? visibility : 'all'

  const ssoFiltered = new Set<number>()
  const visible = (repo: RepoRecord): boolean => {
    if (token.kind === 'fine-grained') return selects(token, repo)
    if (!repo.private) return true
    if (!token.effectiveScopes.has('repo')) return false
    const org = ctx.store.org(repo.owner)
    if (org?.forbidsClassicPats) return false
    if (org?.ssoRequired && !token.ssoAuthorizedOrgs.has(org.login.toLowerCase())) {
      ssoFiltered.add(org.id)
      return false
    }
    return true
  }
  const repos = [...ctx.store.repos.values()]
    .filter(visible)
    .filter((r) => wanted === 'all' || (wanted === 'private') === r.private)
    .filter((r) => type !== 'public' || !r.private)
    .filter((r) => type !== 'owner' || r.owner.toLowerCase() === token.login!.toLowerCase())
    .sort((a, b) => a.fullName.toLowerCase().localeCompare(b.fullName.toLowerCase()))
  if (ssoFiltered.size > 0)
    ctx.headers['x-github-sso'] = `partial-results; organizations=${[...ssoFiltered].join(',')}`
  const page = paginate(repos, new URL(`${ctx.api}/user/repos${ctx.url.search}`))
  if (page.link) ctx.headers['link'] = page.link
  return {
    status: 200,
    body: page.items.map((r) => repository(ctx.api, ctx.store, r, token)),
  }
}
