// A loopback double of the GitLab REST API v4, limited to what a token auditor asks:
// GET /personal_access_tokens/self and /personal_access_tokens/self/associations (GitLab 17.4+).
// Bodies follow docs.gitlab.com/api/personal_access_tokens; 401 bodies follow GitLab's API guard
// (lib/gitlab/auth + Rack::OAuth2 Bearer errors).
import { randomBytes } from 'node:crypto'
import { randomAlnum } from '../github/ids.js'
import type { RecordedRequest } from '../github/types.js'
import { startLoopback, type Incoming, type Outgoing } from '../loopback.js'
import type { GitLabSandbox, GitLabTokenSpec } from './types.js'
import { doubleControls } from '../serve.js'

export interface GitLabSandboxOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string
}

interface TokenRecord {
  id: number
  value: string
  name: string
  description: string | null
  scopes: string[]
  expiresAt: string | null
  revoked: boolean
  active: boolean | undefined
  projects: string[]
  groups: string[]
  accessLevel: number
  userId: number
  createdAt: string
  lastUsedAt: string | null
}

const UNAUTHORIZED: Outgoing = { status: 401, body: { message: '401 Unauthorized' } }

/** Rack::OAuth2's Bearer 401: body plus WWW-Authenticate. */
function invalidToken(description: string): Outgoing {
  return {
    status: 401,
    body: { error: 'invalid_token', error_description: description },
    headers: {
      'www-authenticate': `Bearer realm="", error="invalid_token", error_description="${description}"`,
    },
  }
}

const today = (): string => new Date().toISOString().slice(0, 10)

function positiveInt(raw: string | null, fallback: number): number {
  const n = raw === null ? NaN : Number.parseInt(raw, 10)
  return Number.isFinite(n) && n >= 1 ? n : fallback
}

export async function startGitLabSandbox(opts: GitLabSandboxOptions = {}): Promise<GitLabSandbox> {
  const tokens = new Map<string, TokenRecord>()
  let nextTokenId = 1
  // Groups and projects get stable ids on first mention.
  const ids = new Map<string, number>()
  let nextNamespaceId = 100
  const idOf = (kind: 'group' | 'project', path: string): number => {
    const key = `${kind}:${path.toLowerCase()}`
    let id = ids.get(key)
    if (id === undefined) {
      id = nextNamespaceId++
      ids.set(key, id)
    }
    return id
  }
  let base = ''

  function tokenFrom(headers: Record<string, string>): string | undefined {
    const priv = headers['private-token']
    if (priv) return priv.trim()
    const auth = headers['authorization']
    const m = auth ? /^Bearer\s+(.+)$/i.exec(auth.trim()) : null
    return m ? m[1]!.trim() : undefined
  }

  /** The token, or the 401 GitLab answers. */
  function authenticate(req: Incoming): TokenRecord | Outgoing {
    const value = tokenFrom(req.headers)
    if (value === undefined) return UNAUTHORIZED
    const t = tokens.get(value)
    if (!t) return UNAUTHORIZED
    if (t.revoked) return invalidToken('Token was revoked. You have to re-authorize from the user.')
    if (t.expiresAt !== null && t.expiresAt <= today())
      return invalidToken('Token is expired. You can either do re-authorization or token refresh.')
    if (t.active === false) return UNAUTHORIZED
    return t
  }

  const isActive = (t: TokenRecord): boolean =>
    t.active ?? (!t.revoked && (t.expiresAt === null || t.expiresAt > today()))

  function self(t: TokenRecord): Record<string, unknown> {
    return {
      id: t.id,
      name: t.name,
      revoked: t.revoked,
      created_at: t.createdAt,
      description: t.description,
      scopes: t.scopes,
      user_id: t.userId,
      last_used_at: t.lastUsedAt,
      active: isActive(t),
      expires_at: t.expiresAt,
    }
  }

  function group(t: TokenRecord, path: string): Record<string, unknown> {
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : null
    return {
      id: idOf('group', path),
      web_url: `${base}/groups/${path}`,
      name: path.split('/').at(-1),
      parent_id: parent ? idOf('group', parent) : null,
      organization_id: 1,
      access_levels: t.accessLevel,
      visibility: 'private',
    }
  }

  function project(t: TokenRecord, path: string, direct: boolean): Record<string, unknown> {
    const namespace = path.slice(0, path.lastIndexOf('/'))
    const name = path.split('/').at(-1)!
    const viaGroup = t.groups.some((g) => namespace === g || namespace.startsWith(`${g}/`))
    const nsParent = namespace.includes('/') ? namespace.slice(0, namespace.lastIndexOf('/')) : null
    return {
      id: idOf('project', path),
      description: null,
      name,
      name_with_namespace: path.split('/').join(' / '),
      path: name,
      path_with_namespace: path,
      created_at: t.createdAt,
      access_levels: {
        project_access_level: direct ? t.accessLevel : null,
        group_access_level: viaGroup ? t.accessLevel : null,
      },
      visibility: 'private',
      web_url: `${base}/${path}`,
      namespace: {
        id: idOf('group', namespace),
        name: namespace.split('/').at(-1),
        path: namespace.split('/').at(-1),
        kind: 'group',
        full_path: namespace,
        parent_id: nsParent ? idOf('group', nsParent) : null,
        avatar_url: null,
        web_url: `${base}/groups/${namespace}`,
      },
    }
  }

  function associations(t: TokenRecord, url: URL): Outgoing {
    const min = positiveInt(url.searchParams.get('min_access_level'), 0)
    const perPage = Math.min(positiveInt(url.searchParams.get('per_page'), 20), 100)
    const page = positiveInt(url.searchParams.get('page'), 1)
    const reach = t.accessLevel >= min
    const groups = reach ? [...new Set(t.groups)] : []
    const projects = reach ? [...new Set(t.projects)] : []
    const slice = <T>(xs: T[]) => xs.slice((page - 1) * perPage, page * perPage)
    return {
      status: 200,
      body: {
        groups: slice(groups).map((g) => group(t, g)),
        projects: slice(projects).map((p) => project(t, p, true)),
      },
      headers: { 'x-page': String(page), 'x-per-page': String(perPage) },
    }
  }

  function handle(req: Incoming): Outgoing {
    const path = req.url.pathname.replace(/\/+$/, '')
    const isSelf = path === '/api/v4/personal_access_tokens/self'
    const isAssoc = path === '/api/v4/personal_access_tokens/self/associations'
    if (!(isSelf || isAssoc) || req.method !== 'GET')
      return { status: 404, body: { error: '404 Not Found' } }
    const auth = authenticate(req)
    if ('status' in auth) return auth
    return isSelf ? { status: 200, body: self(auth) } : associations(auth, req.url)
  }

  const loop = await startLoopback({
    name: 'gitlab sandbox',
    ...(opts.host ? { host: opts.host } : {}),
    jsonType: 'application/json',
    commonHeaders: () => ({
      'x-request-id': randomBytes(13).toString('hex').toUpperCase(),
      'cache-control': 'max-age=0, private, must-revalidate',
    }),
    // GitLab's Rack::Attack throttle answers in plain text.
    rateLimited: (retryAfter) => ({
      status: 429,
      body: 'Retry later\n',
      headers: { 'retry-after': String(retryAfter) },
    }),
    handle,
  })
  base = loop.url

  const requests: RecordedRequest[] = loop.requests
  return {
    url: loop.url,
    requests,
    stop: () => loop.stop(),
    addToken(spec: GitLabTokenSpec) {
      const value = spec.value ?? `glpat-${randomAlnum(20)}`
      if (tokens.has(value)) throw new Error('addToken: a token with this value already exists')
      if (spec.expiresAt && !/^\d{4}-\d{2}-\d{2}$/.test(spec.expiresAt))
        throw new Error(`addToken: expiresAt must be YYYY-MM-DD, got "${spec.expiresAt}"`)
      tokens.set(value, {
        id: nextTokenId++,
        value,
        name: spec.name ?? 'sandbox-token',
        description: spec.description ?? null,
        scopes: [...spec.scopes],
        expiresAt: spec.expiresAt ?? null,
        revoked: spec.revoked ?? false,
        active: spec.active,
        projects: [...(spec.projects ?? [])],
        groups: [...(spec.groups ?? [])],
        accessLevel: spec.accessLevel ?? 30,
        userId: spec.userId ?? 1,
        createdAt: spec.createdAt ?? new Date().toISOString(),
        lastUsedAt: spec.lastUsedAt ?? null,
      })
      return value
    },
    ...doubleControls(requests, loop.faults),
  }
}
