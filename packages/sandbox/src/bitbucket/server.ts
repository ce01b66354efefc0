// A loopback double of the Bitbucket Cloud REST API 2.0, limited to what a token auditor asks:
// GET /2.0/user and GET /2.0/repositories/{workspace}/{slug}, with the headers that reveal a
// token: x-oauth-scopes, x-accepted-oauth-scopes, x-credential-type.
//
// Verified (public client code and issue reports): error bodies are {"type": "error", "error":
// {"message": ...}} written by Python's json (", " and ": "); access tokens (Bearer) get 403 on
// /2.0/user with the scope and credential-type headers still set; API tokens authenticate with
// Basic email:token; x-credential-type values repo_access_token, project_access_token,
// workspace_access_token, api_token. Guessed (marked below): 'app_password', the scope header
// separator, the 403 message on /2.0/user, the 401 body for Basic credentials.
import { randomUUID } from 'node:crypto'
import { randomAlnum } from '../github/ids.js'
import type { RecordedRequest } from '../github/types.js'
import { startLoopback, type Incoming, type Outgoing } from '../loopback.js'
import type { BitbucketCredentialType, BitbucketSandbox, BitbucketTokenSpec } from './types.js'
import { doubleControls } from '../serve.js'

export interface BitbucketSandboxOptions {
  host?: string
  /**
   * App passwords stopped working on 2026-06-09 (tokens.md). Default: accepted only before then.
   */
  appPasswords?: boolean
}

interface TokenRecord {
  value: string
  type: BitbucketCredentialType
  scopes: string[]
  effective: Set<string>
  workspace: string
  repositories: Set<string>
  basicUser?: string
  uuid: string
  accountId: string
  name: string
}

const CREDENTIAL_TYPE: Record<BitbucketCredentialType, string> = {
  repository: 'repo_access_token',
  project: 'project_access_token',
  workspace: 'workspace_access_token',
  'api-token': 'api_token',
  // Guess: no public sample of the header for an app password was found.
  'app-password': 'app_password',
}

// Bitbucket's documented implications (developer.atlassian.com, "Scopes for Bitbucket Cloud").
const IMPLIES: Record<string, string[]> = {
  'repository:write': ['repository'],
  'repository:delete': [],
  'repository:admin': [],
  'pullrequest:write': ['pullrequest', 'repository:write'],
  pullrequest: ['repository'],
  'account:write': ['account'],
  'team:write': ['team'],
  'issue:write': ['issue'],
  'snippet:write': ['snippet'],
  'wiki:write': ['wiki'],
  'project:write': ['project'],
  'project:admin': ['project:write'],
  'pipeline:write': ['pipeline'],
  'pipeline:variable': ['pipeline:write'],
  'runner:write': ['runner'],
}

function expand(scopes: string[]): Set<string> {
  const out = new Set<string>()
  const visit = (s: string): void => {
    if (out.has(s)) return
    out.add(s)
    for (const c of IMPLIES[s] ?? []) visit(c)
  }
  scopes.forEach(visit)
  return out
}

/** Python's json.dumps spacing, as Bitbucket's bodies have it. */
function pyJson(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`
  if (typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pyJson(v)}`)
      .join(', ')}}`
  return JSON.stringify(value)
}

const reply = (status: number, body: unknown, headers: Record<string, string> = {}): Outgoing => ({
  status,
  body: pyJson(body),
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
})
const error = (status: number, message: string, extra: Record<string, unknown> = {}) =>
  reply(status, { type: 'error', error: { message, ...extra } })

const withHeaders = (out: Outgoing, headers: Record<string, string>): Outgoing => ({
  ...out,
  headers: { ...out.headers, ...headers },
})

const INVALID_TOKEN = 'Token is invalid, expired, or not supported for this endpoint.'
const REPO_NOT_FOUND =
  'You may not have access to this repository or it no longer exists in this workspace. ' +
  'If you think this repository exists and you have access, make sure you are authenticated.'
const APP_PASSWORDS_END = Date.UTC(2026, 5, 9)

export async function startBitbucketSandbox(
  opts: BitbucketSandboxOptions = {},
): Promise<BitbucketSandbox> {
  const appPasswords = opts.appPasswords ?? Date.now() < APP_PASSWORDS_END
  const tokens = new Map<string, TokenRecord>()
  const repos = new Map<string, { fullName: string; private: boolean; uuid: string }>()
  const created = new Date().toISOString()
  let base = ''

  const declare = (fullName: string, isPrivate = true) => {
    const [ws, slug, ...rest] = fullName.split('/')
    if (!ws || !slug || rest.length > 0)
      throw new Error(`expected "workspace/slug", got "${fullName}"`)
    if (!repos.has(fullName.toLowerCase()))
      repos.set(fullName.toLowerCase(), { fullName, private: isPrivate, uuid: `{${randomUUID()}}` })
  }

  /** The token, null for an anonymous request, or the 401. */
  function authenticate(req: Incoming): TokenRecord | null | Outgoing {
    const header = req.headers['authorization']?.trim()
    if (!header) return null
    const bearer = /^Bearer\s+(.+)$/i.exec(header)
    if (bearer) {
      const t = tokens.get(bearer[1]!.trim())
      // API tokens and app passwords only work with Basic.
      if (!t || t.basicUser !== undefined) return error(401, INVALID_TOKEN)
      return t
    }
    const basic = /^Basic\s+(.+)$/i.exec(header)
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      const user = colon >= 0 ? decoded.slice(0, colon) : decoded
      const t = tokens.get(colon >= 0 ? decoded.slice(colon + 1) : '')
      // Guess: the same body for bad Basic credentials.
      if (!t || t.basicUser === undefined || t.basicUser.toLowerCase() !== user.toLowerCase())
        return error(401, INVALID_TOKEN)
      if (t.type === 'app-password' && !appPasswords) return error(401, INVALID_TOKEN)
      return t
    }
    return error(401, INVALID_TOKEN)
  }

  const tokenHeaders = (t: TokenRecord, accepted: string): Record<string, string> => ({
    // Guess: ", " as separator (clients split on "," and trim).
    'x-oauth-scopes': t.scopes.join(', '),
    'x-accepted-oauth-scopes': accepted,
    'x-credential-type': CREDENTIAL_TYPE[t.type],
  })

  /** Scope needed for a resource, in the token's scope vocabulary. */
  const needed = (t: TokenRecord, legacy: string, atlassian: string) =>
    t.type === 'api-token' ? atlassian : legacy

  function lacking(t: TokenRecord, scope: string, headers: Record<string, string>): Outgoing {
    return withHeaders(
      error(403, 'Your credentials lack one or more required privilege scopes.', {
        detail: { granted: t.scopes, required: [scope] },
      }),
      headers,
    )
  }

  function user(t: TokenRecord): Record<string, unknown> {
    return {
      display_name: t.name,
      links: {
        self: { href: `${base}/2.0/users/${encodeURIComponent(t.uuid)}` },
        avatar: { href: `https://secure.gravatar.com/avatar/${t.accountId}` },
        html: { href: `https://bitbucket.org/${encodeURIComponent(t.uuid)}/` },
      },
      created_on: created,
      type: 'user',
      uuid: t.uuid,
      has_2fa_enabled: null,
      account_id: t.accountId,
      nickname: t.name,
      account_status: 'active',
      is_staff: false,
    }
  }

  function getUser(t: TokenRecord | null): Outgoing {
    if (!t) return error(401, INVALID_TOKEN)
    const scope = needed(t, 'account', 'read:user:bitbucket')
    const headers = tokenHeaders(t, scope)
    if (t.type === 'repository' || t.type === 'project' || t.type === 'workspace') {
      // Access tokens are not users. Guessed message.
      return withHeaders(error(403, 'Forbidden'), headers)
    }
    if (!t.effective.has(scope)) return lacking(t, scope, headers)
    return withHeaders(reply(200, user(t)), headers)
  }

  function reaches(t: TokenRecord, fullName: string): boolean {
    const key = fullName.toLowerCase()
    if (t.type === 'workspace') return key.startsWith(`${t.workspace.toLowerCase()}/`)
    if (t.type === 'repository' || t.type === 'project') return t.repositories.has(key)
    // API tokens and app passwords act as the user: every declared repository.
    return true
  }

  function getRepo(t: TokenRecord | null, fullName: string): Outgoing {
    const repo = repos.get(fullName.toLowerCase())
    const headers = t ? tokenHeaders(t, needed(t, 'repository', 'read:repository:bitbucket')) : {}
    if (!repo || (repo.private && (!t || !reaches(t, repo.fullName))))
      return withHeaders(error(404, REPO_NOT_FOUND), headers)
    if (t) {
      const scope = needed(t, 'repository', 'read:repository:bitbucket')
      if (!t.effective.has(scope)) return lacking(t, scope, headers)
    }
    const [ws, slug] = repo.fullName.split('/') as [string, string]
    const self = `${base}/2.0/repositories/${repo.fullName}`
    const body = {
      type: 'repository',
      full_name: repo.fullName,
      links: {
        self: { href: self },
        html: { href: `https://bitbucket.org/${repo.fullName}` },
        clone: [
          { name: 'https', href: `https://bitbucket.org/${repo.fullName}.git` },
          { name: 'ssh', href: `git@bitbucket.org:${repo.fullName}.git` },
        ],
      },
      name: slug,
      slug,
      description: '',
      scm: 'git',
      is_private: repo.private,
      uuid: repo.uuid,
      workspace: { type: 'workspace', slug: ws, name: ws, uuid: `{${ws}}` },
      mainbranch: { name: 'main', type: 'branch' },
      created_on: created,
      updated_on: created,
      size: 0,
      language: '',
      has_issues: false,
      has_wiki: false,
      fork_policy: 'no_public_forks',
    }
    return withHeaders(reply(200, body), headers)
  }

  function handle(req: Incoming): Outgoing {
    const path = req.url.pathname.replace(/\/+$/, '')
    const auth = authenticate(req)
    if (auth && 'status' in auth) return auth
    if (req.method === 'GET' && path === '/2.0/user') return getUser(auth)
    const repo = /^\/2\.0\/repositories\/([^/]+)\/([^/]+)$/.exec(path)
    if (req.method === 'GET' && repo)
      return getRepo(auth, `${decodeURIComponent(repo[1]!)}/${decodeURIComponent(repo[2]!)}`)
    return error(404, 'Resource not found', {
      detail:
        "There is no API hosted at this URL.\n\nFor information about our API's, please refer to the documentation at: https://developer.atlassian.com/bitbucket/api/2/reference/",
    })
  }

  const loop = await startLoopback({
    name: 'bitbucket sandbox',
    ...(opts.host ? { host: opts.host } : {}),
    jsonType: 'application/json; charset=utf-8',
    commonHeaders: () => ({ 'x-request-id': randomUUID().replace(/-/g, '') }),
    rateLimited: (retryAfter) => ({
      ...error(429, 'Rate limit for this resource has been exceeded'),
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'retry-after': String(retryAfter),
      },
    }),
    handle,
  })
  base = loop.url

  const requests: RecordedRequest[] = loop.requests
  return {
    url: loop.url,
    requests,
    stop: () => loop.stop(),
    addRepo(fullName, o = {}) {
      declare(fullName, o.private ?? true)
    },
    addToken(spec: BitbucketTokenSpec) {
      const prefix =
        spec.type === 'api-token'
          ? 'ATATT3xFfGF0'
          : spec.type === 'app-password'
            ? 'ATBB'
            : 'ATCTT3xFfGN0'
      const value = spec.value ?? `${prefix}${randomAlnum(spec.type === 'app-password' ? 32 : 64)}`
      if (tokens.has(value)) throw new Error('addToken: a token with this value already exists')
      const repositories = spec.repositories ?? []
      if (spec.type === 'repository' && repositories.length !== 1)
        throw new Error('addToken: a repository access token reaches exactly one repository')
      repositories.forEach((r) => declare(r))
      const workspace = spec.workspace ?? repositories[0]?.split('/')[0] ?? 'acme'
      const basicUser =
        spec.type === 'api-token'
          ? (spec.email ?? 'bot@example.com')
          : spec.type === 'app-password'
            ? (spec.username ?? 'bot')
            : undefined
      tokens.set(value, {
        value,
        type: spec.type,
        scopes: [...spec.scopes],
        effective: expand(spec.scopes),
        workspace,
        repositories: new Set(repositories.map((r) => r.toLowerCase())),
        ...(basicUser !== undefined ? { basicUser } : {}),
        uuid: `{${randomUUID()}}`,
        accountId: `557058:${randomUUID()}`,
        name: basicUser ?? `${spec.type} access token`,
      })
      return value
    },
    ...doubleControls(requests, loop.faults),
  }
}
