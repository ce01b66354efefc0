import { InputError } from '../errors.js'

/**
 * What a token is, read from its prefix (design/tokens.md section 2). Lengths are never checked
 * strictly: GitHub changed them before (the 2026 `ghs_<appid>_<JWT>` form) and will again.
 */
export type TokenKind =
  | 'classic'
  | 'fine-grained'
  | 'oauth'
  | 'app-user'
  | 'installation'
  | 'refresh'
  | 'gitlab'
  | 'bitbucket-access-token'
  | 'bitbucket-app-password'
  | 'bitbucket-api-token'
  | 'unknown'

export type Provider = 'github' | 'gitlab' | 'bitbucket'

export interface TokenIdentity {
  kind: TokenKind
  provider: Provider
}

const GITHUB: Array<[string, TokenKind, RegExp]> = [
  ['github_pat_', 'fine-grained', /^github_pat_[A-Za-z0-9_]{22,}$/],
  ['ghp_', 'classic', /^ghp_[A-Za-z0-9]{30,}$/],
  ['gho_', 'oauth', /^gho_[A-Za-z0-9]{30,}$/],
  ['ghu_', 'app-user', /^ghu_[A-Za-z0-9]{30,}$/],
  ['ghs_', 'installation', /^ghs_[A-Za-z0-9._]{36,}$/],
  ['ghr_', 'refresh', /^ghr_[A-Za-z0-9]{30,}$/],
]
const OTHERS: Array<[string, TokenKind, Provider, RegExp]> = [
  ['glpat-', 'gitlab', 'gitlab', /^glpat-[A-Za-z0-9_.-]{20,}$/],
  ['ATCTT', 'bitbucket-access-token', 'bitbucket', /^ATCTT[A-Za-z0-9_=+/.-]{20,}$/],
  ['ATATT', 'bitbucket-api-token', 'bitbucket', /^ATATT[A-Za-z0-9_=+/.-]{20,}$/],
  ['ATBB', 'bitbucket-app-password', 'bitbucket', /^ATBB[A-Za-z0-9_=+/.-]{20,}$/],
]

/** Every known token prefix, to keep token-looking words out of what a server said. */
export const TOKEN_PREFIXES: readonly string[] = [...GITHUB, ...OTHERS].map(([prefix]) => prefix)

/** Kind and provider; an unknown prefix is accepted only when the provider is given explicitly. */
export function identifyToken(
  token: string,
  provider: Provider | 'auto',
  input = 'token',
): TokenIdentity {
  for (const [prefix, kind, pattern] of GITHUB) {
    if (!token.startsWith(prefix)) continue
    if (!pattern.test(token))
      throw malformed(input, `starts like a ${kind} GitHub token (${prefix})`)
    return check({ kind, provider: 'github' }, provider, input)
  }
  for (const [prefix, kind, p, pattern] of OTHERS) {
    if (!token.startsWith(prefix)) continue
    if (!pattern.test(token)) throw malformed(input, `starts like a ${p} token (${prefix})`)
    return check({ kind, provider: p }, provider, input)
  }
  // GHES and GitLab self-managed can still issue tokens without a prefix (e.g. 40 hex).
  if (provider !== 'auto') return { kind: 'unknown', provider }
  throw new InputError(
    input,
    "is not a recognised GitHub (ghp_, github_pat_, gho_, ghu_, ghs_), GitLab (glpat-) or Bitbucket (ATCTT, ATATT, ATBB) token; the value is not shown. For a token without a prefix set 'provider'",
    'github',
  )
}

function check(found: TokenIdentity, wanted: Provider | 'auto', input: string): TokenIdentity {
  if (wanted !== 'auto' && wanted !== found.provider) {
    throw new InputError(
      input,
      `is a ${found.provider} token, but 'provider' says ${wanted}`,
      found.provider,
    )
  }
  return found
}

function malformed(input: string, what: string): InputError {
  return new InputError(
    input,
    `${what} but is malformed: too short or with characters a token cannot have (the value is not shown). Copy the token again`,
    '${{ secrets.ARGOCD_GITHUB_NONPROD }}',
  )
}
