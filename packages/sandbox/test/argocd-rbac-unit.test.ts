// The pieces of the Argo CD double's RBAC that are pure functions: gobwas-style globs and
// policy.csv parsing (Go's encoding/csv with TrimLeadingSpace), against the cases Argo CD's
// policies use.
import { describe, expect, it } from '@jest/globals'
import { globMatch, parsePolicy, validateRolePolicy } from '../src/argocd/rbac.js'

describe('globMatch (gobwas/glob, no separators)', () => {
  it.each([
    ['my-proj/web', '*', true],
    ['my-proj/web', '*/*', true],
    ['my-proj', '*/*', false],
    ['a/b/c', 'a/*', true], // no separators: * crosses '/'
    ['web-1', 'web-?', true],
    ['web-12', 'web-?', false],
    ['api', '{web,api}', true],
    ['db', '{web,api}', false],
    ['x3', 'x[0-9]', true],
    ['xa', 'x[!0-9]', true],
    ['x3', 'x[!0-9]', false],
    ['a*b', 'a\\*b', true],
    ['axb', 'a\\*b', false],
    ['a.b', 'a.b', true],
    ['axb', 'a.b', false], // '.' is literal
    ['(x)', '(x)', true],
    ['anything', '[unclosed', false], // does not compile: matches nothing
    ['anything', '{unclosed', false],
  ])('%s ~ %s -> %s', (value, pattern, expected) => {
    expect(globMatch(value, pattern)).toBe(expected)
  })
})

describe('parsePolicy', () => {
  it('reads p and g lines, skips comments and blanks, trims spaces, honours CSV quotes', () => {
    expect(
      parsePolicy(
        [
          '# comment',
          '',
          '  p, role:ci, applications, get, "a/{b,c}", allow  ',
          'p,role:x,clusters,get,*,deny',
          'p, role:q, repositories, get, "say ""hi""", allow',
          'g, alice, role:ci',
        ].join('\n'),
      ),
    ).toEqual({
      p: [
        ['role:ci', 'applications', 'get', 'a/{b,c}', 'allow'],
        ['role:x', 'clusters', 'get', '*', 'deny'],
        ['role:q', 'repositories', 'get', 'say "hi"', 'allow'],
      ],
      g: [['alice', 'role:ci']],
    })
  })

  it.each([
    'p, role:ci, applications, get, a/{b,c}, allow', // 7 fields: the comma needs quotes
    'p, role:ci, applications, get, allow',
    'g, alice',
    'x, a, b',
    'p, role:ci, applications, get, "unterminated, allow',
  ])('refuses %s', (line) => {
    expect(() => parsePolicy(line)).toThrow(/invalid RBAC policy|quoted-field/)
  })
})

describe('validateRolePolicy (AppProject role policies)', () => {
  it.each([
    'p, proj:p:r, applications, get, p/*, allow',
    'p, proj:p:r, applications, sync, p/web.api, deny',
    'p, proj:p:r, applications, action/apps/Deployment/restart, p/ns/web, allow',
    'p, proj:p:r, logs, get, p/*, allow',
  ])('accepts %s', (policy) => {
    expect(() => validateRolePolicy('p', 'r', policy)).not.toThrow()
  })

  it.each([
    ['p, proj:p:r, applications, get, q/*, allow', /object must be of form/],
    ['p, proj:p:r, applications, get, p/, allow', /object must be of form/],
    ['p, proj:p:r, applications, get, */*, allow', /object must be of form/],
    ['p, proj:q:r, applications, get, p/*, allow', /policy subject must be: 'proj:p:r'/],
    ['p, proj:p:r, projects, get, p, allow', /project resource must be/],
    ['p, proj:p:r, applications, fly, p/*, allow', /invalid action 'fly'/],
    ['p, proj:p:r, applications, get, p/*, maybe', /effect must be/],
    ['g, proj:p:r, role:admin', /must be of the form/],
  ])('refuses %s', (policy, why) => {
    expect(() => validateRolePolicy('p', 'r', policy)).toThrow(why)
  })
})
