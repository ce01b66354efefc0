// Pure token-model helpers: scope implication (tokens.md §3) and the expiry header format.
import { describe, expect, it } from '@jest/globals'
import { expandScopes, formatExpiration, normaliseScopes } from '../src/index.js'
import { tokenFromAuthorization } from '../src/github/tokens.js'

describe('classic scopes', () => {
  it('expands implied scopes transitively', () => {
    expect([...expandScopes(['repo'])].sort()).toEqual(
      [
        'public_repo',
        'repo',
        'repo:invite',
        'repo:status',
        'repo_deployment',
        'security_events',
      ].sort(),
    )
    expect(expandScopes(['admin:repo_hook']).has('read:repo_hook')).toBe(true)
    expect(expandScopes(['admin:org']).has('read:org')).toBe(true)
    expect(expandScopes(['user']).has('user:email')).toBe(true)
    expect(expandScopes(['workflow'])).toEqual(new Set(['workflow']))
    expect(expandScopes(['repo:status']).has('repo')).toBe(false)
  })

  it('normalises like GitHub stores them: implied scopes dropped, sorted', () => {
    expect(normaliseScopes(['repo:status', 'workflow', 'repo'])).toEqual(['repo', 'workflow'])
    expect(normaliseScopes(['read:org', 'write:org', 'gist'])).toEqual(['gist', 'write:org'])
    expect(normaliseScopes(['repo:status'])).toEqual(['repo:status'])
    expect(normaliseScopes([])).toEqual([])
  })
})

describe('expiry header', () => {
  it('uses "UTC" for classic/app tokens and "+0000" for fine-grained', () => {
    const d = new Date('2026-12-01T10:00:05.123Z')
    expect(formatExpiration(d, 'classic')).toBe('2026-12-01 10:00:05 UTC')
    expect(formatExpiration(d, 'installation')).toBe('2026-12-01 10:00:05 UTC')
    expect(formatExpiration(d, 'fine-grained')).toBe('2026-12-01 10:00:05 +0000')
  })
})

describe('Authorization header', () => {
  it('reads token, bearer and basic forms', () => {
    expect(tokenFromAuthorization(undefined)).toBeUndefined()
    expect(tokenFromAuthorization('token abc')).toBe('abc')
    expect(tokenFromAuthorization('Bearer abc')).toBe('abc')
    expect(
      tokenFromAuthorization(`Basic ${Buffer.from('x-access-token:abc').toString('base64')}`),
    ).toBe('abc')
    expect(tokenFromAuthorization('Digest abc')).toBe('Digest abc')
  })
})
