// The AWS double's STS, driven by the real @aws-sdk/client-sts (and SSM for cross-account writes).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import {
  AssumeRoleCommand,
  GetCallerIdentityCommand,
  STSClient,
  type STSClientConfig,
} from '@aws-sdk/client-sts'
import { startAwsSandbox, type AwsCredentials, type AwsSandbox } from '../src/index.js'
import { caught, signedPost } from './helpers/aws.js'

const CORE = '111111111111'
const DEV = '222222222222'
const PROD = '333333333333'
const REGION = 'us-east-2'
const DEV_ROLE = `arn:aws:iam::${DEV}:role/argocd-token-publisher`
const PROD_ROLE = `arn:aws:iam::${PROD}:role/deploy/argocd-token-publisher`

let sb: AwsSandbox
let creds: AwsCredentials
let sts: STSClient
const destroyables: Array<{ destroy(): void }> = []

function stsClient(c: AwsCredentials, extra: Partial<STSClientConfig> = {}): STSClient {
  const made = new STSClient({
    endpoint: sb.url,
    region: REGION,
    credentials: c,
    maxAttempts: 1,
    ...extra,
  })
  destroyables.push(made)
  return made
}

function ssmClient(c: AwsCredentials): SSMClient {
  const made = new SSMClient({ endpoint: sb.url, region: REGION, credentials: c, maxAttempts: 1 })
  destroyables.push(made)
  return made
}

const fromAssumed = (out: {
  Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }
}): AwsCredentials => ({
  accessKeyId: out.Credentials!.AccessKeyId!,
  secretAccessKey: out.Credentials!.SecretAccessKey!,
  sessionToken: out.Credentials!.SessionToken!,
})

beforeAll(async () => {
  sb = await startAwsSandbox()
  for (const a of [CORE, DEV, PROD]) sb.addAccount(a)
  sb.addRole(DEV_ROLE)
  sb.addRole(PROD_ROLE, { trust: [CORE], maxSessionDuration: 7200 })
  creds = sb.addCredentials({ accountId: CORE, principal: 'role/github-actions' })
  sts = stsClient(creds)
})

afterAll(async () => {
  for (const d of destroyables) d.destroy()
  await sb?.stop()
})

beforeEach(() => {
  sb.clearFaults()
})

describe('GetCallerIdentity', () => {
  it('names users, roles and root', async () => {
    const role = await sts.send(new GetCallerIdentityCommand({}))
    expect(role.Account).toBe(CORE)
    expect(role.Arn).toBe(`arn:aws:sts::${CORE}:assumed-role/github-actions/GitHubActions`)
    expect(role.UserId).toMatch(/^AROA[A-Z2-7]{17}:GitHubActions$/)

    const user = sb.addCredentials({ accountId: DEV, principal: 'user/alice' })
    const u = await stsClient(user).send(new GetCallerIdentityCommand({}))
    expect(u).toMatchObject({ Account: DEV, Arn: `arn:aws:iam::${DEV}:user/alice` })
    expect(u.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/)
    expect(user.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/)
    expect(user.secretAccessKey).toHaveLength(40)

    const bare = sb.addCredentials({ accountId: DEV, principal: 'bob' })
    expect((await stsClient(bare).send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:iam::${DEV}:user/bob`,
    )
    const session = sb.addCredentials({ accountId: DEV, principal: 'role/ci/run-42' })
    expect((await stsClient(session).send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:sts::${DEV}:assumed-role/ci/run-42`,
    )
    const root = sb.addCredentials({ accountId: PROD, principal: 'root' })
    expect(await stsClient(root).send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: PROD,
      Arn: `arn:aws:iam::${PROD}:root`,
      UserId: PROD,
    })
  })

  it('answers STS XML on the wire', async () => {
    const raw = await signedPost(sb.url, {
      service: 'sts',
      credentials: creds,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    })
    expect(raw.status).toBe(200)
    expect(raw.headers['content-type']).toBe('text/xml')
    expect(raw.text).toMatch(
      /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<GetCallerIdentityResult>\s*<Arn>arn:aws:sts::111111111111:assumed-role\/github-actions\/GitHubActions<\/Arn>\s*<UserId>AROA\w+:GitHubActions<\/UserId>\s*<Account>111111111111<\/Account>\s*<\/GetCallerIdentityResult>\s*<ResponseMetadata>\s*<RequestId>[0-9a-f-]{36}<\/RequestId>\s*<\/ResponseMetadata>\s*<\/GetCallerIdentityResponse>\s*$/,
    )
  })
})

describe('AssumeRole', () => {
  it("returns fresh credentials that act in the role's account", async () => {
    const before = Date.now()
    const out = await sts.send(
      new AssumeRoleCommand({ RoleArn: DEV_ROLE, RoleSessionName: 'publish-ssm-token' }),
    )
    expect(out.AssumedRoleUser).toEqual({
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:publish-ssm-token$/),
      Arn: `arn:aws:sts::${DEV}:assumed-role/argocd-token-publisher/publish-ssm-token`,
    })
    expect(out.Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/)
    expect(out.Credentials!.SessionToken!.length).toBeGreaterThan(100)
    // An hour from the moment STS answered, which is between before and after (CI saw the
    // request take 5 ms, so an upper bound measured from before failed).
    const after = Date.now()
    const expires = out.Credentials!.Expiration!.getTime()
    expect(expires - before).toBeGreaterThan(3590_000)
    expect(expires - after).toBeLessThanOrEqual(3600_000)

    const assumed = fromAssumed(out)
    const who = await stsClient(assumed).send(new GetCallerIdentityCommand({}))
    expect(who.Account).toBe(DEV)
    expect(who.Arn).toBe(out.AssumedRoleUser!.Arn)

    const ssm = ssmClient(assumed)
    const put = await ssm.send(
      new PutParameterCommand({ Name: '/argocd/github/api_key', Value: 'v', Type: 'SecureString' }),
    )
    expect(put.Version).toBe(1)
    expect(sb.parameter(DEV, REGION, '/argocd/github/api_key')).toMatchObject({
      accountId: DEV,
      lastModifiedUser: out.AssumedRoleUser!.Arn,
    })
    expect(sb.parameter(CORE, REGION, '/argocd/github/api_key')).toBeUndefined()
    expect(sb.requests.at(-1)).toMatchObject({
      service: 'ssm',
      operation: 'PutParameter',
      accountId: DEV,
    })

    // The session token is part of the credentials: without it the keys are refused.
    const noToken = ssmClient({
      accessKeyId: assumed.accessKeyId,
      secretAccessKey: assumed.secretAccessKey,
    })
    expect(
      (await caught(noToken.send(new GetParameterCommand({ Name: '/argocd/github/api_key' }))))
        .name,
    ).toBe('UnrecognizedClientException')
  })

  it('answers the AssumeRole XML shape', async () => {
    const raw = await signedPost(sb.url, {
      service: 'sts',
      credentials: creds,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(DEV_ROLE)}&RoleSessionName=raw&DurationSeconds=900`,
    })
    expect(raw.status).toBe(200)
    expect(raw.text).toMatch(
      /^<AssumeRoleResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<AssumeRoleResult>/,
    )
    for (const tag of [
      'AssumedRoleUser',
      'AssumedRoleId',
      'Arn',
      'Credentials',
      'AccessKeyId',
      'SecretAccessKey',
      'SessionToken',
      'Expiration',
      'ResponseMetadata',
      'RequestId',
    ])
      expect(raw.text).toContain(`<${tag}>`)
    expect(raw.text).toMatch(/<Expiration>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z<\/Expiration>/)
  })

  it('refuses callers outside the trust policy, missing roles, and denied callers', async () => {
    const outsider = sb.addCredentials({ accountId: DEV, principal: 'role/github-actions' })
    const trust = await caught(
      stsClient(outsider).send(
        new AssumeRoleCommand({ RoleArn: PROD_ROLE, RoleSessionName: 's1' }),
      ),
    )
    expect(trust.name).toBe('AccessDenied')
    expect(trust.message).toBe(
      `User: arn:aws:sts::${DEV}:assumed-role/github-actions/GitHubActions is not authorized to perform: sts:AssumeRole on resource: ${PROD_ROLE}`,
    )
    expect(trust.$metadata.httpStatusCode).toBe(403)
    expect(trust.Type).toBe('Sender')

    // The trusted account gets in, with a role path and a longer session.
    const prod = await sts.send(
      new AssumeRoleCommand({ RoleArn: PROD_ROLE, RoleSessionName: 's2', DurationSeconds: 7200 }),
    )
    expect(prod.AssumedRoleUser!.Arn).toBe(
      `arn:aws:sts::${PROD}:assumed-role/argocd-token-publisher/s2`,
    )

    const missing = await caught(
      sts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${DEV}:role/nope`,
          RoleSessionName: 's3',
        }),
      ),
    )
    expect(missing.name).toBe('AccessDenied')

    const denied = sb.addCredentials({ accountId: CORE, principal: 'user/limited' })
    sb.deny('user/limited', ['sts:AssumeRole'])
    const d = await caught(
      stsClient(denied).send(new AssumeRoleCommand({ RoleArn: DEV_ROLE, RoleSessionName: 's4' })),
    )
    expect(d.name).toBe('AccessDenied')
    expect(d.message).toBe(
      `User: arn:aws:iam::${CORE}:user/limited is not authorized to perform: sts:AssumeRole on resource: ${DEV_ROLE} because no identity-based policy allows the sts:AssumeRole action`,
    )
  })

  it('validates RoleSessionName and DurationSeconds', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ RoleSessionName: 'a' }, /at 'roleSessionName' .*greater than or equal to 2$/],
      [{ RoleSessionName: 'x'.repeat(65) }, /at 'roleSessionName' .*less than or equal to 64$/],
      [{ RoleSessionName: 'has space' }, /regular expression pattern: \[\\w\+=,\.@-\]\*$/],
      [{ RoleSessionName: 'ok', DurationSeconds: 899 }, /greater than or equal to 900$/],
      [
        { RoleSessionName: 'ok', DurationSeconds: 7200 },
        /^The requested DurationSeconds exceeds the MaxSessionDuration set for this role\.$/,
      ],
    ]
    for (const [input, message] of cases) {
      const err = await caught(
        sts.send(
          new AssumeRoleCommand({ RoleArn: DEV_ROLE, ...input } as {
            RoleArn: string
            RoleSessionName: string
          }),
        ),
      )
      expect(err.name).toBe('ValidationError')
      expect(err.message).toMatch(message)
      expect(err.$metadata.httpStatusCode).toBe(400)
    }
    await sts.send(
      new AssumeRoleCommand({
        RoleArn: DEV_ROLE,
        RoleSessionName: 'a+=,.@-_1',
        DurationSeconds: 3600,
      }),
    )
  })

  it('caps chained role sessions at one hour', async () => {
    const first = await sts.send(
      new AssumeRoleCommand({ RoleArn: DEV_ROLE, RoleSessionName: 'hop1' }),
    )
    const chained = stsClient(fromAssumed(first))
    const err = await caught(
      chained.send(
        new AssumeRoleCommand({
          RoleArn: PROD_ROLE,
          RoleSessionName: 'hop2',
          DurationSeconds: 7200,
        }),
      ),
    )
    // DEV is not trusted by the PROD role either; a trusted chain hits the duration cap first.
    expect(err.name).toBe('AccessDenied')
    sb.addRole(`arn:aws:iam::${PROD}:role/open`, { maxSessionDuration: 7200 })
    const capped = await caught(
      chained.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${PROD}:role/open`,
          RoleSessionName: 'hop2',
          DurationSeconds: 7200,
        }),
      ),
    )
    expect(capped.name).toBe('ValidationError')
    expect(capped.message).toBe(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    )
  })
})

describe('authentication and faults', () => {
  it('refuses a wrong secret and an unknown key with STS codes', async () => {
    const sig = await caught(
      stsClient({ ...creds, secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({})),
    )
    expect(sig.name).toBe('SignatureDoesNotMatch')
    expect(sig.$metadata.httpStatusCode).toBe(403)
    const unknown = await caught(
      stsClient({ accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'x' }).send(
        new GetCallerIdentityCommand({}),
      ),
    )
    expect(unknown.name).toBe('InvalidClientTokenId')
    expect(unknown.message).toBe('The security token included in the request is invalid.')
    expect(unknown.$metadata.httpStatusCode).toBe(403)
    const expired = sb.addCredentials({
      accountId: CORE,
      sessionToken: 'old',
      expiration: new Date(Date.now() - 60_000),
    })
    expect((await caught(stsClient(expired).send(new GetCallerIdentityCommand({})))).name).toBe(
      'ExpiredToken',
    )
  })

  it('throttles, fails internally, and resets', async () => {
    sb.injectFault({ type: 'throttling', operation: 'AssumeRole' })
    const t = await caught(
      sts.send(new AssumeRoleCommand({ RoleArn: DEV_ROLE, RoleSessionName: 'f1' })),
    )
    expect(t.name).toBe('Throttling')
    expect(t.message).toBe('Rate exceeded')
    // Only AssumeRole was targeted.
    await sts.send(new GetCallerIdentityCommand({}))

    sb.injectFault({ type: 'internal', accountId: CORE })
    const i = await caught(sts.send(new GetCallerIdentityCommand({})))
    expect(i.$metadata.httpStatusCode).toBe(500)

    sb.injectFault({ type: 'reset' })
    const r = await caught(sts.send(new GetCallerIdentityCommand({})))
    expect(r.name).not.toBe('AccessDenied')
    expect(sb.requests.at(-1)).toMatchObject({ status: 0, operation: 'GetCallerIdentity' })
  })
})
