import {
  InputError,
  clip,
  derivedForms,
  getBoolean,
  getEnum,
  getInteger,
  getString,
  getToken,
  getUrl,
  parseYamlInput,
  parseYamlMap,
  type InputReader,
  type YamlParse,
} from '@argocd-actions/core'
import { checkArnLength, normaliseParameterName } from './ssm-name.js'

export const TIERS = ['Standard', 'Advanced', 'Intelligent-Tiering'] as const
export const MODES = ['publish', 'audit'] as const
export type Mode = (typeof MODES)[number]
export type Tier = (typeof TIERS)[number]

export interface Target {
  /** Expected account: GetCallerIdentity must match it before anything is written. */
  accountId?: string
  roleArn?: string
  region: string
  name: string
  /** For messages: which entry of `targets` this is. */
  label: string
}

export interface PublishInputs {
  /** 'audit' reads the stored token from each target instead of writing one. */
  mode: Mode
  /** Empty in audit mode (the token is read from SSM). */
  token: string
  /** Validate first (profile or requirements given). */
  validation?: {
    profile?: string
    requirements?: string
    repositories: string
    organization: string
    /** The API the audit asks: 'api-url', else the runner's GitHub API (never for an Argo CD token). */
    apiUrl: string
    /** 'api-url' as given: an Argo CD token is audited on this server only. */
    explicitApiUrl: string
    /** Argo CD tokens: the release's project and applications, as validate-pat-scopes takes them. */
    argocdProject: string
    argocdApplications: string
  }
  kmsKeyId?: string
  tier: Tier
  tags: Record<string, string>
  description?: string
  overwrite: boolean
  targets: Target[]
  /** The name had no leading '/': one was added. */
  addedSlash: string[]
  expirationNoticeDays?: number
  dryRun: boolean
  /** Audit mode only. */
  audit?: AuditSettings
}

export interface AuditSettings {
  /** A token that expires in fewer days fails the step. */
  minDaysLeft: number
  /** Every target must hold the same token. */
  requireSame: boolean
}

/** The inputs that only make sense when writing: refused in audit mode (their action.yml default is accepted). */
const PUBLISH_ONLY: Array<[name: string, runnerDefault: string]> = [
  ['kms-key-id', ''],
  ['tier', 'standard'],
  ['tags', ''],
  ['description', ''],
  ['overwrite', 'true'],
  ['expiration-notice-days', ''],
  ['dry-run', 'false'],
]
const AUDIT_ONLY = ['min-days-left', 'require-same']

const ACCOUNT = /^\d{12}$/
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/

export async function parseInputs(
  read: InputReader,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PublishInputs> {
  // yaml is loaded only when a YAML input is given: most runs have none, and start faster.
  const parseYaml: YamlParse | undefined =
    read('tags').trim() || read('targets').trim() ? (await import('yaml')).parse : undefined
  const mode = getEnum(read, 'mode', MODES, 'publish')
  const audit = mode === 'audit' ? parseAuditSettings(read) : undefined
  if (!audit) {
    for (const name of AUDIT_ONLY)
      if (read(name).trim())
        throw new InputError(name, "is only read with 'mode: audit'; remove it to publish")
  }
  const token = audit ? '' : getToken(read, 'token')
  const forms = token ? derivedForms(token) : []
  const holdsToken = (text: string) => forms.some((f) => text.includes(f))

  const profile = read('profile').trim()
  const requirements = read('requirements').trim()
  if (audit && !profile && !requirements) {
    throw new InputError(
      'profile',
      "is required with 'mode: audit': the stored tokens are validated against it",
      'argocd-webhooks',
    )
  }
  const repositories = read('repositories')
  for (const [name, example] of [
    ['repositories', 'argocd-release'],
    ['argocd-project', 'argocd-ci-sync'],
    ['argocd-applications', 'argocd-ci-sync'],
  ] as const) {
    if (!profile && !requirements && read(name).trim())
      throw new InputError(
        name,
        "needs 'profile' (the token is validated against it before it is stored)",
        example,
      )
  }

  const kmsKeyId = getString(read, 'kms-key-id') || undefined
  if (
    kmsKeyId &&
    !/^(alias\/[\w/_-]+|[0-9a-f-]{36}|arn:aws[a-z-]*:kms:[\w-]+:\d{12}:(key|alias)\/[\w/_-]+|mrk-[0-9a-f]{32})$/.test(
      kmsKeyId,
    )
  ) {
    throw new InputError(
      'kms-key-id',
      `is not a KMS key id, alias or ARN: '${clip(kmsKeyId)}'`,
      'alias/argocd-tokens',
    )
  }
  const tier = getEnumCase(read, 'tier', TIERS, 'Standard')
  const tags = parseTags(read('tags'), holdsToken, parseYaml)
  const description = read('description').trim() || undefined
  if (description && holdsToken(description)) {
    throw new InputError(
      'description',
      'contains the token: descriptions are stored and shown in plain text',
      'Argo CD notifications token (rotated 2026-11)',
    )
  }
  if (description && description.length > 1024) {
    throw new InputError(
      'description',
      `is ${description.length} characters; SSM allows 1024`,
      'Argo CD notifications token',
    )
  }

  const region = getString(read, 'region') || env.AWS_REGION || env.AWS_DEFAULT_REGION || ''
  const targetsText = read('targets')
  const addedSlash: string[] = []
  let targets: Target[]
  if (targetsText.trim()) {
    // A top-level name is the default for entries that give none (one name, several accounts).
    let defaultName: string | undefined
    if (read('name').trim()) {
      const { name, addedSlash: added } = normaliseParameterName(read('name'))
      if (added) addedSlash.push(name)
      defaultName = name
    }
    targets = parseTargets(targetsText, region, defaultName, addedSlash, parseYaml!)
  } else {
    const { name, addedSlash: added } = normaliseParameterName(read('name'))
    if (added) addedSlash.push(name)
    if (!region)
      throw new InputError(
        'region',
        'is required: no AWS_REGION or AWS_DEFAULT_REGION in the environment either',
        'us-east-2',
      )
    if (!REGION.test(region))
      throw new InputError('region', `is not an AWS region: '${clip(region)}'`, 'us-east-2')
    const expected = getString(read, 'expected-account-id') || undefined
    if (expected && !ACCOUNT.test(expected))
      throw new InputError(
        'expected-account-id',
        `must be 12 digits, not '${clip(expected)}'`,
        '111111111111',
      )
    targets = [{ accountId: expected, region, name, label: name }]
  }
  if (holdsToken(targets.map((t) => t.name).join('\n'))) {
    throw new InputError('name', 'contains the token', '/argocd/github/api_key')
  }

  // Account ids are always 12 digits, so the ARN limit can be checked before any request.
  for (const t of targets)
    checkArnLength(
      t.region,
      t.accountId ?? '000000000000',
      t.name,
      targetsText.trim() ? 'targets' : 'name',
    )

  const noticeText = read('expiration-notice-days').trim()
  const expirationNoticeDays = noticeText
    ? getInteger(read, 'expiration-notice-days', { fallback: 14, min: 1, max: 365 })
    : undefined
  if (expirationNoticeDays && tier === 'Standard' && read('tier').trim()) {
    throw new InputError(
      'tier',
      "must be Advanced (or Intelligent-Tiering) with 'expiration-notice-days': only Advanced parameters take policies",
      'Advanced',
    )
  }

  return {
    mode,
    token,
    audit,
    validation:
      profile || requirements
        ? {
            profile: profile || undefined,
            requirements: requirements || undefined,
            repositories,
            organization: read('organization'),
            apiUrl: getUrl(read, 'api-url', {
              fallback: env.GITHUB_API_URL,
              example: 'https://api.github.com',
            }),
            explicitApiUrl: getUrl(read, 'api-url', { example: 'https://api.github.com' }),
            argocdProject: read('argocd-project'),
            argocdApplications: read('argocd-applications'),
          }
        : undefined,
    kmsKeyId,
    tier: expirationNoticeDays && tier === 'Standard' ? 'Advanced' : tier,
    tags,
    description,
    overwrite: getBoolean(read, 'overwrite', true),
    targets,
    addedSlash,
    expirationNoticeDays,
    dryRun: getBoolean(read, 'dry-run', false),
  }
}

/** Audit mode: its own inputs, and no token or write-only input (they would be silently ignored). */
function parseAuditSettings(read: InputReader): AuditSettings {
  if (read('token').trim()) {
    throw new InputError(
      'token',
      "must not be given with 'mode: audit': the audit reads the stored token from SSM; remove 'token'",
    )
  }
  for (const [name, runnerDefault] of PUBLISH_ONLY) {
    const value = read(name).trim().toLowerCase()
    if (value && value !== runnerDefault)
      throw new InputError(
        name,
        `is only used when publishing; 'mode: audit' writes nothing: remove '${name}'`,
      )
  }
  return {
    minDaysLeft: getInteger(read, 'min-days-left', { fallback: 14, min: 0, max: 3650 }),
    requireSame: getBoolean(read, 'require-same', true),
  }
}

function getEnumCase<T extends string>(
  read: InputReader,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = read(name).trim()
  if (!value) return fallback
  const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase())
  if (!match) return getEnum(read, name, allowed)
  return match
}

export function parseTags(
  text: string,
  holdsToken: (s: string) => boolean,
  parseYaml?: YamlParse,
): Record<string, string> {
  const example = '{ team: platform, rotation: quarterly }'
  if (!text.trim()) return {}
  const doc = parseYamlMap(parseYaml!, 'tags', text, { entry: 'key: value', example })
  const tags: Record<string, string> = {}
  for (const [k, v] of Object.entries(doc)) {
    if (v === null || typeof v === 'object')
      throw new InputError('tags', `tag '${k}' must have a text value`, example)
    const value = String(v)
    if (holdsToken(k) || holdsToken(value))
      throw new InputError(
        'tags',
        'contains the token: tags are stored and shown in plain text',
        example,
      )
    if (
      k.length < 1 ||
      k.length > 128 ||
      !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u.test(k) ||
      /^aws:/i.test(k)
    ) {
      throw new InputError(
        'tags',
        `has an invalid key '${clip(k)}' (1–128 letters, digits, spaces and _.:/=+-@; not aws:)`,
        example,
      )
    }
    if (value.length > 256 || !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(value)) {
      throw new InputError(
        'tags',
        `tag '${k}' has an invalid value (at most 256 letters, digits, spaces and _.:/=+-@)`,
        example,
      )
    }
    tags[k] = value
  }
  if (Object.keys(tags).length > 50) throw new InputError('tags', 'has more than 50 tags', example)
  return tags
}

function parseTargets(
  text: string,
  fallbackRegion: string,
  defaultName: string | undefined,
  addedSlash: string[],
  parseYaml: YamlParse,
): Target[] {
  const example =
    '[{ account-id: "111111111111", role-arn: arn:aws:iam::111111111111:role/publish-tokens, region: us-east-2, name: /argocd/github/api_key }]'
  const doc = parseYamlInput(parseYaml, 'targets', text, example)
  if (!Array.isArray(doc) || !doc.length)
    throw new InputError('targets', 'must be a non-empty YAML list of targets', example)
  const seen = new Set<string>()
  return doc.map((entry, i) => {
    const where = `entry ${i + 1}`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      throw new InputError('targets', `${where} must be a map`, example)
    const e = entry as Record<string, unknown>
    for (const k of Object.keys(e)) {
      if (!['account-id', 'role-arn', 'region', 'name'].includes(k))
        throw new InputError(
          'targets',
          `${where} has an unknown key '${k}' (account-id, role-arn, region, name)`,
          example,
        )
    }
    const accountId = e['account-id'] === undefined ? undefined : String(e['account-id'])
    if (accountId === undefined || !ACCOUNT.test(accountId)) {
      throw new InputError(
        'targets',
        `${where}: account-id must be 12 digits (quote it in YAML so leading zeros stay)`,
        example,
      )
    }
    const roleArn = e['role-arn'] === undefined ? undefined : String(e['role-arn'])
    if (roleArn !== undefined && !ROLE_ARN.test(roleArn))
      throw new InputError(
        'targets',
        `${where}: role-arn is not an IAM role ARN: '${clip(roleArn)}'`,
        example,
      )
    if (roleArn && roleArn.split(':')[4] !== accountId)
      throw new InputError(
        'targets',
        `${where}: role-arn is in account ${roleArn.split(':')[4]}, not ${accountId}`,
        example,
      )
    const region = e.region === undefined ? fallbackRegion : String(e.region)
    if (!REGION.test(region))
      throw new InputError(
        'targets',
        `${where}: region is missing or not an AWS region: '${clip(region)}'`,
        example,
      )
    let name: string
    if (e.name === undefined && defaultName) name = defaultName
    else if (typeof e.name !== 'string')
      throw new InputError(
        'targets',
        `${where}: name is required (in the entry, or as the input 'name' for every entry)`,
        example,
      )
    else {
      const normalised = normaliseParameterName(e.name, `targets (${where}) name`)
      name = normalised.name
      if (normalised.addedSlash) addedSlash.push(name)
    }
    const key = `${accountId}/${region}/${name}`
    if (seen.has(key)) throw new InputError('targets', `${where} repeats ${key}`, example)
    seen.add(key)
    return { accountId, roleArn, region, name, label: `${accountId} ${region} ${name}` }
  })
}
