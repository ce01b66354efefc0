import { InputError } from '../errors.js'
import { claimDate, readJwtClaims } from '../jwt.js'

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
  | 'argocd-project'
  | 'argocd-account'
  | 'argocd-session'
  | 'unknown'

export type Provider = 'github' | 'gitlab' | 'bitbucket' | 'argocd'

/** What an Argo CD token's claims say (unverified: the server is asked what it may do). */
export interface ArgoCdClaims {
  /** `proj:<project>:<role>`, `<account>:apiKey`, `<account>:login` or an SSO subject. */
  sub: string
  iss: string
  /** The project and role of a project role's token. */
  project?: string
  role?: string
  /** The local account of an API key or login session. */
  account?: string
  issuedAt?: Date
  /** null: the token has no `exp`, it never expires. */
  expiresAt: Date | null
  /** The token's id; Argo CD revokes by it. */
  jti?: string
  /** An SSO session's e-mail: Argo CD names such a user by it. */
  email?: string
}

export interface TokenIdentity {
  kind: TokenKind
  provider: Provider
  /** Argo CD tokens only. */
  argocd?: ArgoCdClaims
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
  if (provider === 'argocd' || (provider === 'auto' && token.startsWith('eyJ')))
    return identifyArgoCdToken(token, provider, input)
  // GHES and GitLab self-managed can still issue tokens without a prefix (e.g. 40 hex).
  if (provider !== 'auto') return { kind: 'unknown', provider }
  throw new InputError(
    input,
    "is not a recognised GitHub (ghp_, github_pat_, gho_, ghu_, ghs_), GitLab (glpat-), Bitbucket (ATCTT, ATATT, ATBB) or Argo CD (a JWT) token; the value is not shown. For a token without a prefix set 'provider'",
    'github',
  )
}

const ARGOCD_EXAMPLE = '${{ secrets.ARGOCD_TOKEN }}'

/**
 * An Argo CD token is a JWT the server signed: its claims say what it claims to be (a project
 * role's, a local account's API key, a login session); the signature is the server's to check.
 * With `provider: auto` only `iss: argocd` makes a JWT an Argo CD token (SSO sessions carry the
 * IdP's issuer: set `provider: argocd` for those).
 */
function identifyArgoCdToken(
  token: string,
  provider: Provider | 'auto',
  input: string,
): TokenIdentity {
  const read = readJwtClaims(token)
  if ('problem' in read) {
    throw new InputError(
      input,
      `${token.startsWith('eyJ') ? 'starts like an Argo CD token (a JWT) but' : 'must be an Argo CD token (a JWT) with provider argocd, but it'} ${read.problem} (the value is not shown). Copy the token again`,
      ARGOCD_EXAMPLE,
    )
  }
  const claims = read.claims
  const iss = typeof claims.iss === 'string' ? claims.iss : ''
  if (provider === 'auto' && iss !== 'argocd') {
    throw new InputError(
      input,
      `is a JWT whose issuer is not 'argocd'${iss ? '' : ' (it has none)'}: not recognised as an Argo CD token (the value is not shown). For an Argo CD SSO session set 'provider' to argocd`,
      'argocd',
    )
  }
  const bad = (what: string) =>
    new InputError(
      input,
      `is a JWT whose claims are not an Argo CD token's: ${what} (the value is not shown)`,
      ARGOCD_EXAMPLE,
    )
  if (typeof claims.sub !== 'string' || !claims.sub) throw bad("it has no 'sub' (subject)")
  const exp = claimDate(claims, 'exp')
  const iat = claimDate(claims, 'iat')
  if (exp === 'invalid') throw bad("'exp' is not a number of seconds")
  if (iat === 'invalid') throw bad("'iat' is not a number of seconds")
  const base = {
    sub: claims.sub,
    iss,
    issuedAt: iat,
    expiresAt: exp ?? null,
    jti: typeof claims.jti === 'string' ? claims.jti : undefined,
    email: typeof claims.email === 'string' && claims.email ? claims.email : undefined,
  }
  const project = /^proj:([^:]+):([^:]+)$/.exec(claims.sub)
  if (project)
    return {
      kind: 'argocd-project',
      provider: 'argocd',
      argocd: { ...base, project: project[1], role: project[2] },
    }
  const account = /^([^:]+):(apiKey|login)$/.exec(claims.sub)
  if (account && account[2] === 'apiKey')
    return { kind: 'argocd-account', provider: 'argocd', argocd: { ...base, account: account[1] } }
  return {
    kind: 'argocd-session',
    provider: 'argocd',
    argocd: { ...base, account: account?.[1] },
  }
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
