// The AWS double's SSM Parameter Store, driven by the real @aws-sdk/client-ssm.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  SSMClient,
  type SSMClientConfig,
} from '@aws-sdk/client-ssm'
import { startAwsSandbox, type AwsCredentials, type AwsSandbox } from '../src/index.js'
import { caught, signedPost } from './helpers/aws.js'

const A = '111111111111'
const REGION = 'us-east-2'
const SECRET = 'ghp_sandboxTokenValue0123456789abcdefABCD'

let sb: AwsSandbox
let creds: AwsCredentials
let ssm: SSMClient
const clients: SSMClient[] = []

function client(c: AwsCredentials, extra: Partial<SSMClientConfig> = {}): SSMClient {
  const made = new SSMClient({ endpoint: sb.url, region: REGION, credentials: c, ...extra })
  clients.push(made)
  return made
}

/** A fresh account with its own credentials, so tests do not share parameters or deny rules. */
let nextAccount = 200000000000
function freshAccount(principal = 'role/github-actions', kmsKeys: string[] = []) {
  const accountId = String(nextAccount++)
  sb.addAccount(accountId, { kmsKeys })
  const c = sb.addCredentials({ accountId, principal })
  return { accountId, creds: c, ssm: client(c, { maxAttempts: 1 }) }
}

beforeAll(async () => {
  sb = await startAwsSandbox()
  sb.addAccount(A, { kmsKeys: ['alias/argocd'] })
  creds = sb.addCredentials({ accountId: A, principal: 'role/github-actions' })
  ssm = client(creds, { maxAttempts: 1 })
})

afterAll(async () => {
  for (const c of clients) c.destroy()
  await sb?.stop()
})

beforeEach(() => {
  sb.clearFaults()
})

describe('PutParameter and GetParameter', () => {
  it('stores a SecureString and returns ciphertext unless WithDecryption', async () => {
    const put = await ssm.send(
      new PutParameterCommand({
        Name: '/argocd/github/api_key',
        Value: SECRET,
        Type: 'SecureString',
        KeyId: 'alias/argocd',
        Description: 'Argo CD repo token',
        Tags: [{ Key: 'owner', Value: 'platform' }],
      }),
    )
    expect(put.Version).toBe(1)
    expect(put.Tier).toBe('Standard')

    const plain = await ssm.send(new GetParameterCommand({ Name: '/argocd/github/api_key' }))
    expect(plain.Parameter).toMatchObject({
      Name: '/argocd/github/api_key',
      Type: 'SecureString',
      Version: 1,
      ARN: `arn:aws:ssm:${REGION}:${A}:parameter/argocd/github/api_key`,
      DataType: 'text',
    })
    expect(plain.Parameter!.Value).not.toBe(SECRET)
    expect(plain.Parameter!.Value).toMatch(/^AQICAH[A-Za-z0-9+/]+=*$/)
    expect(plain.Parameter).not.toHaveProperty('Description')
    expect(plain.Parameter!.LastModifiedDate).toBeInstanceOf(Date)
    expect(Math.abs(plain.Parameter!.LastModifiedDate!.getTime() - Date.now())).toBeLessThan(5000)

    const dec = await ssm.send(
      new GetParameterCommand({ Name: '/argocd/github/api_key', WithDecryption: true }),
    )
    expect(dec.Parameter!.Value).toBe(SECRET)

    const stored = sb.parameter(A, REGION, '/argocd/github/api_key')!
    expect(stored).toMatchObject({
      name: '/argocd/github/api_key',
      value: SECRET,
      type: 'SecureString',
      keyId: 'alias/argocd',
      version: 1,
      tier: 'Standard',
      description: 'Argo CD repo token',
      tags: { owner: 'platform' },
      policies: [],
      lastModifiedUser: `arn:aws:sts::${A}:assumed-role/github-actions/GitHubActions`,
    })
    expect(stored.history).toHaveLength(1)
    expect(sb.parameters(A).map((p) => p.name)).toContain('/argocd/github/api_key')
  })

  it('answers timestamps as epoch seconds on the wire', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/wire/ts', Value: 'v', Type: 'String' }))
    const raw = await signedPost(sb.url, {
      service: 'ssm',
      credentials: creds,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonSSM.GetParameter',
      },
      body: JSON.stringify({ Name: '/wire/ts' }),
    })
    expect(raw.status).toBe(200)
    expect(raw.headers['content-type']).toBe('application/x-amz-json-1.1')
    expect(raw.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/)
    const body = JSON.parse(raw.text)
    expect(typeof body.Parameter.LastModifiedDate).toBe('number')
    expect(body.Parameter.LastModifiedDate).toBeCloseTo(Date.now() / 1000, -1)
  })

  it('defaults SecureString keys to alias/aws/ssm and refuses unknown keys', async () => {
    await ssm.send(
      new PutParameterCommand({ Name: '/kms/default', Value: 'v', Type: 'SecureString' }),
    )
    expect(sb.parameter(A, REGION, '/kms/default')!.keyId).toBe('alias/aws/ssm')

    const alias = await caught(
      ssm.send(
        new PutParameterCommand({
          Name: '/kms/x',
          Value: 'v',
          Type: 'SecureString',
          KeyId: 'alias/nope',
        }),
      ),
    )
    expect(alias.name).toBe('InvalidKeyId')
    expect(alias.message).toMatch(
      new RegExp(
        `^Alias arn:aws:kms:${REGION}:${A}:alias/nope is not found\\. \\(Service: AWSKMS;`,
      ),
    )
    const key = await caught(
      ssm.send(
        new PutParameterCommand({
          Name: '/kms/x',
          Value: 'v',
          Type: 'SecureString',
          KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
        }),
      ),
    )
    expect(key.name).toBe('InvalidKeyId')
    expect(key.message).toContain(
      `Key 'arn:aws:kms:${REGION}:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist`,
    )
    const notSecure = await caught(
      ssm.send(
        new PutParameterCommand({
          Name: '/kms/y',
          Value: 'v',
          Type: 'String',
          KeyId: 'alias/argocd',
        }),
      ),
    )
    expect(notSecure.name).toBe('ValidationException')
    expect(notSecure.message).toBe('KeyId is required for SecureString type parameter only.')

    // Keys given as ARNs, ids or aliases are found in either form.
    const accountId = String(nextAccount)
    const keyArn = `arn:aws:kms:${REGION}:${accountId}:key/00000000-0000-0000-0000-000000000000`
    const { ssm: other } = freshAccount('user/ci', [keyArn, '99999999-0000-0000-0000-000000000000'])
    for (const [i, KeyId] of [
      keyArn,
      '00000000-0000-0000-0000-000000000000',
      `arn:aws:kms:${REGION}:${accountId}:key/99999999-0000-0000-0000-000000000000`,
      `arn:aws:kms:${REGION}:${accountId}:alias/aws/ssm`,
    ].entries())
      await other.send(
        new PutParameterCommand({
          Name: `/k/${i}`,
          Value: 'v',
          Type: 'SecureString',
          KeyId,
        }),
      )
    const arnErr = await caught(
      other.send(
        new PutParameterCommand({
          Name: '/k/missing',
          Value: 'v',
          Type: 'SecureString',
          KeyId: `arn:aws:kms:${REGION}:${accountId}:key/11111111-0000-0000-0000-000000000000`,
        }),
      ),
    )
    expect(arnErr.name).toBe('InvalidKeyId')
  })

  it('refuses a missing type on create and a type change on overwrite', async () => {
    const noType = await caught(ssm.send(new PutParameterCommand({ Name: '/t/none', Value: 'v' })))
    expect(noType.name).toBe('ValidationException')
    expect(noType.message).toBe('A parameter type is required when you create a parameter.')
    await ssm.send(new PutParameterCommand({ Name: '/t/s', Value: 'v', Type: 'String' }))
    const change = await caught(
      ssm.send(
        new PutParameterCommand({
          Name: '/t/s',
          Value: 'v',
          Type: 'SecureString',
          Overwrite: true,
        }),
      ),
    )
    expect(change.name).toBe('HierarchyTypeMismatchException')
    expect(change.message).toContain(
      "you can't change a parameter from a String type to a SecureString type",
    )
    // Type may be omitted on overwrite: the parameter keeps its own.
    const again = await ssm.send(
      new PutParameterCommand({ Name: '/t/s', Value: 'w', Overwrite: true }),
    )
    expect(again.Version).toBe(2)
  })

  it("changes a type on overwrite with typeChange: 'allow'", async () => {
    const lenient = await startAwsSandbox({ typeChange: 'allow' })
    try {
      lenient.addAccount(A)
      const c = lenient.addCredentials({ accountId: A })
      const s2 = new SSMClient({ endpoint: lenient.url, region: REGION, credentials: c })
      clients.push(s2)
      await s2.send(new PutParameterCommand({ Name: '/t/up', Value: SECRET, Type: 'String' }))
      const up = await s2.send(
        new PutParameterCommand({
          Name: '/t/up',
          Value: SECRET,
          Type: 'SecureString',
          Overwrite: true,
        }),
      )
      expect(up.Version).toBe(2)
      const plain = await s2.send(new GetParameterCommand({ Name: '/t/up' }))
      expect(plain.Parameter).toMatchObject({ Type: 'SecureString' })
      expect(plain.Parameter!.Value).not.toBe(SECRET)
      const described = await s2.send(
        new DescribeParametersCommand({
          ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['/t/up'] }],
        }),
      )
      expect(described.Parameters![0]).toMatchObject({
        Type: 'SecureString',
        KeyId: 'alias/aws/ssm',
        Version: 2,
      })
    } finally {
      await lenient.stop()
    }
  })

  it('reads a given version with a :N selector, and 404s unknown names', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/sel/p', Value: 'one', Type: 'String' }))
    await ssm.send(
      new PutParameterCommand({ Name: '/sel/p', Value: 'two', Type: 'String', Overwrite: true }),
    )
    const v1 = await ssm.send(new GetParameterCommand({ Name: '/sel/p:1' }))
    expect(v1.Parameter).toMatchObject({ Name: '/sel/p', Value: 'one', Version: 1, Selector: ':1' })
    const missing = await caught(ssm.send(new GetParameterCommand({ Name: '/sel/none' })))
    expect(missing.name).toBe('ParameterNotFound')
    expect(missing.$metadata.httpStatusCode).toBe(400)
    const both = await ssm.send(new GetParametersCommand({ Names: ['/sel/p', '/sel/none'] }))
    expect(both.Parameters!.map((p) => p.Value)).toEqual(['two'])
    expect(both.InvalidParameters).toEqual(['/sel/none'])
  })
})

describe('names', () => {
  it('requires a leading slash for hierarchies', async () => {
    const { ssm: s, accountId } = freshAccount()
    const err = await caught(
      s.send(
        new PutParameterCommand({
          Name: 'argocd/github/api_key',
          Value: SECRET,
          Type: 'SecureString',
        }),
      ),
    )
    expect(err.name).toBe('ValidationException')
    expect(err.message).toBe('Parameter name must be a fully qualified name.')
    expect(err.$metadata.httpStatusCode).toBe(400)
    expect(sb.parameters(accountId)).toEqual([])
    // GetParameter words the same mistake differently.
    const get = await caught(s.send(new GetParameterCommand({ Name: 'argocd/github/api_key' })))
    expect(get.name).toBe('ValidationException')
    expect(get.message).toMatch(/^Parameter name: can't be prefixed with "ssm"/)
  })

  it('treats /x and x as the same single-level parameter', async () => {
    await ssm.send(new PutParameterCommand({ Name: 'single', Value: 'v', Type: 'String' }))
    const again = await caught(
      ssm.send(new PutParameterCommand({ Name: '/single', Value: 'v', Type: 'String' })),
    )
    expect(again.name).toBe('ParameterAlreadyExists')
    const got = await ssm.send(new GetParameterCommand({ Name: '/single' }))
    expect(got.Parameter).toMatchObject({
      Name: 'single',
      ARN: `arn:aws:ssm:${REGION}:${A}:parameter/single`,
    })
    expect(sb.parameter(A, REGION, '/single')!.name).toBe('single')
  })

  it('refuses bad characters with AWS’s (misleading) message', async () => {
    for (const Name of ['/has space/x', '/a/b@c', '/a//b', '/a/b/']) {
      const err = await caught(
        ssm.send(new PutParameterCommand({ Name, Value: 'v', Type: 'String' })),
      )
      expect(err.name).toBe('ValidationException')
      expect(err.message).toMatch(
        /^Parameter name: can't be prefixed with "ssm" \(case-insensitive\)\. If formed as a path/,
      )
    }
  })

  it('reserves aws and ssm prefixes, case-insensitively', async () => {
    for (const Name of ['/aws/x', '/AWS/x', '/awssec/lab/x']) {
      const err = await caught(
        ssm.send(new PutParameterCommand({ Name, Value: 'v', Type: 'String' })),
      )
      expect(err.name).toBe('AccessDeniedException')
      expect(err.message).toBe(`No access to reserved parameter name: ${Name.slice(1)}.`)
    }
    const ssmPath = await caught(
      ssm.send(new PutParameterCommand({ Name: '/SSM/x', Value: 'v', Type: 'String' })),
    )
    expect(ssmPath.name).toBe('ValidationException')
    expect(ssmPath.message).toMatch(/^Parameter name: can't be prefixed with "ssm"/)
    for (const Name of ['awsthing', '/ssmthing']) {
      const err = await caught(
        ssm.send(new PutParameterCommand({ Name, Value: 'v', Type: 'String' })),
      )
      expect(err.name).toBe('ValidationException')
      expect(err.message).toBe(
        `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`,
      )
    }
  })

  it('allows 15 levels and refuses 16', async () => {
    const levels = (n: number) => '/' + Array.from({ length: n }, (_, i) => `l${i + 1}`).join('/')
    await ssm.send(new PutParameterCommand({ Name: levels(15), Value: 'v', Type: 'String' }))
    const err = await caught(
      ssm.send(new PutParameterCommand({ Name: levels(16), Value: 'v', Type: 'String' })),
    )
    expect(err.name).toBe('HierarchyLevelLimitExceededException')
  })

  it('keeps the full ARN within 1011 characters', async () => {
    const prefix = `arn:aws:ssm:${REGION}:${A}:parameter/`
    const name = (arnLength: number) =>
      '/long/' + 'n'.repeat(arnLength - prefix.length - 'long/'.length)
    await ssm.send(new PutParameterCommand({ Name: name(1011), Value: 'v', Type: 'String' }))
    const err = await caught(
      ssm.send(new PutParameterCommand({ Name: name(1012), Value: 'v', Type: 'String' })),
    )
    expect(err.name).toBe('ValidationException')
  })
})

describe('overwrite, versions and tags', () => {
  it('refuses Tags with Overwrite, even for a parameter that does not exist', async () => {
    const err = await caught(
      ssm.send(
        new PutParameterCommand({
          Name: '/tags/new',
          Value: 'v',
          Type: 'String',
          Overwrite: true,
          Tags: [{ Key: 'a', Value: 'b' }],
        }),
      ),
    )
    expect(err.name).toBe('ValidationException')
    expect(err.message).toBe(
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    )
    expect(sb.parameter(A, REGION, '/tags/new')).toBeUndefined()
  })

  it('follows create → ParameterAlreadyExists → overwrite → AddTagsToResource', async () => {
    const name = '/flow/token'
    await ssm.send(
      new PutParameterCommand({
        Name: name,
        Value: 'first-value',
        Type: 'SecureString',
        Tags: [{ Key: 'managed-by', Value: 'publish-ssm-token' }],
      }),
    )
    const exists = await caught(
      ssm.send(
        new PutParameterCommand({
          Name: name,
          Value: 'second-value',
          Type: 'SecureString',
          Tags: [{ Key: 'managed-by', Value: 'publish-ssm-token' }],
        }),
      ),
    )
    expect(exists.name).toBe('ParameterAlreadyExists')
    expect(exists.message).toBe(
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    )
    expect(exists.message).not.toContain('second-value')
    const over = await ssm.send(
      new PutParameterCommand({
        Name: name,
        Value: 'second-value',
        Type: 'SecureString',
        Overwrite: true,
      }),
    )
    expect(over).toMatchObject({ Version: 2, Tier: 'Standard' })
    await ssm.send(
      new AddTagsToResourceCommand({
        ResourceType: 'Parameter',
        ResourceId: name,
        Tags: [
          { Key: 'managed-by', Value: 'publish-ssm-token' },
          { Key: 'expires', Value: '2026-12-31' },
        ],
      }),
    )
    const tags = await ssm.send(
      new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }),
    )
    expect(tags.TagList).toEqual([
      { Key: 'managed-by', Value: 'publish-ssm-token' },
      { Key: 'expires', Value: '2026-12-31' },
    ])

    const history = await ssm.send(
      new GetParameterHistoryCommand({ Name: name, WithDecryption: true }),
    )
    expect(history.Parameters!.map((p) => [p.Version, p.Value])).toEqual([
      [1, 'first-value'],
      [2, 'second-value'],
    ])
    expect(history.Parameters![0]).toMatchObject({
      KeyId: 'alias/aws/ssm',
      Tier: 'Standard',
      LastModifiedUser: `arn:aws:sts::${A}:assumed-role/github-actions/GitHubActions`,
    })
    const hidden = await ssm.send(new GetParameterHistoryCommand({ Name: name }))
    for (const p of hidden.Parameters!) expect(p.Value).toMatch(/^AQICAH/)
    expect(sb.parameter(A, REGION, name)!.history.map((h) => h.value)).toEqual([
      'first-value',
      'second-value',
    ])
  })

  it('keeps the last 100 versions', async () => {
    const name = '/many/versions'
    await ssm.send(new PutParameterCommand({ Name: name, Value: 'v0', Type: 'String' }))
    for (let i = 1; i <= 101; i++)
      await ssm.send(new PutParameterCommand({ Name: name, Value: `v${i}`, Overwrite: true }))
    const stored = sb.parameter(A, REGION, name)!
    expect(stored.version).toBe(102)
    expect(stored.history).toHaveLength(100)
    expect(stored.history[0]!.version).toBe(3)
  })

  it('validates Description and tag lengths', async () => {
    const desc = await caught(
      ssm.send(
        new PutParameterCommand({
          Name: '/len/d',
          Value: 'v',
          Type: 'String',
          Description: 'd'.repeat(1025),
        }),
      ),
    )
    expect(desc.name).toBe('ValidationException')
    expect(desc.message).toContain(
      "at 'description' failed to satisfy constraint: Member must have length less than or equal to 1024",
    )
    await ssm.send(
      new PutParameterCommand({
        Name: '/len/ok',
        Value: 'v',
        Type: 'String',
        Description: 'd'.repeat(1024),
      }),
    )

    const key = await caught(
      ssm.send(
        new PutParameterCommand({
          Name: '/len/k',
          Value: 'v',
          Type: 'String',
          Tags: [{ Key: 'k'.repeat(129), Value: 'v' }],
        }),
      ),
    )
    expect(key.name).toBe('ValidationException')
    expect(key.message).toContain("at 'tags.1.member.key'")
    const value = await caught(
      ssm.send(
        new AddTagsToResourceCommand({
          ResourceType: 'Parameter',
          ResourceId: '/len/ok',
          Tags: [{ Key: 'k'.repeat(128), Value: 'v'.repeat(257) }],
        }),
      ),
    )
    expect(value.name).toBe('ValidationException')
    expect(value.message).toContain("at 'tags.1.member.value'")
    await ssm.send(
      new AddTagsToResourceCommand({
        ResourceType: 'Parameter',
        ResourceId: '/len/ok',
        Tags: [{ Key: 'k'.repeat(128), Value: 'v'.repeat(256) }],
      }),
    )
    const missing = await caught(
      ssm.send(
        new AddTagsToResourceCommand({
          ResourceType: 'Parameter',
          ResourceId: '/len/none',
          Tags: [{ Key: 'a', Value: 'b' }],
        }),
      ),
    )
    expect(missing.name).toBe('InvalidResourceId')
  })
})

describe('tiers and policies', () => {
  const expiration = JSON.stringify([
    { Type: 'Expiration', Version: '1.0', Attributes: { Timestamp: '2027-01-01T00:00:00.000Z' } },
    { Type: 'ExpirationNotification', Version: '1.0', Attributes: { Before: '15', Unit: 'Days' } },
  ])

  it('caps Standard at 4096 bytes and Advanced at 8192', async () => {
    await ssm.send(
      new PutParameterCommand({ Name: '/size/std', Value: 'x'.repeat(4096), Type: 'SecureString' }),
    )
    const big = 'y'.repeat(4097)
    const err = await caught(
      ssm.send(new PutParameterCommand({ Name: '/size/big', Value: big, Type: 'SecureString' })),
    )
    expect(err.name).toBe('ValidationException')
    expect(err.message).toMatch(
      /^Standard tier parameters support a maximum parameter value of 4096 characters\./,
    )
    expect(err.message).not.toContain('yyyy')
    // Multi-byte characters count as bytes.
    const euro = await caught(
      ssm.send(
        new PutParameterCommand({ Name: '/size/euro', Value: '€'.repeat(1366), Type: 'String' }),
      ),
    )
    expect(euro.name).toBe('ValidationException')

    const adv = await ssm.send(
      new PutParameterCommand({
        Name: '/size/adv',
        Value: 'z'.repeat(8192),
        Type: 'String',
        Tier: 'Advanced',
      }),
    )
    expect(adv.Tier).toBe('Advanced')
    const tooBig = await caught(
      ssm.send(
        new PutParameterCommand({
          Name: '/size/adv2',
          Value: 'z'.repeat(8193),
          Type: 'String',
          Tier: 'Advanced',
        }),
      ),
    )
    expect(tooBig.name).toBe('ValidationException')
  })

  it('resolves Intelligent-Tiering to Standard unless size or policies need Advanced', async () => {
    const small = await ssm.send(
      new PutParameterCommand({
        Name: '/it/small',
        Value: 'v',
        Type: 'String',
        Tier: 'Intelligent-Tiering',
      }),
    )
    expect(small.Tier).toBe('Standard')
    const large = await ssm.send(
      new PutParameterCommand({
        Name: '/it/large',
        Value: 'v'.repeat(5000),
        Type: 'String',
        Tier: 'Intelligent-Tiering',
      }),
    )
    expect(large.Tier).toBe('Advanced')
    const withPolicies = await ssm.send(
      new PutParameterCommand({
        Name: '/it/policies',
        Value: 'v',
        Type: 'SecureString',
        Tier: 'Intelligent-Tiering',
        Policies: expiration,
      }),
    )
    expect(withPolicies.Tier).toBe('Advanced')
    const described = await ssm.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Values: ['/it/policies'] }],
      }),
    )
    expect(described.Parameters![0]!.Policies!.map((p) => [p.PolicyType, p.PolicyStatus])).toEqual([
      ['Expiration', 'Pending'],
      ['ExpirationNotification', 'Pending'],
    ])
    expect(sb.parameter(A, REGION, '/it/policies')!.policies).toHaveLength(2)
  })

  it('allows policies only on Advanced, and never downgrades', async () => {
    const std = await caught(
      ssm.send(
        new PutParameterCommand({
          Name: '/pol/std',
          Value: 'v',
          Type: 'String',
          Tier: 'Standard',
          Policies: expiration,
        }),
      ),
    )
    expect(std.name).toBe('ValidationException')
    const bad = await caught(
      ssm.send(
        new PutParameterCommand({
          Name: '/pol/bad',
          Value: 'v',
          Type: 'String',
          Tier: 'Advanced',
          Policies: JSON.stringify([{ Type: 'Rotate', Version: '1.0', Attributes: {} }]),
        }),
      ),
    )
    expect(bad.name).toBe('InvalidPolicyTypeException')
    await ssm.send(
      new PutParameterCommand({ Name: '/pol/adv', Value: 'v', Type: 'String', Tier: 'Advanced' }),
    )
    const down = await caught(
      ssm.send(
        new PutParameterCommand({
          Name: '/pol/adv',
          Value: 'w',
          Type: 'String',
          Tier: 'Standard',
          Overwrite: true,
        }),
      ),
    )
    expect(down.name).toBe('ValidationException')
    expect(down.message).toMatch(/can't downgrade a parameter from the advanced-parameter tier/)
    const kept = await ssm.send(
      new PutParameterCommand({ Name: '/pol/adv', Value: 'w', Overwrite: true }),
    )
    expect(kept.Tier).toBe('Advanced')
  })

  it('enforces the Standard parameter limit per account and region', async () => {
    const small = await startAwsSandbox({ standardParameterLimit: 2 })
    try {
      const c = small.addCredentials({ accountId: A })
      const s = new SSMClient({
        endpoint: small.url,
        region: REGION,
        credentials: c,
        maxAttempts: 1,
      })
      clients.push(s)
      await s.send(new PutParameterCommand({ Name: '/l/1', Value: 'v', Type: 'String' }))
      await s.send(new PutParameterCommand({ Name: '/l/2', Value: 'v', Type: 'String' }))
      const err = await caught(
        s.send(new PutParameterCommand({ Name: '/l/3', Value: 'v', Type: 'String' })),
      )
      expect(err.name).toBe('ParameterLimitExceeded')
      // Another region has its own count.
      const west = new SSMClient({
        endpoint: small.url,
        region: 'us-west-2',
        credentials: c,
        maxAttempts: 1,
      })
      clients.push(west)
      await west.send(new PutParameterCommand({ Name: '/l/3', Value: 'v', Type: 'String' }))
      expect(small.parameter(A, 'us-west-2', '/l/3')).toBeDefined()
      expect(small.parameter(A, REGION, '/l/3')).toBeUndefined()
    } finally {
      await small.stop()
    }
  })
})

describe('DescribeParameters', () => {
  it('returns metadata without values, filtered by name or path, paginated', async () => {
    const { ssm: s } = freshAccount()
    for (const n of ['/d/a', '/d/b', '/d/sub/c', '/other'])
      await s.send(
        new PutParameterCommand({
          Name: n,
          Value: `value-of-${n}`,
          Type: 'SecureString',
          Description: `desc ${n}`,
        }),
      )
    const byName = await s.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['/d/a'] }],
      }),
    )
    expect(byName.Parameters).toHaveLength(1)
    expect(byName.Parameters![0]).toMatchObject({
      Name: '/d/a',
      Type: 'SecureString',
      KeyId: 'alias/aws/ssm',
      Description: 'desc /d/a',
      Version: 1,
      Tier: 'Standard',
      DataType: 'text',
    })
    expect(byName.Parameters![0]).not.toHaveProperty('Value')
    expect(JSON.stringify(byName.Parameters)).not.toContain('value-of')

    const oneLevel = await s.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Values: ['/d'] }] }),
    )
    expect(oneLevel.Parameters!.map((p) => p.Name)).toEqual(['/d/a', '/d/b'])
    const recursive = await s.send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/d'] }],
      }),
    )
    expect(recursive.Parameters!.map((p) => p.Name)).toEqual(['/d/a', '/d/b', '/d/sub/c'])

    const page1 = await s.send(new DescribeParametersCommand({ MaxResults: 3 }))
    expect(page1.Parameters).toHaveLength(3)
    expect(page1.NextToken).toBeDefined()
    const page2 = await s.send(
      new DescribeParametersCommand({ MaxResults: 3, NextToken: page1.NextToken }),
    )
    expect(page2.Parameters!.map((p) => p.Name)).toEqual(['/other'])
    expect(page2.NextToken).toBeUndefined()
  })

  it('deletes parameters', async () => {
    const { ssm: s, accountId } = freshAccount()
    await s.send(new PutParameterCommand({ Name: '/gone', Value: 'v', Type: 'String' }))
    await s.send(new DeleteParameterCommand({ Name: '/gone' }))
    expect(sb.parameter(accountId, REGION, '/gone')).toBeUndefined()
    expect((await caught(s.send(new DeleteParameterCommand({ Name: '/gone' })))).name).toBe(
      'ParameterNotFound',
    )
  })
})

describe('access', () => {
  it("denies an action with AWS's message", async () => {
    const { ssm: s, accountId } = freshAccount('role/github-actions')
    sb.deny(
      'role/github-actions',
      ['ssm:PutParameter'],
      `arn:aws:ssm:*:${accountId}:parameter/locked/*`,
    )
    const err = await caught(
      s.send(new PutParameterCommand({ Name: '/locked/x', Value: 'v', Type: 'String' })),
    )
    expect(err.name).toBe('AccessDeniedException')
    expect(err.message).toBe(
      `User: arn:aws:sts::${accountId}:assumed-role/github-actions/GitHubActions is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:${REGION}:${accountId}:parameter/locked/x because no identity-based policy allows the ssm:PutParameter action`,
    )
    // Outside the resource pattern it is allowed.
    await s.send(new PutParameterCommand({ Name: '/open/x', Value: 'v', Type: 'String' }))
  })

  it('denies by account, wildcard actions, and kms:Decrypt', async () => {
    const { ssm: s, accountId } = freshAccount('user/deployer')
    await s.send(new PutParameterCommand({ Name: '/k/x', Value: 'hidden', Type: 'SecureString' }))
    sb.deny(accountId, ['kms:Decrypt'])
    const dec = await caught(
      s.send(new GetParameterCommand({ Name: '/k/x', WithDecryption: true })),
    )
    expect(dec.name).toBe('AccessDeniedException')
    expect(dec.message).toMatch(
      new RegExp(
        `^User: arn:aws:iam::${accountId}:user/deployer is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:${REGION}:${accountId}:key/[0-9a-f-]{36}`,
      ),
    )
    expect(dec.message).not.toContain('hidden')
    // Without decryption the read still works.
    expect((await s.send(new GetParameterCommand({ Name: '/k/x' }))).Parameter!.Value).toMatch(
      /^AQICAH/,
    )
    sb.deny(`arn:aws:iam::${accountId}:user/deployer`, ['ssm:*'])
    expect((await caught(s.send(new DescribeParametersCommand({})))).name).toBe(
      'AccessDeniedException',
    )
  })
})

describe('authentication', () => {
  it('refuses a wrong secret, an unknown key and a wrong session token', async () => {
    sb.clearRequests()
    const wrongSecret = client({ ...creds, secretAccessKey: 'not-the-secret' }, { maxAttempts: 1 })
    const sig = await caught(
      wrongSecret.send(new GetParameterCommand({ Name: '/argocd/github/api_key' })),
    )
    expect(sig.name).toBe('InvalidSignatureException')
    expect(sig.message).toBe(
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    )
    expect(sig.$metadata.httpStatusCode).toBe(400)

    const unknown = client(
      { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x' },
      { maxAttempts: 1 },
    )
    const unk = await caught(unknown.send(new GetParameterCommand({ Name: '/x' })))
    expect(unk.name).toBe('UnrecognizedClientException')
    expect(unk.message).toBe('The security token included in the request is invalid.')

    const temp = sb.addCredentials({ accountId: A, sessionToken: 'token-1' })
    expect(temp.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/)
    const badToken = client({ ...temp, sessionToken: 'token-2' }, { maxAttempts: 1 })
    expect((await caught(badToken.send(new DescribeParametersCommand({})))).name).toBe(
      'UnrecognizedClientException',
    )
    const noToken = client(
      { accessKeyId: temp.accessKeyId, secretAccessKey: temp.secretAccessKey },
      { maxAttempts: 1 },
    )
    expect((await caught(noToken.send(new DescribeParametersCommand({})))).name).toBe(
      'UnrecognizedClientException',
    )
    await client(temp, { maxAttempts: 1 }).send(new DescribeParametersCommand({}))

    const expired = sb.addCredentials({
      accountId: A,
      sessionToken: 't',
      expiration: new Date(Date.now() - 1000),
    })
    expect(
      (await caught(client(expired, { maxAttempts: 1 }).send(new DescribeParametersCommand({}))))
        .name,
    ).toBe('ExpiredTokenException')

    expect(sb.requests.map((r) => [r.service, r.operation, r.accountId, r.status])).toEqual([
      ['ssm', 'GetParameter', undefined, 400],
      ['ssm', 'GetParameter', undefined, 400],
      ['ssm', 'DescribeParameters', undefined, 400],
      ['ssm', 'DescribeParameters', undefined, 400],
      ['ssm', 'DescribeParameters', A, 200],
      ['ssm', 'DescribeParameters', undefined, 400],
    ])
  })

  it('records requests with lowercased headers and the raw body', async () => {
    sb.clearRequests()
    await ssm.send(
      new PutParameterCommand({ Name: '/rec/x', Value: 'recorded-value', Type: 'String' }),
    )
    const [r] = sb.requests
    expect(r).toMatchObject({
      method: 'POST',
      path: '/',
      status: 200,
      service: 'ssm',
      operation: 'PutParameter',
      accountId: A,
    })
    expect(r!.headers['x-amz-target']).toBe('AmazonSSM.PutParameter')
    expect(r!.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIA/)
    expect(JSON.parse(r!.body)).toMatchObject({ Name: '/rec/x', Value: 'recorded-value' })
  })
})

describe('faults', () => {
  it('throttles (the SDK retries ThrottlingException itself)', async () => {
    sb.injectFault({ type: 'throttling', operation: 'PutParameter' })
    const err = await caught(
      ssm.send(new PutParameterCommand({ Name: '/f/t', Value: 'v', Type: 'String' })),
    )
    expect(err.name).toBe('ThrottlingException')
    expect(err.message).toBe('Rate exceeded')
    expect(err.$metadata.attempts).toBe(1)

    sb.injectFault({ type: 'throttling', operation: 'PutParameter' })
    const retrying = client(creds, { maxAttempts: 3 })
    const ok = await retrying.send(
      new PutParameterCommand({ Name: '/f/t', Value: 'v', Type: 'String' }),
    )
    expect(ok.$metadata.attempts).toBe(2)
  })

  it('answers TooManyUpdates with no message, and the SDK does not retry it', async () => {
    sb.injectFault({ type: 'too-many-updates', operation: 'PutParameter', accountId: A })
    const retrying = client(creds, { maxAttempts: 3 })
    const err = await caught(
      retrying.send(new PutParameterCommand({ Name: '/f/tmu', Value: 'v', Type: 'String' })),
    )
    expect(err.name).toBe('TooManyUpdates')
    expect(err.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 })
    expect(sb.parameter(A, REGION, '/f/tmu')).toBeUndefined()
  })

  it('matches faults by account', async () => {
    const other = freshAccount()
    sb.injectFault({ type: 'too-many-updates', accountId: other.accountId })
    await ssm.send(new PutParameterCommand({ Name: '/f/mine', Value: 'v', Type: 'String' }))
    const err = await caught(
      other.ssm.send(new PutParameterCommand({ Name: '/f/mine', Value: 'v', Type: 'String' })),
    )
    expect(err.name).toBe('TooManyUpdates')
  })

  it('answers 500 InternalServerError', async () => {
    sb.injectFault({ type: 'internal', operation: 'GetParameter', times: 2 })
    const err = await caught(ssm.send(new GetParameterCommand({ Name: '/f/mine' })))
    expect(err.name).toBe('InternalServerError')
    expect(err.$metadata.httpStatusCode).toBe(500)
    expect(err.$fault).toBe('server')
    // The SDK retries 5xx: its first attempt takes the second fault, its second succeeds.
    const retrying = client(creds, { maxAttempts: 3 })
    const ok = await retrying.send(new GetParameterCommand({ Name: '/f/mine' }))
    expect(ok.$metadata.attempts).toBe(2)
  })

  it('answers any body: an HTML page from a proxy, or JSON of the wrong shape', async () => {
    sb.injectFault({
      type: 'body',
      status: 502,
      contentType: 'text/html',
      body: '<html><body>Bad Gateway</body></html>',
      operation: 'DescribeParameters',
    })
    const html = await caught(ssm.send(new DescribeParametersCommand({})))
    expect(html.$metadata.httpStatusCode).toBe(502)
    expect(html.message).toContain('Deserialization error')
    sb.injectFault({ type: 'body', body: '{"Parameters":"none"}', operation: 'DescribeParameters' })
    const odd = await ssm.send(new DescribeParametersCommand({}))
    expect(odd.Parameters as unknown).toBe('none')
  })

  it('answers with extra headers: a redirect carries its Location', async () => {
    sb.injectFault({
      type: 'body',
      status: 302,
      body: '',
      headers: { location: 'http://elsewhere.example/moved' },
      operation: 'GetParameter',
    })
    const res = await fetch(sb.url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonSSM.GetParameter',
      },
      body: '{}',
    })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('http://elsewhere.example/moved')
  })

  it('delays and resets', async () => {
    sb.injectFault({ type: 'delay', ms: 300, operation: 'GetParameter' })
    const started = Date.now()
    await ssm.send(new GetParameterCommand({ Name: '/f/mine' }))
    expect(Date.now() - started).toBeGreaterThanOrEqual(280)

    sb.injectFault({ type: 'reset', operation: 'GetParameter' })
    const err = await caught(ssm.send(new GetParameterCommand({ Name: '/f/mine' })))
    expect(String((err as Error & { code?: string }).code ?? err.message)).toMatch(
      /ECONNRESET|socket hang up/,
    )
    sb.clearFaults()
    await ssm.send(new GetParameterCommand({ Name: '/f/mine' }))
  })
})
