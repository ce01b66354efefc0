// mode: audit's inputs: parsed and checked before any request, each refusal naming its input.
import { describe, expect, it } from '@jest/globals'
import { InputError } from '@argocd-actions/core'
import { parseInputs } from '../src/inputs.js'

const ENV = { AWS_REGION: 'us-east-2' }
const base: Record<string, string> = {
  mode: 'audit',
  name: '/argocd/github/api_key',
  profile: 'argocd-webhooks',
  repositories: '{ deploy: acme/argocd-deploy-non-prod }',
}
const reader =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? ''
const parse = (extra: Record<string, string>) => parseInputs(reader({ ...base, ...extra }), ENV)

describe('mode: audit', () => {
  it('needs no token; min-days-left 14 and require-same true by default', async () => {
    const inputs = await parse({})
    expect(inputs).toMatchObject({
      mode: 'audit',
      token: '',
      audit: { minDaysLeft: 14, requireSame: true },
      targets: [{ name: '/argocd/github/api_key', region: 'us-east-2' }],
      validation: { profile: 'argocd-webhooks' },
    })
  })

  it('reads min-days-left (0 allowed) and require-same', async () => {
    expect((await parse({ 'min-days-left': '0', 'require-same': 'false' })).audit).toEqual({
      minDaysLeft: 0,
      requireSame: false,
    })
    expect((await parse({ 'min-days-left': '30', 'require-same': 'yes' })).audit).toEqual({
      minDaysLeft: 30,
      requireSame: true,
    })
  })

  it('takes targets as publishing does', async () => {
    const inputs = await parse({
      targets:
        '- { account-id: "222222222222", role-arn: arn:aws:iam::222222222222:role/audit-tokens }\n- { account-id: "333333333333" }',
    })
    expect(inputs.targets.map((t) => [t.accountId, t.roleArn, t.name])).toEqual([
      ['222222222222', 'arn:aws:iam::222222222222:role/audit-tokens', '/argocd/github/api_key'],
      ['333333333333', undefined, '/argocd/github/api_key'],
    ])
  })

  it('accepts the runner defaults of the publish-only inputs (tier, overwrite, dry-run)', async () => {
    await expect(
      parse({ tier: 'Standard', overwrite: 'true', 'dry-run': 'false' }),
    ).resolves.toMatchObject({ mode: 'audit' })
  })

  it.each([
    ['min-days-left', '-1', 'must be a whole number'],
    ['min-days-left', '1.5', 'must be a whole number'],
    ['min-days-left', 'two weeks', 'must be a whole number'],
    ['min-days-left', '3651', ''],
    ['require-same', 'maybe', 'must be true or false'],
    ['require-same', '2', 'must be true or false'],
    ['mode', 'check', ''],
    ['mode', 'audit;publish', ''],
    ['token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', "must not be given with 'mode: audit'"],
    ['kms-key-id', 'alias/argocd-tokens', 'is only used when publishing'],
    ['tier', 'Advanced', 'is only used when publishing'],
    ['tags', '{ team: platform }', 'is only used when publishing'],
    ['description', 'Argo CD token', 'is only used when publishing'],
    ['overwrite', 'false', 'is only used when publishing'],
    ['expiration-notice-days', '14', 'is only used when publishing'],
    ['dry-run', 'true', 'is only used when publishing'],
    ['profile', '', "is required with 'mode: audit'"],
  ])('refuses %s: %j', async (input, value, problem) => {
    const error = await parse({ [input]: value }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe(input)
    expect((error as Error).message).toContain(problem)
    // A token given by mistake is never quoted back.
    expect((error as Error).message).not.toContain('abcdefghijklmnop')
  })

  it('takes requirements instead of profile', async () => {
    const inputs = await parse({ profile: '', requirements: 'github: { kinds: [fine-grained] }' })
    expect(inputs.validation).toMatchObject({ requirements: 'github: { kinds: [fine-grained] }' })
  })
})

describe('mode: publish (the default)', () => {
  const publish = { token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', name: '/x/y' }

  it('is unchanged: a token is required, no audit settings', async () => {
    const inputs = await parseInputs(reader(publish), ENV)
    expect(inputs).toMatchObject({ mode: 'publish', token: publish.token })
    expect(inputs.audit).toBeUndefined()
    await expect(parseInputs(reader({ name: '/x/y' }), ENV)).rejects.toThrow("Input 'token'")
  })

  it.each(['min-days-left', 'require-same'])('refuses the audit-only input %s', async (input) => {
    await expect(parseInputs(reader({ ...publish, [input]: '7' }), ENV)).rejects.toThrow(
      `Input '${input}' is only read with 'mode: audit'`,
    )
  })
})
