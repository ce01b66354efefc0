/**
 * The few AWS calls this action makes, behind a small interface. The SDK is imported only when a
 * request is about to be made: an input error is reported without paying its start-up cost.
 */
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

export interface SsmApi {
  putParameter(input: PutInput): Promise<{ Version?: number; Tier?: string }>
  getParameterValue(name: string): Promise<{ value?: string; version?: number }>
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

/** AWS errors carry `$response` and request details: only name and message leave this module. */
export class AwsCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message)
    this.name = 'AwsCallError'
  }
}

function clean(error: unknown): AwsCallError {
  const e = error as {
    name?: string
    Code?: string
    message?: string
    $metadata?: { httpStatusCode?: number }
    $response?: { headers?: Record<string, string>; body?: unknown }
    $responseBodyText?: unknown
  }
  const status = e?.$metadata?.httpStatusCode
  const unreadable = unreadableAnswer(e, status)
  if (unreadable) return new AwsCallError('UnreadableAnswer', unreadable, status)
  const code = e?.name && e.name !== 'Error' ? e.name : (e?.Code ?? 'Error')
  return new AwsCallError(code, e?.message ?? String(error), status)
}

/**
 * The SDK could not parse the answer (it says "Deserialization error"): describe what came
 * instead, never its text, and the likely cause. undefined for a proper AWS error.
 */
function unreadableAnswer(
  e: {
    name?: string
    message?: string
    $response?: { headers?: Record<string, string>; body?: unknown }
    $responseBodyText?: unknown
  },
  status: number | undefined,
): string | undefined {
  if (!e || !(e.name === 'SyntaxError' || /Deserialization error/.test(e.message ?? '')))
    return undefined
  const headers = e.$response?.headers ?? {}
  const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? ''
  const text =
    typeof e.$responseBodyText === 'string'
      ? e.$responseBodyText
      : typeof e.$response?.body === 'string'
        ? e.$response.body
        : undefined
  const kind =
    /html/i.test(type) || text?.trimStart().startsWith('<')
      ? 'an HTML page'
      : text !== undefined && !text.trim()
        ? 'an empty body'
        : "a body that is not SSM's JSON"
  const cause =
    kind === 'an HTML page'
      ? 'a proxy, firewall or load balancer answered instead of AWS (check HTTPS_PROXY / AWS_ENDPOINT_URL)'
      : 'AWS failed, or something between the runner and AWS changed the answer'
  return `HTTP ${status ?? '?'} with ${kind} instead of an AWS answer: likely ${cause}`
}

/** An answer of the wrong shape: it proves nothing, so it is an error, never "absent" or "none". */
const malformed = (what: string) =>
  new AwsCallError('MalformedResponse', `${what} answered with a body of the wrong shape`)

const isStringOrNone = (v: unknown) => v === undefined || v === null || typeof v === 'string'

/** DescribeParameters pages may be empty while NextToken goes on; a name listed nowhere is undefined. */
const MAX_PAGES = 50

async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw clean(error)
  }
}

export const sdkClients: AwsClients = {
  async ssm(region, credentials) {
    const sdk = await import('@aws-sdk/client-ssm')
    // The SDK retries throttling itself (3 attempts); TooManyUpdates is ours to retry.
    const client = new sdk.SSMClient({ region, credentials, maxAttempts: 3 })
    return {
      putParameter: (input) => guarded(() => client.send(new sdk.PutParameterCommand(input))),
      async getParameterValue(name) {
        const r = await guarded(() =>
          client.send(new sdk.GetParameterCommand({ Name: name, WithDecryption: true })),
        )
        return { value: r.Parameter?.Value, version: r.Parameter?.Version }
      },
      async describeParameter(name) {
        const bare = name.replace(/^\//, '')
        let next: string | undefined
        for (let page = 0; page < MAX_PAGES; page++) {
          const r = await guarded(() =>
            client.send(
              new sdk.DescribeParametersCommand({
                ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }],
                ...(next && { NextToken: next }),
              }),
            ),
          )
          if (!r || !Array.isArray(r.Parameters)) throw malformed('DescribeParameters')
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
              throw malformed('DescribeParameters')
            return {
              type: p.Type,
              keyId: p.KeyId ?? undefined,
              description: p.Description ?? undefined,
              tier: p.Tier ?? undefined,
              policies: policies.map((x) => x.PolicyText!),
              version: p.Version,
            }
          }
          next = r.NextToken
          if (!next) return undefined
        }
        throw malformed('DescribeParameters (more than 50 pages)')
      },
      async listTags(name) {
        const r = await guarded(() =>
          client.send(
            new sdk.ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }),
          ),
        )
        const list = r?.TagList ?? (r ? [] : undefined)
        if (
          !Array.isArray(list) ||
          list.some((t) => typeof t?.Key !== 'string' || typeof t?.Value !== 'string')
        )
          throw malformed('ListTagsForResource')
        return Object.fromEntries(list.map((t) => [t.Key!, t.Value!]))
      },
      async addTags(name, tags) {
        await guarded(() =>
          client.send(
            new sdk.AddTagsToResourceCommand({
              ResourceType: 'Parameter',
              ResourceId: name,
              Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
            }),
          ),
        )
      },
    }
  },
  async sts(region, credentials) {
    const sdk = await import('@aws-sdk/client-sts')
    const client = new sdk.STSClient({ region, credentials, maxAttempts: 3 })
    return {
      async callerIdentity() {
        const r = await guarded(() => client.send(new sdk.GetCallerIdentityCommand({})))
        return { account: r.Account ?? '', arn: r.Arn ?? '' }
      },
      async assumeRole(roleArn, sessionName) {
        const r = await guarded(() =>
          client.send(
            new sdk.AssumeRoleCommand({
              RoleArn: roleArn,
              RoleSessionName: sessionName,
              DurationSeconds: 900,
            }),
          ),
        )
        const c = r.Credentials
        if (!c?.AccessKeyId || !c.SecretAccessKey)
          throw new AwsCallError(
            'AssumeRoleFailed',
            `AssumeRole ${roleArn} returned no credentials`,
          )
        return {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
        }
      },
    }
  },
}
