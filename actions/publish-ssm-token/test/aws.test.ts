// Every AWS call against the loopback SSM/STS double with the real SDK: a failure names the call
// and its cause; an answer that is not the operation's (null, wrong shape, redirect) is an error,
// never an empty result; a silent endpoint times out per request, and the step's deadline holds.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startAwsSandbox, type AwsFault, type AwsSandbox } from '@argocd-actions/sandbox'
import { createSdkClients, type AwsClients, type Credentials } from '../src/aws.js'
import { AwsCallError } from '../src/aws-errors.js'

const REGION = 'us-east-2'
const ACCOUNT = '111111111111'
const TARGET = '444444444444'
const ROLE = `arn:aws:iam::${TARGET}:role/publish-tokens`
const NAME = '/argocd/aws-test'
const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'

let aws: AwsSandbox
let creds: Credentials
let clients: AwsClients

beforeAll(async () => {
  aws = await startAwsSandbox()
  aws.addAccount(ACCOUNT)
  aws.addAccount(TARGET)
  aws.addRole(ROLE, { trust: [ACCOUNT] })
  creds = aws.addCredentials({ accountId: ACCOUNT, principal: 'role/github-actions' })
  process.env.AWS_ENDPOINT_URL = aws.url
  // Short limits: each case waits at most a few timeouts.
  clients = createSdkClients({ limits: { requestTimeoutMs: 400, maxAttempts: 2 } })
  const ssm = await clients.ssm(REGION, creds)
  await ssm.putParameter({ Name: NAME, Value: 'v', Type: 'SecureString', Overwrite: true })
})
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL
  await aws.stop()
})
beforeEach(() => aws.clearFaults())

type Call = (c: AwsClients) => Promise<unknown>
const CALLS: Record<string, [string, Call]> = {
  AssumeRole: [
    `STS AssumeRole ${ROLE}`,
    async (c) => (await c.sts(REGION, creds)).assumeRole(ROLE, 'test'),
  ],
  GetCallerIdentity: [
    'STS GetCallerIdentity',
    async (c) => (await c.sts(REGION, creds)).callerIdentity(),
  ],
  PutParameter: [
    'SSM PutParameter',
    async (c) =>
      (await c.ssm(REGION, creds)).putParameter({
        Name: NAME,
        Value: 'v2',
        Type: 'SecureString',
        Overwrite: true,
      }),
  ],
  GetParameter: [
    'SSM GetParameter',
    async (c) => (await c.ssm(REGION, creds)).getParameterValue(NAME),
  ],
  DescribeParameters: [
    'SSM DescribeParameters',
    async (c) => (await c.ssm(REGION, creds)).describeParameter(NAME),
  ],
  ListTagsForResource: [
    'SSM ListTagsForResource',
    async (c) => (await c.ssm(REGION, creds)).listTags(NAME),
  ],
  AddTagsToResource: [
    'SSM AddTagsToResource',
    async (c) => (await c.ssm(REGION, creds)).addTags(NAME, { team: 'platform' }),
  ],
}
const OPERATIONS = Object.keys(CALLS)
const sts = (op: string) => CALLS[op]![0].startsWith('STS')

async function failure(op: string, fault: AwsFault, c = clients): Promise<AwsCallError> {
  aws.injectFault({ ...fault, operation: op, times: 100 })
  try {
    await CALLS[op]![1](c)
  } catch (error) {
    if (error instanceof AwsCallError) return error
    throw error
  } finally {
    aws.clearFaults()
  }
  throw new Error(`${op} succeeded despite ${fault.type}`)
}

describe.each(OPERATIONS)('%s', (op) => {
  const named = CALLS[op]![0]
  it('succeeds without faults', async () => {
    await expect(CALLS[op]![1](clients)).resolves.not.toThrow()
  })

  it.each<[string, (op: string) => AwsFault, RegExp, string]>([
    [
      '500 every time',
      () => ({ type: 'internal' }),
      /: server error \((InternalServerError|InternalFailure), HTTP 500: .+\) after 2 attempts: AWS failed/,
      'server',
    ],
    [
      'a 502 HTML page',
      () => ({ type: 'body', status: 502, contentType: 'text/html', body: HTML_502 }),
      /: HTTP 502 with an HTML page instead of an AWS answer after 2 attempts: likely a proxy/,
      'unreadable',
    ],
    [
      'throttling every time',
      () => ({ type: 'throttling' }),
      /: throttled \((ThrottlingException|Throttling), HTTP 400: Rate exceeded\) after 2 attempts/,
      'throttled',
    ],
    [
      'a connection reset',
      () => ({ type: 'reset' }),
      /: the connection was reset before an answer came \((ECONNRESET|socket hang up)\) after 2 attempts/,
      'network',
    ],
    [
      'no answer',
      () => ({ type: 'delay', ms: 3000 }),
      /: timed out: no answer within 0\.4 s after 2 attempts/,
      'timeout',
    ],
    [
      'a 200 with a null (or empty) body',
      (o) => ({ type: 'body', body: sts(o) ? '' : 'null' }),
      /: unreadable answer: HTTP 200 with (a JSON null|an empty body), not the operation's answer/,
      'unreadable',
    ],
    [
      'a 200 of the wrong shape',
      (o) => ({
        type: 'body',
        body: sts(o) ? '<Response><Unexpected/></Response>' : '{"Unexpected":true}',
      }),
      /: unreadable answer: HTTP 200 with (a body of the wrong shape|XML rooted at <Response>)/,
      'unreadable',
    ],
    [
      'a 302 to another origin',
      () => ({
        type: 'body',
        status: 302,
        contentType: 'text/html',
        body: '',
        headers: { location: 'http://elsewhere.example:8443/moved?X-Amz-Signature=abc' },
      }),
      /: answered HTTP 302, a redirect to elsewhere\.example:8443, which was not followed/,
      'redirect',
    ],
  ])('%s: names the call and the cause', async (_label, fault, cause, kind) => {
    const e = await failure(op, fault(op))
    expect(e.message.startsWith(`${named}: `)).toBe(true)
    expect(e.message).toMatch(cause)
    expect(e.failure).toBe(kind)
    expect(e.message).not.toMatch(/X-Amz-Signature|<html|nginx|UnknownError/)
  })

  it("the step's deadline stops the retries", async () => {
    const started = Date.now()
    const late = createSdkClients({
      deadline: Date.now() + 600,
      limits: { requestTimeoutMs: 5000, maxAttempts: 3 },
    })
    const e = await failure(op, { type: 'delay', ms: 3000 }, late)
    expect(e.message).toMatch(new RegExp(`^${named}: timed out: the step's deadline passed`))
    expect(Date.now() - started).toBeLessThan(2500)
  })
})

it('GetParameter: a 200 without a value is no value, never "differs"', async () => {
  aws.injectFault({
    type: 'body',
    body: '{"Parameter":{"Name":"/argocd/aws-test"}}',
    operation: 'GetParameter',
  })
  const e = await CALLS.GetParameter![1](clients).catch((x: unknown) => x)
  expect((e as Error).message).toMatch(/^SSM GetParameter: unreadable answer.*no Parameter\.Value/)
})

it('ListTagsForResource: an answer without TagList is no answer, never "no tags"', async () => {
  aws.injectFault({ type: 'body', body: '{}', operation: 'ListTagsForResource' })
  const e = await CALLS.ListTagsForResource![1](clients).catch((x: unknown) => x)
  expect((e as Error).message).toMatch(/^SSM ListTagsForResource: unreadable answer.*no TagList/)
})

it('AddTagsToResource: its empty answer {} is fine', async () => {
  aws.injectFault({ type: 'body', body: '{}', operation: 'AddTagsToResource' })
  await expect(CALLS.AddTagsToResource![1](clients)).resolves.toBeUndefined()
})

it('GetCallerIdentity: an answer without a 12-digit account is unreadable', async () => {
  aws.injectFault({
    type: 'body',
    body: '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::1:x</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>',
    operation: 'GetCallerIdentity',
  })
  const e = await CALLS.GetCallerIdentity![1](clients).catch((x: unknown) => x)
  expect((e as Error).message).toMatch(
    /^STS GetCallerIdentity: unreadable answer.*no 12-digit Account/,
  )
})
