// The comparison behind "unchanged": every attribute the action sets, and nothing it does not.
import { describe, expect, it } from '@jest/globals'
import {
  keyForm,
  needsPut,
  planUpdate,
  samePolicies,
  type Desired,
  type Stored,
} from '../src/compare.js'
import { expirationPolicies } from '../src/publish.js'

const TOKEN = 'ghp_compareTokenValue0123456789abcdefAB'
const secure = (over: Partial<NonNullable<Stored['meta']>> = {}): Stored['meta'] => ({
  type: 'SecureString',
  keyId: 'alias/aws/ssm',
  tier: 'Standard',
  policies: [],
  version: 3,
  ...over,
})
const want = (over: Partial<Desired> = {}): Desired => ({
  token: TOKEN,
  tier: 'Standard',
  tags: {},
  ...over,
})
const stored = (over: Partial<Stored> = {}): Stored => ({
  value: TOKEN,
  meta: secure(),
  tags: {},
  ...over,
})

describe('planUpdate', () => {
  it('writes nothing when every attribute matches', () => {
    const plan = planUpdate(
      stored({
        meta: secure({ keyId: 'alias/argocd', description: 'd', tier: 'Advanced' }),
        tags: { team: 'x', other: 'kept' },
      }),
      want({ kmsKeyId: 'alias/argocd', description: 'd', tier: 'Advanced', tags: { team: 'x' } }),
    )
    expect(plan).toEqual({ put: [], addTags: {}, unverified: [], notes: [], warnings: [] })
    expect(needsPut(plan)).toBe(false)
  })

  it.each<[string, Partial<Stored>, Partial<Desired>, string]>([
    ['value', { value: 'old' }, {}, 'value'],
    ['a plaintext String', { meta: secure({ type: 'String', keyId: undefined }) }, {}, 'type'],
    ['a StringList', { meta: secure({ type: 'StringList', keyId: undefined }) }, {}, 'type'],
    ['another key', {}, { kmsKeyId: 'alias/argocd' }, 'kms-key'],
    [
      'another description',
      { meta: secure({ description: 'old' }) },
      { description: 'new' },
      'description',
    ],
    ['no description yet', {}, { description: 'new' }, 'description'],
    ['Standard asked Advanced', {}, { tier: 'Advanced' }, 'tier'],
    [
      'no policies yet',
      {},
      { tier: 'Advanced', policies: expirationPolicies(new Date('2027-01-01T00:00:00Z'), 14) },
      'policies',
    ],
  ])('%s is put', (_label, s, w, attribute) => {
    const plan = planUpdate(stored(s), want(w))
    expect(plan.put).toContain(attribute)
    expect(needsPut(plan)).toBe(true)
  })

  it('does not compare what the action does not set', () => {
    const plan = planUpdate(
      stored({ meta: secure({ keyId: 'alias/theirs', description: 'theirs' }) }),
      want(),
    )
    expect(plan.put).toEqual([])
  })

  it('keeps an Advanced parameter Advanced, with a note', () => {
    const plan = planUpdate(stored({ meta: secure({ tier: 'Advanced' }) }), want())
    expect(plan.put).toEqual([])
    expect(plan.notes).toEqual(['stays Advanced: SSM cannot move a parameter back to Standard'])
  })

  it('sets only the tags that differ', () => {
    const plan = planUpdate(
      stored({ tags: { team: 'a', cost: 'c' } }),
      want({ tags: { team: 'b', cost: 'c', new: 'n' } }),
    )
    expect(plan.addTags).toEqual({ team: 'b', new: 'n' })
    expect(needsPut(plan)).toBe(false)
  })

  it('writes what it could not read, and says so', () => {
    const plan = planUpdate({ value: null, meta: null, tags: null }, want({ tags: { team: 'x' } }))
    expect(plan.unverified).toEqual(['value', 'metadata', 'tags'])
    expect(plan.addTags).toEqual({ team: 'x' })
    expect(needsPut(plan)).toBe(true)
  })

  it('an unreadable value alone still makes a new version', () => {
    expect(needsPut(planUpdate(stored({ value: null }), want()))).toBe(true)
    expect(needsPut(planUpdate(stored({ value: undefined }), want()))).toBe(true)
  })
})

describe("an earlier token's Expiration policy", () => {
  const old = (
    JSON.parse(expirationPolicies(new Date('2027-01-01T00:00:00Z'), 14)) as unknown[]
  ).map((p) => JSON.stringify(p))
  it('is warned about when a new token is written without policies', () => {
    const plan = planUpdate(
      stored({ value: 'old', meta: secure({ tier: 'Advanced', policies: old }) }),
      want(),
    )
    expect(plan.warnings).toEqual([
      expect.stringContaining(
        'has an Expiration policy (2027-01-01T00:00:00.000Z) set for an earlier token',
      ),
    ])
  })
  it('is not when the token is the same, or when policies are set', () => {
    expect(
      planUpdate(stored({ meta: secure({ tier: 'Advanced', policies: old }) }), want()).warnings,
    ).toEqual([])
    expect(
      planUpdate(
        stored({ value: 'old', meta: secure({ tier: 'Advanced', policies: old }) }),
        want({
          tier: 'Advanced',
          policies: expirationPolicies(new Date('2028-01-01T00:00:00Z'), 14),
        }),
      ).warnings,
    ).toEqual([])
  })
})

describe('keyForm', () => {
  it.each([
    ['alias/argocd', 'alias/argocd'],
    ['arn:aws:kms:us-east-2:111111111111:alias/argocd', 'alias/argocd'],
    ['1234abcd-12ab-34cd-56ef-1234567890ab', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    [
      'arn:aws:kms:us-east-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ],
  ])('%s → %s', (given, form) => expect(keyForm(given)).toBe(form))
})

describe('samePolicies', () => {
  const policies = expirationPolicies(new Date('2027-01-01T00:00:00Z'), 14)
  const texts = (JSON.parse(policies) as unknown[]).map((p) => JSON.stringify(p))
  it('ignores order', () => expect(samePolicies([...texts].reverse(), policies)).toBe(true))
  it('sees another notice period', () =>
    expect(samePolicies(texts, expirationPolicies(new Date('2027-01-01T00:00:00Z'), 7))).toBe(
      false,
    ))
  it('sees a missing policy', () => expect(samePolicies(texts.slice(1), policies)).toBe(false))
  it('takes unparseable stored text as different', () =>
    expect(samePolicies(['{oops', texts[1]!], policies)).toBe(false))
})
