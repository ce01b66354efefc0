// Accounts, credentials, roles and deny rules: who a signed request comes from, and whether it may
// do what it asks. ARNs and ids are shaped like AWS's (AKIA/ASIA keys, AIDA/AROA unique ids).
import { randomBytes, randomInt, randomUUID } from 'node:crypto'
import type { AwsCredentialSpec, AwsCredentials, AwsRoleOptions } from './types.js'

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

const pick = (alphabet: string, length: number): string => {
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)]
  return out
}

export const accessKeyId = (temporary: boolean): string =>
  `${temporary ? 'ASIA' : 'AKIA'}${pick(UPPER_ALNUM, 16)}`
export const secretAccessKey = (): string => pick(SECRET_CHARS, 40)
/** Long and opaque like STS's (which are ~400+ base64 characters). */
export const sessionToken = (): string => `IQoJb3JpZ2luX2Vj${randomBytes(300).toString('base64')}`
export const uniqueId = (prefix: 'AIDA' | 'AROA'): string => `${prefix}${pick(UPPER_ALNUM, 17)}`

export const isAccountId = (s: string): boolean => /^\d{12}$/.test(s)

export type Principal =
  | { kind: 'user'; accountId: string; name: string; userId: string }
  | { kind: 'root'; accountId: string }
  | {
      kind: 'assumed-role'
      accountId: string
      roleName: string
      roleArn: string
      roleId: string
      session: string
      /** true when these credentials came from AssumeRole (role chaining caps the next at 1 h). */
      viaAssumeRole: boolean
    }

export interface CredentialRecord {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string | undefined
  expiration: Date | undefined
  principal: Principal
}

export interface RoleRecord {
  arn: string
  accountId: string
  name: string
  roleId: string
  trust: string[] | undefined
  maxSessionDuration: number
}

interface DenyRule {
  principal: string
  actions: string[]
  resource: string | undefined
}

export const principalArn = (p: Principal): string => {
  switch (p.kind) {
    case 'user':
      return `arn:aws:iam::${p.accountId}:user/${p.name}`
    case 'root':
      return `arn:aws:iam::${p.accountId}:root`
    case 'assumed-role':
      return `arn:aws:sts::${p.accountId}:assumed-role/${p.roleName}/${p.session}`
  }
}

export const principalUserId = (p: Principal): string => {
  switch (p.kind) {
    case 'user':
      return p.userId
    case 'root':
      return p.accountId
    case 'assumed-role':
      return `${p.roleId}:${p.session}`
  }
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/

export function parseRoleArn(arn: string): { accountId: string; name: string } | undefined {
  const m = ROLE_ARN.exec(arn)
  return m ? { accountId: m[1]!, name: m[3]! } : undefined
}

/** '*' matches any run of characters, '?' one character; everything else is literal. */
export function globMatch(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${re}$`).test(value)
}

export class Iam {
  readonly accounts = new Map<string, { kmsKeys: string[] }>()
  private readonly credentials = new Map<string, CredentialRecord>()
  private readonly roles = new Map<string, RoleRecord>()
  private readonly userIds = new Map<string, string>()
  private readonly denies: DenyRule[] = []

  ensureAccount(accountId: string): { kmsKeys: string[] } {
    if (!isAccountId(accountId))
      throw new Error(`aws sandbox: account id must be 12 digits, got "${accountId}"`)
    let account = this.accounts.get(accountId)
    if (!account) {
      account = { kmsKeys: [] }
      this.accounts.set(accountId, account)
    }
    return account
  }

  addCredentials(spec: AwsCredentialSpec): AwsCredentials {
    this.ensureAccount(spec.accountId)
    const temporary = spec.sessionToken !== undefined
    const key = spec.accessKeyId ?? accessKeyId(temporary)
    if (this.credentials.has(key))
      throw new Error(`addCredentials: access key id ${key} already exists`)
    const record: CredentialRecord = {
      accessKeyId: key,
      secretAccessKey: spec.secretAccessKey ?? secretAccessKey(),
      sessionToken: spec.sessionToken,
      expiration: spec.expiration,
      principal: this.principalFrom(spec.accountId, spec.principal ?? 'user/sandbox'),
    }
    this.credentials.set(key, record)
    return {
      accessKeyId: record.accessKeyId,
      secretAccessKey: record.secretAccessKey,
      ...(record.sessionToken !== undefined ? { sessionToken: record.sessionToken } : {}),
    }
  }

  private principalFrom(accountId: string, spec: string): Principal {
    if (spec === 'root') return { kind: 'root', accountId }
    const role = /^role\/([\w+=,.@-]{1,64})(?:\/([\w+=,.@-]{2,64}))?$/.exec(spec)
    if (role) {
      const roleName = role[1]!
      const roleArn = `arn:aws:iam::${accountId}:role/${roleName}`
      return {
        kind: 'assumed-role',
        accountId,
        roleName,
        roleArn,
        roleId: this.roles.get(roleArn)?.roleId ?? this.stableId('AROA', roleArn),
        session: role[2] ?? 'GitHubActions',
        viaAssumeRole: false,
      }
    }
    const user = /^(?:user\/)?([\w+=,.@-]{1,64})$/.exec(spec)
    if (!user)
      throw new Error(
        `addCredentials: principal must be 'user/<name>', 'role/<name>[/<session>]' or 'root', got "${spec}"`,
      )
    const name = user[1]!
    return {
      kind: 'user',
      accountId,
      name,
      userId: this.stableId('AIDA', `${accountId}:user/${name}`),
    }
  }

  private stableId(prefix: 'AIDA' | 'AROA', key: string): string {
    let id = this.userIds.get(key)
    if (!id) {
      id = uniqueId(prefix)
      this.userIds.set(key, id)
    }
    return id
  }

  credential(accessKey: string): CredentialRecord | undefined {
    return this.credentials.get(accessKey)
  }

  addRole(arn: string, opts: AwsRoleOptions = {}): void {
    const parsed = parseRoleArn(arn)
    if (!parsed)
      throw new Error(`addRole: expected arn:aws:iam::<12 digits>:role/<name>, got "${arn}"`)
    for (const t of opts.trust ?? [])
      if (!isAccountId(t)) throw new Error(`addRole: trust entries are account ids, got "${t}"`)
    const max = opts.maxSessionDuration ?? 3600
    if (!Number.isInteger(max) || max < 3600 || max > 43200)
      throw new Error('addRole: maxSessionDuration must be 3600..43200 seconds')
    this.ensureAccount(parsed.accountId)
    this.roles.set(arn, {
      arn,
      accountId: parsed.accountId,
      name: parsed.name,
      roleId: this.stableId('AROA', arn),
      trust: opts.trust ? [...opts.trust] : undefined,
      maxSessionDuration: max,
    })
  }

  role(arn: string): RoleRecord | undefined {
    return this.roles.get(arn)
  }

  /** Fresh temporary credentials for a role session. */
  issueRoleCredentials(role: RoleRecord, session: string, durationSeconds: number) {
    const record: CredentialRecord = {
      accessKeyId: accessKeyId(true),
      secretAccessKey: secretAccessKey(),
      sessionToken: sessionToken(),
      expiration: new Date(Math.floor(Date.now() / 1000) * 1000 + durationSeconds * 1000),
      principal: {
        kind: 'assumed-role',
        accountId: role.accountId,
        roleName: role.name,
        roleArn: role.arn,
        roleId: role.roleId,
        session,
        viaAssumeRole: true,
      },
    }
    this.credentials.set(record.accessKeyId, record)
    return record
  }

  deny(principal: string, actions: string[], resource?: string): void {
    if (actions.length === 0) throw new Error('deny: name at least one action')
    for (const a of actions)
      if (a !== '*' && !/^[a-z0-9-]+:[A-Za-z*]+$/.test(a))
        throw new Error(`deny: actions look like 'ssm:PutParameter', 'ssm:*' or '*', got "${a}"`)
    this.denies.push({ principal, actions: [...actions], resource })
  }

  /** True when a deny rule covers this caller, action and resource. */
  denied(cred: CredentialRecord, action: string, resource: string): boolean {
    return this.denies.some(
      (rule) =>
        this.covers(rule.principal, cred) &&
        rule.actions.some((a) => actionMatches(a, action)) &&
        (rule.resource === undefined || globMatch(rule.resource, resource)),
    )
  }

  private covers(who: string, cred: CredentialRecord): boolean {
    const p = cred.principal
    if (who === p.accountId || who === cred.accessKeyId) return true
    const arn = principalArn(p)
    if (who === arn) return true
    if (p.kind === 'assumed-role') {
      if (who === p.roleArn || who === `role/${p.roleName}`) return true
      if (who.includes('*') && (globMatch(who, arn) || globMatch(who, p.roleArn))) return true
    }
    if (p.kind === 'user' && who === `user/${p.name}`) return true
    return who.includes('*') && globMatch(who, arn)
  }
}

function actionMatches(pattern: string, action: string): boolean {
  if (pattern === '*') return true
  return globMatch(pattern.toLowerCase(), action.toLowerCase())
}

export const requestId = (): string => randomUUID()
