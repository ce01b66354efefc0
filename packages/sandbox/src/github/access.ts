// Who is calling (authentication) and may they do this to this repository (authorisation).
// The order of checks follows what GitHub reveals: bad token first, then existence (404 hides
// private repos), then org policies, then the token's own scopes or permissions.
import {
  ApiError,
  DOCS,
  badCredentials,
  errorBody,
  forbidden,
  notFound,
  requiresAuthentication,
} from './errors.js'
import { randomAlnum } from './ids.js'
import type { RepoRecord, Store } from './store.js'
import { grants, tokenFromAuthorization, type TokenRecord } from './tokens.js'
import type { Access } from './types.js'

/** What an endpoint needs, in each token model's terms. */
export interface Requirement {
  /** Fine-grained / app permission, e.g. 'metadata', 'contents', 'statuses'. */
  permission: string
  access: Access
  /** Classic scopes any one of which allows the call on a private repository. */
  privateScopes: string[]
  /** Classic scopes any one of which allows the call on a public repository (empty: none needed). */
  publicScopes: string[]
  /** documentation_url of the endpoint, echoed in error bodies. */
  doc: string
  /**
   * X-Accepted-OAuth-Scopes as GitHub sends it, when it differs from privateScopes
   * (recorded: '' on POST /statuses, hence tokens.md's "do not trust it").
   */
  acceptedScopesHeader?: string
  /**
   * The resource is not public even on a public repository (hooks, deploy keys): reading it
   * needs the permission or scope like a write does.
   */
  notPublic?: boolean
}

/**
 * Resolves the Authorization header. No header: anonymous (null). Unknown or expired token:
 * 401 Bad credentials, on every endpoint, as GitHub does.
 */
export function authenticate(
  store: Store,
  authorization: string | undefined,
  now = new Date(),
): TokenRecord | null {
  const value = tokenFromAuthorization(authorization)
  if (value === undefined) return null
  const token = store.tokens.get(value)
  if (!token) throw badCredentials()
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) throw badCredentials()
  return token
}

export const integrationMessage = (token: TokenRecord): string =>
  token.kind === 'installation'
    ? 'Resource not accessible by integration'
    : 'Resource not accessible by personal access token'

/** Whether a fine-grained or installation token was granted this repository at all. */
export function selects(token: TokenRecord, repo: RepoRecord): boolean {
  if (!ownedBy(token, repo.owner)) return false
  return token.repositories === 'all' || token.repositories.has(repo.fullName.toLowerCase())
}

/**
 * Throws the ApiError GitHub would answer with, or returns when the call may proceed.
 * `headers` receives the X-Accepted-* headers, which GitHub sends on success and failure alike.
 */
export function authorizeRepo(
  store: Store,
  token: TokenRecord | null,
  repo: RepoRecord,
  need: Requirement,
  headers: Record<string, string>,
): void {
  const publicRead = !repo.private && need.access === 'read' && !need.notPublic
  if (!token) {
    // Guess (unverified): admin-only resources of public repos answer anonymous callers like
    // private ones, with 404.
    if (repo.private || need.notPublic) throw notFound(need.doc)
    if (!publicRead) throw requiresAuthentication(need.doc)
    return
  }
  if (token.kind === 'classic') {
    headers['x-accepted-oauth-scopes'] = need.acceptedScopesHeader ?? need.privateScopes.join(', ')
  } else headers['x-accepted-github-permissions'] = `${need.permission}=${need.access}`

  checkOrgPolicies(store, token, repo.owner, publicRead, need.doc)

  if (token.kind === 'classic') {
    const scopes = repo.private ? need.privateScopes : need.publicScopes
    // GitHub answers a missing scope with 404, not 403: the token cannot "see" the resource.
    if (scopes.length > 0 && !scopes.some((s) => token.effectiveScopes.has(s)))
      throw notFound(need.doc)
    return
  }

  if (!selects(token, repo)) {
    if (repo.private) throw notFound(need.doc)
    if (publicRead) return
    throw forbidden(integrationMessage(token), need.doc)
  }
  // Metadata read comes with every selected repository.
  const have: Access | undefined =
    need.permission === 'metadata'
      ? (token.permissions['metadata'] ?? 'read')
      : token.permissions[need.permission]
  if (grants(have, need.access) || publicRead) return
  throw forbidden(integrationMessage(token), need.doc)
}

/** Whether a fine-grained or installation token is bound to this owner (user or org). */
export function ownedBy(token: TokenRecord, owner: string): boolean {
  return token.owner === undefined || token.owner === owner.toLowerCase()
}

/**
 * Org-level rules that apply to personal access tokens (never to installation tokens).
 * `owner` is the account owning the resource; only organizations have policies.
 */
export function checkOrgPolicies(
  store: Store,
  token: TokenRecord,
  owner: string,
  publicRead: boolean,
  doc: string,
): void {
  const org = store.org(owner)
  if (!org || token.kind === 'installation') return

  // GitHub's docs: whatever the policy, PATs keep access to public resources (reads).
  if (token.kind === 'classic' && org.forbidsClassicPats && !publicRead) {
    throw forbidden(
      `\`${org.login}\` forbids access via a personal access token (classic). ` +
        'Please use a GitHub App, OAuth App, or a personal access token with fine-grained permissions.',
      doc,
    )
  }

  // Observed on public repositories too (NixOS/nixpkgs, 2026-05), so no public exemption.
  if (token.kind === 'fine-grained' && org.maxFineGrainedLifetimeDays !== undefined) {
    const lifetimeMs = token.expiresAt
      ? token.expiresAt.getTime() - token.createdAt.getTime()
      : Infinity
    if (lifetimeMs > org.maxFineGrainedLifetimeDays * 86_400_000) {
      throw forbidden(
        `The '${org.login}' organization forbids access via a fine-grained personal access tokens if the ` +
          `token's lifetime is greater than ${org.maxFineGrainedLifetimeDays} days. Please adjust your token's ` +
          `lifetime at the following URL: https://github.com/settings/personal-access-tokens/${token.id}`,
        doc,
      )
    }
  }

  if (org.ssoRequired && !publicRead && !token.ssoAuthorizedOrgs.has(org.login.toLowerCase())) {
    throw new ApiError(
      403,
      errorBody(
        403,
        'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.',
        DOCS.saml,
      ),
      {
        'x-github-sso': `required; url=https://github.com/orgs/${org.login}/sso?authorization_request=${randomAlnum(40)}`,
      },
    )
  }
}
