// SSM Parameter Store (awsJson1_1): PutParameter, GetParameter(s), GetParameterHistory,
// DescribeParameters, DeleteParameter, AddTagsToResource, RemoveTagsFromResource,
// ListTagsForResource. Name rules, tiers, policies, versions and errors follow
// /work/shared/design/ssm.md.
//
// Fidelity. Verbatim from AWS answers seen in public issues: "Parameter name must be a fully
// qualified name.", both "can't be prefixed with ..." messages (the long one is also what AWS says
// for bad characters, and for a missing slash on reads), "No access to reserved parameter name:
// <name without slash>." (AccessDeniedException), the Tags+Overwrite message, ParameterAlreadyExists,
// the Standard-tier size message, InvalidKeyId's KMS-wrapped messages, and TooManyUpdates' empty
// body. Modelled on AWS's docs but worded by us: HierarchyLevelLimitExceeded, the ARN-length,
// Advanced-size, policy-tier and downgrade messages, ParameterLimitExceeded, the policy exceptions.
import { randomBytes, randomUUID } from 'node:crypto'
import { AwsError, validation } from './errors.js'
import { principalArn, type CredentialRecord, type Iam } from './iam.js'
import type {
  ParameterPolicy,
  ParameterTier,
  ParameterType,
  ParameterVersion,
  StoredParameter,
} from './types.js'

export interface SsmCall {
  cred: CredentialRecord
  accountId: string
  region: string
}

interface Version extends ParameterVersion {
  /** What GetParameter returns for a SecureString without WithDecryption. */
  ciphertext: string | undefined
}

interface Param {
  accountId: string
  region: string
  /** Name without its leading slash: '/x' and 'x' are one parameter. */
  key: string
  name: string
  arn: string
  tags: Map<string, string>
  versions: Version[]
}

const MAX_LEVELS = 15
const MAX_ARN = 1011
const STANDARD_MAX = 4096
const ADVANCED_MAX = 8192
const MAX_VERSIONS = 100
const MAX_TAGS = 50
const DEFAULT_KEY = 'alias/aws/ssm'
const TYPES: ParameterType[] = ['String', 'StringList', 'SecureString']
const DATA_TYPES = ['text', 'aws:ec2:image', 'aws:ssm:integration']
const POLICY_TYPES = ['Expiration', 'ExpirationNotification', 'NoChangeNotification']

// AWS's own wording (seen in the wild): a missing leading slash on PutParameter, reserved
// prefixes, and bad characters all share the last, misleading, message.
const NOT_QUALIFIED = 'Parameter name must be a fully qualified name.'
const PREFIX_SHORT = `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`
const PREFIX_LONG =
  `Parameter name: can't be prefixed with "ssm" (case-insensitive). If formed as a path, it can ` +
  `consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, ` +
  `numbers and the following 3 symbols .-_`

const ve = (message: string) => new AwsError('ValidationException', message)

const kmsSuffix = (code: string) =>
  ` (Service: AWSKMS; Status Code: 400; Error Code: ${code}; Request ID: ${randomUUID()}; Proxy: null)`

/** Looks like a KMS ciphertext blob (AQICAH…), sized like the plaintext; reveals nothing of it. */
function fakeCiphertext(value: string): string {
  const header = Buffer.from([0x01, 0x02, 0x02, 0x00, 0x78])
  return Buffer.concat([header, randomBytes(Buffer.byteLength(value) + 180)]).toString('base64')
}

const epochSeconds = (d: Date): number => Math.round(d.getTime()) / 1000

export class Ssm {
  private readonly params = new Map<string, Param>()
  /** Stable key ids for aliases, per account and region. */
  private readonly aliasKeys = new Map<string, string>()

  constructor(
    private readonly iam: Iam,
    private readonly standardLimit: number,
    private readonly typeChange: 'refuse' | 'allow' = 'refuse',
  ) {}

  // ---- state for the test API -------------------------------------------------------------

  snapshot(accountId: string, region: string, name: string): StoredParameter | undefined {
    const p = this.params.get(this.mapKey(accountId, region, bare(name)))
    return p ? toStored(p) : undefined
  }

  all(accountId?: string): StoredParameter[] {
    return [...this.params.values()]
      .filter((p) => accountId === undefined || p.accountId === accountId)
      .map(toStored)
  }

  // ---- dispatch ---------------------------------------------------------------------------

  handle(operation: string, input: Record<string, unknown>, call: SsmCall): unknown {
    switch (operation) {
      case 'PutParameter':
        return this.putParameter(input, call)
      case 'GetParameter':
        return this.getParameter(input, call)
      case 'GetParameters':
        return this.getParameters(input, call)
      case 'GetParameterHistory':
        return this.getParameterHistory(input, call)
      case 'DescribeParameters':
        return this.describeParameters(input, call)
      case 'DeleteParameter':
        return this.deleteParameter(input, call)
      case 'AddTagsToResource':
        return this.addTags(input, call)
      case 'RemoveTagsFromResource':
        return this.removeTags(input, call)
      case 'ListTagsForResource':
        return this.listTags(input, call)
      default:
        throw new AwsError('UnknownOperationException', undefined)
    }
  }

  // ---- helpers ----------------------------------------------------------------------------

  private mapKey(accountId: string, region: string, key: string): string {
    return `${accountId}|${region}|${key}`
  }

  private arn(call: SsmCall, key: string): string {
    return `arn:aws:ssm:${call.region}:${call.accountId}:parameter/${key}`
  }

  private authorize(call: SsmCall, action: string, resource: string): void {
    if (this.iam.denied(call.cred, action, resource))
      throw new AwsError(
        'AccessDeniedException',
        `User: ${principalArn(call.cred.principal)} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
      )
  }

  /** KMS refusals come back wrapped in SSM's AccessDeniedException, with KMS's suffix. */
  private authorizeKms(call: SsmCall, action: string, keyArn: string): void {
    if (this.iam.denied(call.cred, action, keyArn))
      throw new AwsError(
        'AccessDeniedException',
        `User: ${principalArn(call.cred.principal)} is not authorized to perform: ${action} on resource: ${keyArn} because no identity-based policy allows the ${action} action` +
          kmsSuffix('AccessDeniedException'),
      )
  }

  /** Validates a name; returns its key (no leading slash). */
  private checkName(raw: unknown, call: SsmCall, forWrite: boolean): string {
    if (raw === undefined || raw === null)
      throw validation('ValidationException', 'name', undefined, 'Member must not be null')
    if (typeof raw !== 'string') throw new AwsError('SerializationException', undefined)
    if (raw.length < 1)
      throw validation(
        'ValidationException',
        'name',
        raw,
        'Member must have length greater than or equal to 1',
      )
    if (raw.length > 2048)
      throw validation(
        'ValidationException',
        'name',
        raw,
        'Member must have length less than or equal to 2048',
      )
    if (raw.includes('/') && !raw.startsWith('/')) throw ve(forWrite ? NOT_QUALIFIED : PREFIX_LONG)
    const key = bare(raw)
    const lower = key.toLowerCase()
    if (forWrite && (lower.startsWith('aws') || lower.startsWith('ssm'))) {
      const isPath = (raw.match(/\//g) ?? []).length > 1
      if (raw.toLowerCase().startsWith('/aws') && isPath)
        throw new AwsError('AccessDeniedException', `No access to reserved parameter name: ${key}.`)
      throw ve(isPath ? PREFIX_LONG : PREFIX_SHORT)
    }
    const levels = key.split('/')
    if (levels.some((l) => !/^[a-zA-Z0-9_.-]+$/.test(l))) throw ve(PREFIX_LONG)
    if (levels.length > MAX_LEVELS)
      throw new AwsError(
        'HierarchyLevelLimitExceededException',
        `A hierarchy can have a maximum of ${MAX_LEVELS} levels. For more information, see Requirements and constraints for parameter names in the AWS Systems Manager User Guide.`,
      )
    const arn = this.arn(call, key)
    if (arn.length > MAX_ARN)
      throw ve(
        `Parameter name is too long: the parameter ARN (${arn.length} characters) must not exceed ${MAX_ARN} characters.`,
      )
    return key
  }

  private find(call: SsmCall, key: string): Param | undefined {
    return this.params.get(this.mapKey(call.accountId, call.region, key))
  }

  /** Name with an optional ':<version>' selector. */
  private resolveSelector(
    raw: unknown,
    call: SsmCall,
  ): { key: string; selector: string | undefined; version: number | undefined } {
    if (typeof raw === 'string') {
      const m = /^(.*):([^:/]+)$/.exec(raw)
      if (m) {
        const key = this.checkName(m[1], call, false)
        if (!/^\d+$/.test(m[2]!))
          throw new AwsError(
            'ParameterVersionLabelNotFound',
            `Systems Manager could not find the label ${m[2]} for parameter ${m[1]}.`,
          )
        return { key, selector: `:${m[2]}`, version: Number(m[2]) }
      }
    }
    return { key: this.checkName(raw, call, false), selector: undefined, version: undefined }
  }

  // KMS ---------------------------------------------------------------------------------------

  /** The key ARN a KeyId names in this account and region, or InvalidKeyId. */
  private resolveKey(call: SsmCall, keyId: string): string {
    const arnMatch = /^arn:aws:kms:([^:]+):(\d{12}):((?:key|alias)\/.+)$/.exec(keyId)
    const region = arnMatch ? arnMatch[1]! : call.region
    const account = arnMatch ? arnMatch[2]! : call.accountId
    const resource = arnMatch ? arnMatch[3]! : keyId.startsWith('alias/') ? keyId : `key/${keyId}`
    const isAlias = resource.startsWith('alias/')
    const known =
      resource === DEFAULT_KEY ||
      (this.iam.accounts.get(account)?.kmsKeys ?? []).some((entry) => {
        const e = /^arn:aws:kms:([^:]+):(\d{12}):((?:key|alias)\/.+)$/.exec(entry)
        if (e) return e[1] === region && e[2] === account && e[3] === resource
        const r = entry.startsWith('alias/') ? entry : `key/${entry}`
        return r === resource
      })
    if (!known) {
      const arn = `arn:aws:kms:${region}:${account}:${resource}`
      throw new AwsError(
        'InvalidKeyId',
        (isAlias ? `Alias ${arn} is not found.` : `Key '${arn}' does not exist`) +
          kmsSuffix('NotFoundException'),
      )
    }
    if (!isAlias) return `arn:aws:kms:${region}:${account}:${resource}`
    const aliasKey = `${account}|${region}|${resource}`
    let id = this.aliasKeys.get(aliasKey)
    if (!id) {
      id = randomUUID()
      this.aliasKeys.set(aliasKey, id)
    }
    return `arn:aws:kms:${region}:${account}:key/${id}`
  }

  // Policies ----------------------------------------------------------------------------------

  private parsePolicies(raw: unknown): ParameterPolicy[] {
    if (raw === undefined || raw === null || raw === '') return []
    if (typeof raw !== 'string') throw new AwsError('SerializationException', undefined)
    let list: unknown
    try {
      list = JSON.parse(raw)
    } catch {
      throw new AwsError(
        'InvalidPolicyAttributeException',
        'A policy attribute or its value is invalid.',
      )
    }
    if (!Array.isArray(list)) list = [list]
    const policies = list as Array<Record<string, unknown>>
    if (policies.length > 10)
      throw new AwsError(
        'PoliciesLimitExceededException',
        'You specified more than the maximum number of allowed policies for the parameter. The maximum is 10.',
      )
    const seen = new Set<string>()
    return policies.map((p) => {
      const type = typeof p?.Type === 'string' ? p.Type : ''
      if (!POLICY_TYPES.includes(type))
        throw new AwsError(
          'InvalidPolicyTypeException',
          "The policy type isn't supported. Parameter Store supports the following policy types: Expiration, ExpirationNotification, and NoChangeNotification.",
        )
      if (seen.has(type))
        throw new AwsError(
          'IncompatiblePolicyException',
          "There is a conflict in the policies specified for this parameter. You can't, for example, specify two Expiration policies for a parameter. Review your policies, and try again.",
        )
      seen.add(type)
      const attrs = (p.Attributes ?? {}) as Record<string, unknown>
      const bad = () =>
        new AwsError(
          'InvalidPolicyAttributeException',
          'A policy attribute or its value is invalid.',
        )
      const unitOk = (u: unknown) => u === 'Days' || u === 'Hours'
      const numOk = (n: unknown) => /^\d+$/.test(String(n)) && Number(n) > 0
      if (type === 'Expiration') {
        if (typeof attrs.Timestamp !== 'string' || Number.isNaN(Date.parse(attrs.Timestamp)))
          throw bad()
      } else if (type === 'ExpirationNotification') {
        if (!numOk(attrs.Before) || !unitOk(attrs.Unit)) throw bad()
      } else if (!numOk(attrs.After) || !unitOk(attrs.Unit)) throw bad()
      return { PolicyText: JSON.stringify(p), PolicyType: type, PolicyStatus: 'Pending' }
    })
  }

  // Tags --------------------------------------------------------------------------------------

  private parseTags(raw: unknown): Array<[string, string]> {
    if (raw === undefined || raw === null) return []
    if (!Array.isArray(raw)) throw new AwsError('SerializationException', undefined)
    return raw.map((t: Record<string, unknown>, i) => {
      const key = t?.Key
      const value = t?.Value
      const at = (f: string) => `tags.${i + 1}.member.${f}`
      if (typeof key !== 'string')
        throw validation('ValidationException', at('key'), undefined, 'Member must not be null')
      if (typeof value !== 'string')
        throw validation('ValidationException', at('value'), undefined, 'Member must not be null')
      if (key.length < 1 || key.length > 128)
        throw validation(
          'ValidationException',
          at('key'),
          key,
          key.length < 1
            ? 'Member must have length greater than or equal to 1'
            : 'Member must have length less than or equal to 128',
        )
      if (value.length > 256)
        throw validation(
          'ValidationException',
          at('value'),
          value,
          'Member must have length less than or equal to 256',
        )
      if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(key))
        throw validation(
          'ValidationException',
          at('key'),
          key,
          'Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$',
        )
      if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(value))
        throw validation(
          'ValidationException',
          at('value'),
          value,
          'Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$',
        )
      return [key, value] as [string, string]
    })
  }

  // ---- operations -------------------------------------------------------------------------

  private putParameter(input: Record<string, unknown>, call: SsmCall) {
    const value = input.Value
    if (value === undefined || value === null)
      throw validation('ValidationException', 'value', undefined, 'Member must not be null')
    if (typeof value !== 'string') throw new AwsError('SerializationException', undefined)
    const overwrite = input.Overwrite === true
    const tags = this.parseTags(input.Tags)
    if (overwrite && tags.length > 0)
      throw ve(
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
      )
    const key = this.checkName(input.Name, call, true)
    const name = input.Name as string
    const arn = this.arn(call, key)
    this.authorize(call, 'ssm:PutParameter', arn)
    if (value.length < 1)
      throw validation(
        'ValidationException',
        'value',
        undefined,
        'Member must have length greater than or equal to 1',
      )
    const description = input.Description
    if (description !== undefined && typeof description !== 'string')
      throw new AwsError('SerializationException', undefined)
    if (description !== undefined && description.length > 1024)
      throw validation(
        'ValidationException',
        'description',
        description,
        'Member must have length less than or equal to 1024',
      )
    const existing = this.find(call, key)
    const current = existing?.versions.at(-1)

    let type = input.Type as string | undefined
    if (type !== undefined && !TYPES.includes(type as ParameterType))
      throw validation(
        'ValidationException',
        'type',
        String(type),
        'Member must satisfy enum value set: [SecureString, StringList, String]',
      )
    if (type === undefined) {
      if (!current) throw ve('A parameter type is required when you create a parameter.')
      type = current.type
    }
    const dataType = (input.DataType as string | undefined) ?? current?.dataType ?? 'text'
    if (!DATA_TYPES.includes(dataType))
      throw ve(
        `The following data type is not supported: ${dataType} (Data type names are all lowercase.)`,
      )

    if (input.KeyId !== undefined && type !== 'SecureString')
      throw ve('KeyId is required for SecureString type parameter only.')

    if (existing && !overwrite)
      throw new AwsError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      )
    if (current && current.type !== type && this.typeChange === 'refuse')
      throw new AwsError(
        'HierarchyTypeMismatchException',
        "Parameter Store doesn't support changing a parameter type in a hierarchy. For example, you can't change a parameter from a String type to a SecureString type. You must create a new, unique parameter.",
      )

    const allowedPattern = (input.AllowedPattern as string | undefined) ?? current?.allowedPattern
    if (allowedPattern !== undefined) {
      let re: RegExp
      try {
        re = new RegExp(allowedPattern)
      } catch {
        throw new AwsError(
          'InvalidAllowedPatternException',
          'The request does not meet the regular expression requirement.',
        )
      }
      if (!re.test(value))
        throw new AwsError(
          'ParameterPatternMismatchException',
          `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`,
        )
    }

    const policies =
      input.Policies !== undefined ? this.parsePolicies(input.Policies) : (current?.policies ?? [])
    const size = Buffer.byteLength(value)
    const requested = (input.Tier as string | undefined) ?? current?.tier ?? 'Standard'
    if (!['Standard', 'Advanced', 'Intelligent-Tiering'].includes(requested))
      throw validation(
        'ValidationException',
        'tier',
        requested,
        'Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard]',
      )
    let tier: ParameterTier
    if (requested === 'Intelligent-Tiering')
      tier =
        size > STANDARD_MAX || policies.length > 0 || current?.tier === 'Advanced'
          ? 'Advanced'
          : 'Standard'
    else tier = requested as ParameterTier
    if (current?.tier === 'Advanced' && tier === 'Standard')
      throw ve(
        "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.",
      )
    if (tier === 'Standard' && size > STANDARD_MAX)
      throw ve(
        `Standard tier parameters support a maximum parameter value of ${STANDARD_MAX} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html`,
      )
    if (size > ADVANCED_MAX)
      throw ve(
        `Advanced tier parameters support a maximum parameter value of ${ADVANCED_MAX} characters.`,
      )
    if (policies.length > 0 && tier !== 'Advanced')
      throw ve(
        'Parameter policies are supported only for advanced-tier parameters. Upgrade the parameter to the advanced-parameter tier, and try again.',
      )

    let keyId: string | undefined
    if (type === 'SecureString') {
      keyId = (input.KeyId as string | undefined) ?? current?.keyId ?? DEFAULT_KEY
      const keyArn = this.resolveKey(call, keyId)
      this.authorizeKms(call, 'kms:Encrypt', keyArn)
    }
    if (tags.length > MAX_TAGS) throw new AwsError('TooManyTagsError', undefined)
    if (!existing && tier === 'Standard') {
      const count = [...this.params.values()].filter(
        (p) =>
          p.accountId === call.accountId &&
          p.region === call.region &&
          p.versions.at(-1)!.tier === 'Standard',
      ).length
      if (count >= this.standardLimit)
        throw new AwsError(
          'ParameterLimitExceeded',
          'You have exceeded the number of parameters for this AWS account. Delete unnecessary parameters and try again.',
        )
    }

    const version: Version = {
      version: (current?.version ?? 0) + 1,
      value,
      type: type as ParameterType,
      keyId,
      description: description ?? current?.description,
      tier,
      policies,
      allowedPattern,
      dataType,
      lastModifiedDate: new Date(),
      lastModifiedUser: principalArn(call.cred.principal),
      labels: [],
      ciphertext: type === 'SecureString' ? fakeCiphertext(value) : undefined,
    }
    const param: Param = existing ?? {
      accountId: call.accountId,
      region: call.region,
      key,
      name,
      arn,
      tags: new Map(tags),
      versions: [],
    }
    param.versions.push(version)
    if (param.versions.length > MAX_VERSIONS) param.versions.shift()
    if (!existing) this.params.set(this.mapKey(call.accountId, call.region, key), param)
    return { Version: version.version, Tier: tier }
  }

  private decryptCheck(call: SsmCall, v: Version, withDecryption: boolean): void {
    if (withDecryption && v.type === 'SecureString')
      this.authorizeKms(call, 'kms:Decrypt', this.resolveKey(call, v.keyId ?? DEFAULT_KEY))
  }

  private shownValue(v: Version, withDecryption: boolean): string {
    return v.type === 'SecureString' && !withDecryption ? v.ciphertext! : v.value
  }

  private getParameter(input: Record<string, unknown>, call: SsmCall) {
    const { key, selector, version } = this.resolveSelector(input.Name, call)
    const arn = this.arn(call, key)
    this.authorize(call, 'ssm:GetParameter', arn)
    const p = this.find(call, key)
    if (!p) throw new AwsError('ParameterNotFound', undefined)
    const v =
      version === undefined ? p.versions.at(-1)! : p.versions.find((x) => x.version === version)
    if (!v)
      throw new AwsError(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${version} of ${p.name}. Verify the version and try again.`,
      )
    const withDecryption = input.WithDecryption === true
    this.decryptCheck(call, v, withDecryption)
    return { Parameter: this.parameterOut(p, v, withDecryption, selector) }
  }

  private parameterOut(p: Param, v: Version, withDecryption: boolean, selector?: string) {
    return {
      Name: p.name,
      Type: v.type,
      Value: this.shownValue(v, withDecryption),
      Version: v.version,
      ...(selector ? { Selector: selector } : {}),
      LastModifiedDate: epochSeconds(v.lastModifiedDate),
      ARN: p.arn,
      DataType: v.dataType,
    }
  }

  private getParameters(input: Record<string, unknown>, call: SsmCall) {
    const names = input.Names
    if (!Array.isArray(names) || names.length < 1 || names.length > 10)
      throw validation(
        'ValidationException',
        'names',
        Array.isArray(names) ? `[${names.join(', ')}]` : undefined,
        Array.isArray(names) && names.length > 10
          ? 'Member must have length less than or equal to 10'
          : 'Member must have length greater than or equal to 1',
      )
    const withDecryption = input.WithDecryption === true
    const found: unknown[] = []
    const invalid: string[] = []
    for (const raw of names) {
      const { key, selector, version } = this.resolveSelector(raw, call)
      this.authorize(call, 'ssm:GetParameters', this.arn(call, key))
      const p = this.find(call, key)
      const v =
        p &&
        (version === undefined ? p.versions.at(-1) : p.versions.find((x) => x.version === version))
      if (!p || !v) {
        invalid.push(String(raw))
        continue
      }
      this.decryptCheck(call, v, withDecryption)
      found.push(this.parameterOut(p, v, withDecryption, selector))
    }
    return { Parameters: found, InvalidParameters: invalid }
  }

  private page<T>(items: T[], input: Record<string, unknown>, max: number, dflt: number) {
    const size = input.MaxResults === undefined ? dflt : Number(input.MaxResults)
    if (!Number.isInteger(size) || size < 1 || size > max)
      throw validation(
        'ValidationException',
        'maxResults',
        String(input.MaxResults),
        size < 1
          ? 'Member must have value greater than or equal to 1'
          : `Member must have value less than or equal to ${max}`,
      )
    let start = 0
    if (input.NextToken !== undefined) {
      const decoded = /^sbx:(\d+)$/.exec(Buffer.from(String(input.NextToken), 'base64').toString())
      if (!decoded) throw new AwsError('InvalidNextToken', 'The specified token is not valid.')
      start = Number(decoded[1])
    }
    const slice = items.slice(start, start + size)
    const next = start + size < items.length
    return {
      slice,
      nextToken: next ? Buffer.from(`sbx:${start + size}`).toString('base64') : undefined,
    }
  }

  private getParameterHistory(input: Record<string, unknown>, call: SsmCall) {
    const key = this.checkName(input.Name, call, false)
    this.authorize(call, 'ssm:GetParameterHistory', this.arn(call, key))
    const p = this.find(call, key)
    if (!p) throw new AwsError('ParameterNotFound', undefined)
    const withDecryption = input.WithDecryption === true
    const { slice, nextToken } = this.page(p.versions, input, 50, 50)
    for (const v of slice) this.decryptCheck(call, v, withDecryption)
    return {
      Parameters: slice.map((v) => ({
        Name: p.name,
        Type: v.type,
        ...(v.keyId !== undefined ? { KeyId: v.keyId } : {}),
        LastModifiedDate: epochSeconds(v.lastModifiedDate),
        LastModifiedUser: v.lastModifiedUser,
        ...(v.description !== undefined ? { Description: v.description } : {}),
        Value: this.shownValue(v, withDecryption),
        ...(v.allowedPattern !== undefined ? { AllowedPattern: v.allowedPattern } : {}),
        Version: v.version,
        Labels: [...v.labels],
        Tier: v.tier,
        Policies: v.policies.map((x) => ({ ...x })),
        DataType: v.dataType,
      })),
      ...(nextToken ? { NextToken: nextToken } : {}),
    }
  }

  private describeParameters(input: Record<string, unknown>, call: SsmCall) {
    this.authorize(call, 'ssm:DescribeParameters', `arn:aws:ssm:${call.region}:${call.accountId}:*`)
    const filters = [
      ...((input.ParameterFilters as Array<Record<string, unknown>> | undefined) ?? []),
      // The legacy Filters (Name/Type/KeyId, equality) behave like ParameterFilters with Equals.
      ...((input.Filters as Array<Record<string, unknown>> | undefined) ?? []).map((f) => ({
        Key: f.Key,
        Option: f.Key === 'Name' ? 'BeginsWith' : 'Equals',
        Values: f.Values,
      })),
    ]
    const mine = [...this.params.values()]
      .filter((p) => p.accountId === call.accountId && p.region === call.region)
      .sort((a, b) => a.name.localeCompare(b.name))
      .filter((p) => filters.every((f) => matchesFilter(p, f)))
    const { slice, nextToken } = this.page(mine, input, 50, 10)
    return {
      Parameters: slice.map((p) => {
        const v = p.versions.at(-1)!
        return {
          Name: p.name,
          ARN: p.arn,
          Type: v.type,
          ...(v.keyId !== undefined ? { KeyId: v.keyId } : {}),
          LastModifiedDate: epochSeconds(v.lastModifiedDate),
          LastModifiedUser: v.lastModifiedUser,
          ...(v.description !== undefined ? { Description: v.description } : {}),
          ...(v.allowedPattern !== undefined ? { AllowedPattern: v.allowedPattern } : {}),
          Version: v.version,
          Tier: v.tier,
          Policies: v.policies.map((x) => ({ ...x })),
          DataType: v.dataType,
        }
      }),
      ...(nextToken ? { NextToken: nextToken } : {}),
    }
  }

  private deleteParameter(input: Record<string, unknown>, call: SsmCall) {
    const key = this.checkName(input.Name, call, false)
    this.authorize(call, 'ssm:DeleteParameter', this.arn(call, key))
    if (!this.find(call, key)) throw new AwsError('ParameterNotFound', undefined)
    this.params.delete(this.mapKey(call.accountId, call.region, key))
    return {}
  }

  private tagTarget(input: Record<string, unknown>, call: SsmCall, action: string): Param {
    if (input.ResourceType !== 'Parameter') {
      const known = [
        'Document',
        'ManagedInstance',
        'MaintenanceWindow',
        'PatchBaseline',
        'OpsItem',
        'OpsMetadata',
        'Automation',
        'Association',
      ]
      if (typeof input.ResourceType === 'string' && known.includes(input.ResourceType))
        throw new AwsError(
          'InvalidResourceId',
          'The resource ID is not valid. Verify that you entered the correct ID and try again.',
        )
      throw validation(
        'ValidationException',
        'resourceType',
        String(input.ResourceType),
        'Member must satisfy enum value set: [Document, ManagedInstance, MaintenanceWindow, Parameter, PatchBaseline, OpsItem, OpsMetadata, Automation, Association]',
      )
    }
    let id = input.ResourceId
    if (typeof id === 'string') {
      const m = /^arn:aws:ssm:[^:]+:\d{12}:parameter\/(.+)$/.exec(id)
      if (m) id = m[1]!.includes('/') ? `/${m[1]}` : m[1]
    }
    let key: string
    try {
      key = this.checkName(id, call, false)
    } catch {
      throw new AwsError(
        'InvalidResourceId',
        'The resource ID is not valid. Verify that you entered the correct ID and try again.',
      )
    }
    this.authorize(call, action, this.arn(call, key))
    const p = this.find(call, key)
    if (!p)
      throw new AwsError(
        'InvalidResourceId',
        'The resource ID is not valid. Verify that you entered the correct ID and try again.',
      )
    return p
  }

  private addTags(input: Record<string, unknown>, call: SsmCall) {
    const p = this.tagTarget(input, call, 'ssm:AddTagsToResource')
    if (!Array.isArray(input.Tags))
      throw validation('ValidationException', 'tags', undefined, 'Member must not be null')
    const tags = this.parseTags(input.Tags)
    const merged = new Map(p.tags)
    for (const [k, v] of tags) merged.set(k, v)
    if (merged.size > MAX_TAGS) throw new AwsError('TooManyTagsError', undefined)
    p.tags = merged
    return {}
  }

  private removeTags(input: Record<string, unknown>, call: SsmCall) {
    const p = this.tagTarget(input, call, 'ssm:RemoveTagsFromResource')
    const keys = input.TagKeys
    if (!Array.isArray(keys))
      throw validation('ValidationException', 'tagKeys', undefined, 'Member must not be null')
    for (const k of keys) p.tags.delete(String(k))
    return {}
  }

  private listTags(input: Record<string, unknown>, call: SsmCall) {
    const p = this.tagTarget(input, call, 'ssm:ListTagsForResource')
    return { TagList: [...p.tags].map(([Key, Value]) => ({ Key, Value })) }
  }
}

const bare = (name: string): string => name.replace(/^\//, '')

function matchesFilter(p: Param, f: Record<string, unknown>): boolean {
  const key = typeof f.Key === 'string' ? f.Key : ''
  const values = Array.isArray(f.Values) ? f.Values.map(String) : []
  const option = typeof f.Option === 'string' ? f.Option : undefined
  const v = p.versions.at(-1)!
  const eq = (actual: string | undefined) => actual !== undefined && values.includes(actual)
  if (key === 'Name') {
    if (option === 'BeginsWith') return values.some((x) => p.key.startsWith(bare(x)))
    if (option === 'Contains') return values.some((x) => p.name.includes(x))
    return values.some((x) => bare(x) === p.key)
  }
  if (key === 'Path') {
    const recursive = option === 'Recursive'
    return values.some((x) => {
      const prefix = x.endsWith('/') ? x : `${x}/`
      if (!p.name.startsWith(prefix)) return false
      return recursive || !p.name.slice(prefix.length).includes('/')
    })
  }
  if (key === 'Type') return eq(v.type)
  if (key === 'KeyId') return eq(v.keyId)
  if (key === 'Tier') return eq(v.tier)
  if (key === 'DataType') return eq(v.dataType)
  if (key.startsWith('tag:')) {
    const tag = p.tags.get(key.slice(4))
    return tag !== undefined && (values.length === 0 || values.includes(tag))
  }
  throw new AwsError(
    'InvalidFilterKey',
    `The following filter key is not valid: ${key}. Valid filter keys include: [Path, Name, Type, KeyId, Tier, Label, DataType, tag:<key>].`,
  )
}

function toStored(p: Param): StoredParameter {
  const v = p.versions.at(-1)!
  const copyVersion = (x: Version): ParameterVersion => ({
    version: x.version,
    value: x.value,
    type: x.type,
    keyId: x.keyId,
    description: x.description,
    tier: x.tier,
    policies: x.policies.map((y) => ({ ...y })),
    allowedPattern: x.allowedPattern,
    dataType: x.dataType,
    lastModifiedDate: new Date(x.lastModifiedDate),
    lastModifiedUser: x.lastModifiedUser,
    labels: [...x.labels],
  })
  return {
    accountId: p.accountId,
    region: p.region,
    name: p.name,
    arn: p.arn,
    value: v.value,
    type: v.type,
    keyId: v.keyId,
    version: v.version,
    tier: v.tier,
    description: v.description,
    tags: Object.fromEntries(p.tags),
    policies: v.policies.map((y) => ({ ...y })),
    allowedPattern: v.allowedPattern,
    dataType: v.dataType,
    lastModifiedDate: new Date(v.lastModifiedDate),
    lastModifiedUser: v.lastModifiedUser,
    history: p.versions.map(copyVersion),
  }
}
