// Repository webhooks: list (paginated) and create. Permission first, then the body, as GitHub's
// handler does (control_access before receive_with_schema), so a token without the permission
// never sees a 422.
import { authorizeRepo, type Requirement } from '../access.js'
import type { Reply, RouteContext } from '../context.js'
import { DOCS, parseJsonObject, validationFailed } from '../errors.js'
import { paginate } from '../pagination.js'
import { hook } from '../render.js'
import type { RepoRecord } from '../store.js'

/** GitHub's accepted scopes for hooks: admin:repo_hook, repo, read:repo_hook (GET), write:repo_hook (not DELETE), public_repo (public repos). */
function hookRequirement(repo: RepoRecord, access: 'read' | 'write', doc: string): Requirement {
  const scopes = ['admin:repo_hook', 'repo', 'write:repo_hook']
  if (access === 'read') scopes.push('read:repo_hook')
  const sorted = [...scopes].sort()
  const withPublic = [...scopes, 'public_repo'].sort()
  return {
    permission: 'repository_hooks',
    access,
    privateScopes: sorted,
    publicScopes: withPublic,
    doc,
    acceptedScopesHeader: (repo.private ? sorted : withPublic).join(', '),
    notPublic: true,
  }
}

/** GET /repos/{owner}/{repo}/hooks */
export function listHooks(ctx: RouteContext, repo: RepoRecord): Reply {
  authorizeRepo(
    ctx.store,
    ctx.token,
    repo,
    hookRequirement(repo, 'read', DOCS.listHooks),
    ctx.headers,
  )
  const page = paginate(
    repo.hooks,
    new URL(`${ctx.api}/repositories/${repo.id}/hooks${ctx.url.search}`),
  )
  if (page.link) ctx.headers['link'] = page.link
  return { status: 200, body: page.items.map((h) => hook(ctx.api, repo, h)) }
}

/** POST /repos/{owner}/{repo}/hooks */
export function createHook(ctx: RouteContext, repo: RepoRecord): Reply {
  const doc = DOCS.createHook
  authorizeRepo(ctx.store, ctx.token, repo, hookRequirement(repo, 'write', doc), ctx.headers)
  const input = parseJsonObject(ctx.body, doc)
  const name = input['name'] ?? 'web'
  if (name !== 'web')
    throw validationFailed(doc, [{ resource: 'Hook', code: 'invalid', field: 'name' }])
  const config = input['config']
  const url =
    config && typeof config === 'object' ? (config as Record<string, unknown>)['url'] : undefined
  // Message recalled from GitHub and used by other doubles; not found in GitHub's published docs.
  if (typeof url !== 'string' || url.trim() === '')
    throw validationFailed(doc, [
      { resource: 'Hook', code: 'custom', message: 'Config must contain URL for webhooks' },
    ])
  const cfg = config as Record<string, unknown>
  const contentType = cfg['content_type'] ?? 'form'
  if (contentType !== 'json' && contentType !== 'form')
    throw validationFailed(doc, [
      { resource: 'Hook', code: 'custom', message: 'Config content_type must be json or form' },
    ])
  // Verified message (GitHub answers it when the same URL is registered twice).
  if (repo.hooks.some((h) => h.config.url === url))
    throw validationFailed(doc, [
      { resource: 'Hook', code: 'custom', message: 'Hook already exists on this repository' },
    ])
  const events = Array.isArray(input['events'])
    ? (input['events'] as unknown[]).filter((e): e is string => typeof e === 'string')
    : undefined
  const insecure = cfg['insecure_ssl']
  const record = ctx.store.addHook(repo, {
    url,
    contentType,
    active: input['active'] !== false,
    ...(events ? { events } : {}),
    ...(typeof cfg['secret'] === 'string' ? { secret: cfg['secret'] } : {}),
    ...(insecure === '1' || insecure === 1 ? { insecureSsl: '1' as const } : {}),
  })
  const body = hook(ctx.api, repo, record)
  ctx.headers['location'] = String(body['url'])
  return { status: 201, body }
}
