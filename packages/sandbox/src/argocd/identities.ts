// Who may call the Argo CD double: AppProjects with roles and their JWT tokens, local accounts
// with their API keys, and the checks util/session's SessionManager.Parse makes on every token
// (signature, exp, nbf, then the token must still be listed for its role or account).
import { randomUUID } from 'node:crypto'
import { newSigningKey, signJwt, unverifiedClaims, verifyJwt } from './jwt.js'
import { validateRolePolicy, type RbacProject } from './rbac.js'
import type { ArgoCdProjectRole, ArgoCdTokenOptions } from './types.js'

interface IssuedToken {
  id: string
  iat: number
  exp?: number
}

interface ProjectRecord extends RbacProject {
  roles: { name: string; policies: string[]; groups: string[]; tokens: IssuedToken[] }[]
}

interface AccountRecord {
  name: string
  capabilities: ('apiKey' | 'login')[]
  enabled: boolean
  tokens: IssuedToken[]
}

/** An authenticated caller: `sub` as RBAC sees it (an account's name without `:apiKey`). */
export interface Caller {
  sub: string
  iss: string
  groups: string[]
}

export type Authentication = { ok: true; caller: Caller } | { ok: false; message: string }

const ROLE_NAME = /^[a-zA-Z0-9]([-_a-zA-Z0-9]*[a-zA-Z0-9])?$/

export class Identities {
  private readonly key = newSigningKey()
  readonly projects = new Map<string, ProjectRecord>()
  // The built-in admin account logs in with a password; it has no API keys.
  readonly accounts = new Map<string, AccountRecord>([
    ['admin', { name: 'admin', capabilities: ['login'], enabled: true, tokens: [] }],
  ])

  addProject(name: string, roles: ArgoCdProjectRole[] = []): void {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name))
      throw new Error(`addProject: "${name}" is not a valid AppProject name`)
    if (this.projects.has(name)) throw new Error(`addProject: project ${name} already exists`)
    const records = roles.map((role) => {
      if (!ROLE_NAME.test(role.name))
        throw new Error(
          `invalid role name '${role.name}'. Must consist of alphanumeric characters, '-' or '_', and must start and end with an alphanumeric character`,
        )
      for (const policy of role.policies) validateRolePolicy(name, role.name, policy)
      return {
        name: role.name,
        policies: [...role.policies],
        groups: [...(role.groups ?? [])],
        tokens: [],
      }
    })
    this.projects.set(name, { name, roles: records })
  }

  addAccount(
    name: string,
    opts: { capabilities?: ('apiKey' | 'login')[]; enabled?: boolean } = {},
  ): void {
    if (!/^[a-zA-Z0-9._-]+$/.test(name))
      throw new Error(`addAccount: "${name}" is not a valid account name`)
    this.accounts.set(name, {
      name,
      capabilities: [...(opts.capabilities ?? ['apiKey'])],
      enabled: opts.enabled ?? true,
      tokens: this.accounts.get(name)?.tokens ?? [],
    })
  }

  private issue(sub: string, opts: ArgoCdTokenOptions): { token: string; issued: IssuedToken } {
    const iat = Math.floor((opts.issuedAt ?? new Date()).getTime() / 1000)
    const id = randomUUID()
    const expiresIn = opts.expiresInSeconds ?? 0
    const issued: IssuedToken = { id, iat, ...(expiresIn > 0 ? { exp: iat + expiresIn } : {}) }
    // SessionManager.Create: RegisteredClaims with exp only when an expiry was asked for.
    const token = signJwt(
      {
        iss: 'argocd',
        sub,
        iat,
        nbf: iat,
        jti: id,
        ...(issued.exp ? { exp: issued.exp } : {}),
        ...(opts.groups ? { groups: [...opts.groups] } : {}),
      },
      this.key,
    )
    return { token, issued }
  }

  projectToken(project: string, role: string, opts: ArgoCdTokenOptions = {}): string {
    const record = this.projects.get(project)?.roles.find((r) => r.name === role)
    if (!record) throw new Error(`projectToken: project ${project} has no role ${role}`)
    const { token, issued } = this.issue(`proj:${project}:${role}`, opts)
    record.tokens.push(issued)
    return token
  }

  accountToken(account: string, opts: ArgoCdTokenOptions = {}): string {
    const record = this.accounts.get(account)
    if (!record) throw new Error(`accountToken: account '${account}' does not exist`)
    if (!record.capabilities.includes('apiKey'))
      throw new Error(`accountToken: account '${account}' does not have 'apiKey' capability`)
    const { token, issued } = this.issue(`${account}:apiKey`, opts)
    record.tokens.push(issued)
    return token
  }

  revokeToken(token: string): void {
    const claims = unverifiedClaims(token)
    const sub = typeof claims?.['sub'] === 'string' ? claims['sub'] : ''
    const jti = claims?.['jti']
    const drop = (tokens: IssuedToken[]) => {
      const i = tokens.findIndex((t) => t.id === jti)
      if (i < 0) throw new Error('revokeToken: no such token was issued by this sandbox')
      tokens.splice(i, 1)
    }
    const proj = /^proj:([^:]*):([^:]*)$/.exec(sub)
    if (proj) {
      const role = this.projects.get(proj[1]!)?.roles.find((r) => r.name === proj[2])
      if (!role) throw new Error('revokeToken: no such token was issued by this sandbox')
      return drop(role.tokens)
    }
    const account = this.accounts.get(sub.split(':')[0]!)
    if (!account) throw new Error('revokeToken: no such token was issued by this sandbox')
    drop(account.tokens)
  }

  /** getClaims + SessionManager.VerifyToken/Parse; messages as Argo CD words them. */
  authenticate(token: string | undefined): Authentication {
    if (!token) return { ok: false, message: 'no session information' }
    const fail = (why: string): Authentication => ({
      ok: false,
      message: `invalid session: ${why}`,
    })
    const raw = unverifiedClaims(token)
    if (!raw) return fail('token is malformed: could not JSON decode claim')
    // Not ours: Argo CD would ask its OIDC provider, and none is configured here.
    if (raw['iss'] !== 'argocd') return fail('SSO is not configured')
    const verdict = verifyJwt(token, this.key)
    if (!verdict.ok) return fail(verdict.reason)
    const { claims } = verdict
    const sub = typeof claims.sub === 'string' ? claims.sub : ''
    const jti = typeof claims.jti === 'string' ? claims.jti : ''
    const groups = Array.isArray(claims['groups'])
      ? claims['groups'].filter((g): g is string => typeof g === 'string')
      : []
    const proj = /^proj:([^:]*):([^:]*)$/.exec(sub)
    if (proj) {
      const [, projName, roleName] = proj as unknown as [string, string, string]
      const project = this.projects.get(projName)
      if (!project) return fail(`appprojects.argoproj.io "${projName}" not found`)
      const role = project.roles.find((r) => r.name === roleName)
      // GetJWTToken looks up by id, and by iat for old tokens without one. (It also falls back to
      // iat when the id is unknown: not here, or revoking one of two tokens issued in the same
      // second would leave it valid.)
      const listed = role?.tokens.some((t) => (jti !== '' ? t.id === jti : t.iat === claims.iat))
      if (!listed)
        return fail(
          `JWT token for role '${roleName}' issued at '${claims.iat}' does not exist in project '${projName}'`,
        )
      return { ok: true, caller: { sub, iss: claims.iss, groups } }
    }
    const colon = sub.indexOf(':')
    const name = colon < 0 ? sub : sub.slice(0, colon)
    const capability = colon < 0 ? 'login' : sub.slice(colon + 1)
    const account = this.accounts.get(name)
    if (!account) return fail(`rpc error: code = NotFound desc = account '${name}' does not exist`)
    if (!account.enabled) return fail(`account ${name} is disabled`)
    if (!account.capabilities.includes(capability as 'apiKey'))
      return fail(`account ${name} does not have '${capability}' capability`)
    if (jti === '')
      return fail('token does not have a unique identifier (jti claim) and cannot be validated')
    if (capability === 'apiKey' && !account.tokens.some((t) => t.id === jti))
      return fail(`account ${name} does not have token with id ${jti}`)
    return { ok: true, caller: { sub: name, iss: claims.iss, groups } }
  }

  project(name: string): RbacProject | undefined {
    return this.projects.get(name)
  }
}
