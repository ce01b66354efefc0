/**
 * The few AWS calls this action makes, behind a small interface. The SDK is imported only when a
 * request is about to be made: an input error is reported without paying its start-up cost.
 */
import { describeAwsError, redirectError, unreadableError, type CallLimits } from './aws-errors.js'

export interface Credentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

export interface PutInput {
  Name: string
  Value: string
  Type: 'SecureString'
  Overwrite: boolean
  KeyId?: string
  Tier?: 'Standard' | 'Advanced' | 'Intelligent-Tiering'
  Description?: string
  Tags?: Array<{ Key: string; Value: string }>
  Policies?: string
}

/** What DescribeParameters says of a parameter: everything but its value and tags. */
export interface ParameterMeta {
  type: string
  keyId?: string
  description?: string
  tier?: string
  /** Each policy's JSON text, as SSM stores it. */
  policies: string[]
  version?: number
}

/** A parameter as GetParameter (WithDecryption) returns it; every field checked. */
export interface StoredParameter {
  value: string
  version: number
  type: string
  lastModified: Date
}

export interface SsmApi {
  putParameter(input: PutInput): Promise<{ Version?: number; Tier?: string }>
  getParameterValue(name: string): Promise<{ value?: string; version?: number }>
  /** The audit's read: the value with its type, version and date, all checked. */
  readParameter(name: string): Promise<StoredParameter>
  /** undefined: DescribeParameters did not list it. */
  describeParameter(name: string): Promise<ParameterMeta | undefined>
  listTags(name: string): Promise<Record<string, string>>
  addTags(name: string, tags: Record<string, string>): Promise<void>
}

export interface StsApi {
  callerIdentity(): Promise<{ account: string; arn: string }>
  assumeRole(roleArn: string, sessionName: string): Promise<Credentials>
}

export interface AwsClients {
  ssm(region: string, credentials?: Credentials): Promise<SsmApi>
  sts(region: string, credentials?: Credentials): Promise<StsApi>
}

export { AwsCallError } from './aws-errors.js'

/**
 * Per attempt: AWS answers in well under a second; a silent endpoint is given up on after this,
 * and retried (the SDK's standard strategy: exponential backoff with jitter) up to maxAttempts.
 */
export const DEFAULT_LIMITS: CallLimits = { requestTimeoutMs: 20_000, maxAttempts: 3 }
const CONNECT_TIMEOUT_MS = 5_000

export interface ClientOptions {
  /** Absolute deadline (ms since epoch) for every call, retries included. */
  deadline?: number
  limits?: CallLimits
}

/** An answer of the wrong shape: it proves nothing, so it is an error, never "absent" or "none". */
const malformed = (operation: string, what: string) =>
  unreadableError(operation, 200, `a body of the wrong shape (${what})`)

const PARAMETER_TYPES = new Set(['String', 'StringList', 'SecureString'])
const isStringOrNone = (v: unknown) => v === undefined || v === null || typeof v === 'string'
const isVersion = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0

/** DescribeParameters pages may be empty while NextToken goes on; a name listed nowhere is undefined. */
const MAX_PAGES = 50

interface RawResponse {
  statusCode: number
  headers: Record<string, string>
  body: unknown
}
type Handler = (args: unknown) => Promise<{ response: unknown; output: unknown }>
interface MiddlewareStack {
  add(
    mw: (next: Handler, context: { commandName?: string }) => Handler,
    opts: { step: 'deserialize'; priority: 'low'; name: string },
  ): void
}

async function collect(body: unknown): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body)
  if (!body || typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function')
    return Buffer.alloc(0)
  const chunks: Buffer[] = []
  for await (const c of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(c))
  return Buffer.concat(chunks)
}

/** Operations whose answer is `{}`: the SDK would drop any member, so the raw body is checked. */
const EMPTY_ANSWERS = new Set(['AddTagsToResource'])

/** What a 2xx SSM body is when it is not a JSON object (its text is never described). */
function notSsmJson(text: string, operation: string): string | undefined {
  if (!text.trim()) return 'an empty body'
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return text.trimStart().startsWith('<')
      ? 'an HTML page (likely a proxy answered instead of AWS)'
      : 'a body that is not JSON'
  }
  if (value === null) return 'a JSON null'
  if (typeof value !== 'object') return `a JSON ${typeof value}, not an object`
  if (Array.isArray(value)) return 'a JSON list, not an object'
  if (EMPTY_ANSWERS.has(operation) && Object.keys(value).length)
    return `a body of the wrong shape (members ${operation} does not answer with)`
  return undefined
}

/** What a 2xx STS body is when it is not `<{Operation}Response>` XML. */
function notStsXml(text: string, operation: string): string | undefined {
  if (!text.trim()) return 'an empty body'
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z][\w.:-]{0,63})/.exec(text)?.[1]
  if (!root) return 'a body that is not XML'
  if (/^html$/i.test(root)) return 'an HTML page (likely a proxy answered instead of AWS)'
  if (root !== `${operation}Response`) return `XML rooted at <${root}>, not <${operation}Response>`
  return undefined
}

/**
 * Sees every raw answer before the SDK parses it: a redirect is refused naming its host (the SDK
 * would call it "UnknownError"), and a 2xx body that is not the protocol's (empty, `null`, HTML)
 * is an unreadable answer, never an empty result. Runs inside the SDK's retries: neither is retried.
 */
function checkAnswers(service: 'SSM' | 'STS', stack: MiddlewareStack): void {
  stack.add(
    (next, context) => async (args) => {
      const result = await next(args)
      const res = result.response as RawResponse
      const name = (context.commandName ?? '').replace(/Command$/, '')
      const operation = `${service} ${name}`
      if (res.statusCode >= 300 && res.statusCode < 400) {
        const location = Object.entries(res.headers ?? {}).find(
          ([k]) => k.toLowerCase() === 'location',
        )?.[1]
        // Unread, its body would hold the socket (and the process) open: drop it.
        ;(res.body as { destroy?: () => void } | undefined)?.destroy?.()
        throw redirectError(operation, res.statusCode, location)
      }
      if (res.statusCode < 200 || res.statusCode >= 300) return result
      const bytes = await collect(res.body)
      res.body = bytes
      const text = bytes.toString('utf8')
      const what = service === 'SSM' ? notSsmJson(text, name) : notStsXml(text, name)
      if (what) throw unreadableError(operation, res.statusCode, what)
      return result
    },
    { step: 'deserialize', priority: 'low', name: 'argocdCheckAnswers' },
  )
}

/** Every client: a per-request timeout, bounded jittered retries, and the step's deadline. */
export function createSdkClients(opts: ClientOptions = {}): AwsClients {
  const limits = opts.limits ?? DEFAULT_LIMITS
  const config = (region: string, credentials?: Credentials) => ({
    region,
    credentials,
    maxAttempts: limits.maxAttempts,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: Math.min(CONNECT_TIMEOUT_MS, limits.requestTimeoutMs),
      requestTimeout: limits.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  })
  const sendOptions = () =>
    opts.deadline === undefined
      ? {}
      : { abortSignal: AbortSignal.timeout(Math.max(1, opts.deadline - Date.now())) }
  async function guarded<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      throw describeAwsError(operation, error, limits)
    }
  }

  // A client's every answer checked before the SDK parses it, every call guarded (named errors).
  const sender = (
    service: 'SSM' | 'STS',
    client: {
      middlewareStack: unknown
      send: (command: never, options: never) => Promise<unknown>
    },
  ) => {
    checkAnswers(service, client.middlewareStack as MiddlewareStack)
    return <T>(operation: string, command: unknown) =>
      guarded(operation, () => client.send(command as never, sendOptions() as never) as Promise<T>)
  }

  return {
    async ssm(region, credentials) {
      const sdk = await import('@aws-sdk/client-ssm')
      // TooManyUpdates is not retried by the SDK: publish.ts retries it.
      const send = sender('SSM', new sdk.SSMClient(config(region, credentials)))
      return {
        async putParameter(input) {
          const op = 'SSM PutParameter'
          const r = await send<{ Version?: unknown; Tier?: string }>(
            op,
            new sdk.PutParameterCommand(input),
          )
          if (!isVersion(r.Version)) throw malformed(op, 'no Version')
          return { Version: r.Version, Tier: r.Tier }
        },
        async getParameterValue(name) {
          const op = 'SSM GetParameter'
          const r = await send<{ Parameter?: { Value?: unknown; Version?: unknown } }>(
            op,
            new sdk.GetParameterCommand({ Name: name, WithDecryption: true }),
          )
          const p = r.Parameter
          if (!p || typeof p.Value !== 'string') throw malformed(op, 'no Parameter.Value')
          if (!isVersion(p.Version)) throw malformed(op, 'no Parameter.Version')
          return { value: p.Value, version: p.Version }
        },
        async readParameter(name) {
          const op = 'SSM GetParameter'
          const r = await send<{
            Parameter?: {
              Value?: unknown
              Version?: unknown
              Type?: unknown
              LastModifiedDate?: unknown
            }
          }>(op, new sdk.GetParameterCommand({ Name: name, WithDecryption: true }))
          const p = r.Parameter
          if (!p || typeof p.Value !== 'string') throw malformed(op, 'no Parameter.Value')
          if (!isVersion(p.Version)) throw malformed(op, 'no Parameter.Version')
          if (typeof p.Type !== 'string' || !PARAMETER_TYPES.has(p.Type))
            throw malformed(op, 'no Parameter.Type')
          const date = p.LastModifiedDate
          if (!(date instanceof Date) || Number.isNaN(date.getTime()))
            throw malformed(op, 'no Parameter.LastModifiedDate')
          return { value: p.Value, version: p.Version, type: p.Type, lastModified: date }
        },
        async describeParameter(name) {
          const op = 'SSM DescribeParameters'
          const bare = name.replace(/^\//, '')
          let next: string | undefined
          for (let page = 0; page < MAX_PAGES; page++) {
            const r = await send<DescribeParametersResult>(
              op,
              new sdk.DescribeParametersCommand({
                ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }],
                ...(next && { NextToken: next }),
              }),
            )
            if (!Array.isArray(r.Parameters)) throw malformed(op, 'no Parameters list')
            const p = r.Parameters.find((x) => x?.Name?.replace(/^\//, '') === bare)
            if (p) {
              const policies = p.Policies ?? []
              if (
                typeof p.Type !== 'string' ||
                !isStringOrNone(p.KeyId) ||
                !isStringOrNone(p.Description) ||
                !isStringOrNone(p.Tier) ||
                !Array.isArray(policies) ||
                policies.some((x) => typeof x?.PolicyText !== 'string')
              )
                throw malformed(op, "the parameter's attributes")
              return {
                type: p.Type,
                keyId: (p.KeyId as string | null) ?? undefined,
                description: (p.Description as string | null) ?? undefined,
                tier: (p.Tier as string | null) ?? undefined,
                policies: policies.map((x) => x.PolicyText as string),
                version: p.Version,
              }
            }
            next = r.NextToken
            if (!next) return undefined
          }
          throw malformed(op, `more than ${MAX_PAGES} pages`)
        },
        async listTags(name) {
          const op = 'SSM ListTagsForResource'
          const r = await send<{ TagList?: Array<{ Key?: unknown; Value?: unknown }> }>(
            op,
            new sdk.ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }),
          )
          // SSM lists an untagged parameter as TagList: []: a missing list is no answer.
          const list = r.TagList
          if (
            !Array.isArray(list) ||
            list.some((t) => typeof t?.Key !== 'string' || typeof t?.Value !== 'string')
          )
            throw malformed(op, 'no TagList of Key/Value strings')
          return Object.fromEntries(list.map((t) => [t.Key as string, t.Value as string]))
        },
        async addTags(name, tags) {
          const op = 'SSM AddTagsToResource'
          await send(
            op,
            new sdk.AddTagsToResourceCommand({
              ResourceType: 'Parameter',
              ResourceId: name,
              Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
            }),
          )
          // Its answer is `{}`: checkAnswers refuses anything else.
        },
      }
    },
    async sts(region, credentials) {
      const sdk = await import('@aws-sdk/client-sts')
      const send = sender('STS', new sdk.STSClient(config(region, credentials)))
      return {
        async callerIdentity() {
          const op = 'STS GetCallerIdentity'
          const r = await send<{ Account?: unknown; Arn?: unknown }>(
            op,
            new sdk.GetCallerIdentityCommand({}),
          )
          if (typeof r.Account !== 'string' || !/^\d{12}$/.test(r.Account))
            throw malformed(op, 'no 12-digit Account')
          if (typeof r.Arn !== 'string' || !r.Arn.startsWith('arn:')) throw malformed(op, 'no Arn')
          return { account: r.Account, arn: r.Arn }
        },
        async assumeRole(roleArn, sessionName) {
          const op = `STS AssumeRole ${roleArn}`
          const r = await send<{ Credentials?: Record<string, unknown> }>(
            op,
            new sdk.AssumeRoleCommand({
              RoleArn: roleArn,
              RoleSessionName: sessionName,
              DurationSeconds: 900,
            }),
          )
          const c = r.Credentials
          if (
            typeof c?.AccessKeyId !== 'string' ||
            !c.AccessKeyId ||
            typeof c.SecretAccessKey !== 'string' ||
            !c.SecretAccessKey ||
            typeof c.SessionToken !== 'string'
          )
            throw malformed(op, 'no Credentials with AccessKeyId, SecretAccessKey, SessionToken')
          return {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
          }
        },
      }
    },
  }
}

interface DescribeParametersResult {
  Parameters?: Array<{
    Name?: string
    Type?: unknown
    KeyId?: unknown
    Description?: unknown
    Tier?: unknown
    Policies?: Array<{ PolicyText?: unknown }>
    Version?: number
  }>
  NextToken?: string
}

/** Default limits, no deadline (the CLI); the action passes its deadline to createSdkClients. */
export const sdkClients: AwsClients = createSdkClients()
