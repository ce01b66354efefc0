import { InputError } from '../src/index.js'
import {
  BUILTIN_PROFILE_NAMES,
  ProfileError,
  builtinProfile,
  closure,
  compareScopes,
  identifyToken,
  nameFindings,
  parseProfile,
  parseRepositories,
  parseScopesHeader,
  resolveProfile,
} from '../src/tokens/index.js'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

const a36 = 'a'.repeat(36)

describe('identifyToken', () => {
  test.each([
    [`ghp_${a36}`, 'classic', 'github'],
    [`github_pat_11ABCDEFG0_${'x'.repeat(59)}`, 'fine-grained', 'github'],
    [`gho_${a36}`, 'oauth', 'github'],
    [`ghu_${a36}`, 'app-user', 'github'],
    [`ghs_${a36}`, 'installation', 'github'],
    // 2026 form: ghs_<appid>_<JWT>, ~520 characters with dots.
    [
      `ghs_123456_eyJhbGciOiJSUzI1NiJ9.${'e'.repeat(400)}.${'s'.repeat(80)}`,
      'installation',
      'github',
    ],
    [`ghr_${a36}`, 'refresh', 'github'],
    [`glpat-${'x'.repeat(20)}`, 'gitlab', 'gitlab'],
    [`ATCTT3xFfGF0${'x'.repeat(40)}`, 'bitbucket-access-token', 'bitbucket'],
    [`ATATT3xFfGF0${'x'.repeat(40)}`, 'bitbucket-api-token', 'bitbucket'],
    [`ATBB${'x'.repeat(28)}`, 'bitbucket-app-password', 'bitbucket'],
  ])('%s', (token, kind, provider) => {
    expect(identifyToken(token, 'auto')).toEqual({ kind, provider })
  })

  test('a malformed token is an input error that does not echo it', () => {
    const token = 'ghp_CANARY!!short'
    try {
      identifyToken(token, 'auto')
      throw new Error('expected an error')
    } catch (error) {
      expect(error).toBeInstanceOf(InputError)
      expect((error as Error).message).toContain('malformed')
      expect((error as Error).message).not.toContain('CANARY')
    }
  })
  test('an unknown prefix needs an explicit provider', () => {
    expect(() => identifyToken('0123456789abcdef0123456789abcdef01234567', 'auto')).toThrow(
      /not a recognised/,
    )
    expect(identifyToken('0123456789abcdef0123456789abcdef01234567', 'github')).toEqual({
      kind: 'unknown',
      provider: 'github',
    })
  })
  test('a provider that contradicts the prefix is refused', () => {
    expect(() => identifyToken(`ghp_${a36}`, 'gitlab')).toThrow(
      /is a github token, but 'provider' says gitlab/,
    )
  })
})

describe('scopes', () => {
  test('closure follows implications transitively', () => {
    expect(closure(['admin:repo_hook'])).toEqual(
      new Set(['admin:repo_hook', 'write:repo_hook', 'read:repo_hook']),
    )
  })
  test('repo instead of repo:status is excess, nothing missing', () => {
    expect(compareScopes(['repo'], ['repo:status'])).toEqual({ missing: [], excess: ['repo'] })
  })
  test('exact scopes: nothing missing, nothing more', () => {
    expect(compareScopes(['repo', 'admin:repo_hook'], ['repo', 'admin:repo_hook'])).toEqual({
      missing: [],
      excess: [],
    })
  })
  test('a scope implied by a required one is not excess', () => {
    expect(compareScopes(['repo', 'repo:status'], ['repo'])).toEqual({ missing: [], excess: [] })
  })
  test('missing and excess at once', () => {
    expect(compareScopes(['read:org', 'gist'], ['repo:status', 'read:org'])).toEqual({
      missing: ['repo:status'],
      excess: ['gist'],
    })
  })
  test('header parsing', () => {
    expect(parseScopesHeader('repo, read:org')).toEqual(['repo', 'read:org'])
    expect(parseScopesHeader('')).toEqual([])
  })
})

describe('profiles', () => {
  test('every built-in profile the interface names exists and validates', () => {
    expect([...BUILTIN_PROFILE_NAMES].sort()).toEqual(
      [
        'argocd-ci-readonly',
        'argocd-ci-sync',
        'argocd-deploy-repo-admin',
        'argocd-notifications',
        'argocd-release',
        'argocd-webhooks',
        'codefresh-runtime',
        'codefresh-user',
      ].sort(),
    )
    for (const name of BUILTIN_PROFILE_NAMES) expect(builtinProfile(name)?.name).toBe(name)
  })
  test('the seed roles are what the seed says', () => {
    expect(builtinProfile('argocd-deploy-repo-admin')!.github).toMatchObject({
      repositories: {
        deploy: { permissions: { administration: 'write', contents: 'write' } },
        'deploy-prod': { permissions: { administration: 'write', contents: 'write' } },
      },
      organization: { members: 'read' },
    })
    expect(builtinProfile('argocd-notifications')!.github!.classicScopes).toEqual(['repo:status'])
    expect(builtinProfile('codefresh-runtime')!.gitlab!.scopes).toEqual([
      'read_api',
      'read_repository',
    ])
  })
  test('schema errors give every path', () => {
    try {
      parseProfile('x', {
        github: {
          kinds: ['classic', 'magic'],
          repositories: { Deploy: { contents: 'admin', bogus: 'read' } },
        },
        extra: 1,
      })
      throw new Error('expected a ProfileError')
    } catch (error) {
      expect(error).toBeInstanceOf(ProfileError)
      const problems = (error as ProfileError).problems
      expect(problems).toEqual(
        expect.arrayContaining([
          'extra: unknown key; allowed: description, token-names, storage, rotate, github, gitlab, bitbucket, argocd, $comment',
          "github.kinds: unknown kind 'magic'; one of: classic, fine-grained, installation, oauth, app-user",
          "github.classic-scopes: required when kinds include 'classic'",
          'github.repositories.Deploy: slot names are lower-case words like deploy, infra, app',
          'github.repositories.Deploy.contents: must be read or write, not "admin"',
        ]),
      )
      expect(
        problems.some((p) =>
          p.startsWith('github.repositories.Deploy.bogus: unknown repository permission'),
        ),
      ).toBe(true)
    }
  })
  test('a profile needs at least one provider', () => {
    expect(() => parseProfile('x', { description: 'nothing' })).toThrow(
      /needs at least one of github, gitlab, bitbucket/,
    )
  })

  describe('resolveProfile', () => {
    let dir: string
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'profiles-'))
      await writeFile(
        path.join(dir, 'mine.yml'),
        'github:\n  kinds: [fine-grained]\n  repositories:\n    deploy: { contents: read }\n',
      )
      await writeFile(path.join(dir, 'broken.yml'), 'github: [unclosed\n')
    })
    test('built-in by name', async () => {
      expect((await resolveProfile({ profile: 'argocd-release', workspace: dir })).name).toBe(
        'argocd-release',
      )
    })
    test('a YAML file in the workspace', async () => {
      const p = await resolveProfile({ profile: 'mine.yml', workspace: dir })
      expect(p.name).toBe('mine')
      expect(p.github!.repositories.deploy.permissions).toEqual({ contents: 'read' })
    })
    test('inline requirements', async () => {
      const p = await resolveProfile({
        requirements: 'gitlab: { scopes: [read_api] }',
        workspace: dir,
      })
      expect(p.gitlab!.scopes).toEqual(['read_api'])
    })
    test.each([
      [
        { profile: 'nope' },
        "Input 'profile' 'nope' is not a built-in profile; built-in profiles: argocd-deploy-repo-admin",
      ],
      [{ profile: 'missing.yml' }, 'names a file that cannot be read: missing.yml (ENOENT)'],
      [{ profile: '../outside.yml' }, 'must be a path inside the workspace'],
      [{ profile: 'broken.yml' }, "Input 'profile' is not valid YAML"],
      [
        { requirements: 'github: { kinds: [] }' },
        "Input 'requirements' is not a valid token profile: github.kinds: must list at least one",
      ],
      [
        { profile: 'argocd-release', requirements: 'x: 1' },
        "Input 'requirements' cannot be used together with 'profile'",
      ],
      [{}, "Input 'profile' is required (or 'requirements')"],
    ])('%j', async (source, message) => {
      await expect(resolveProfile({ ...source, workspace: dir })).rejects.toThrow(message)
    })
  })
})

describe('parseRepositories', () => {
  test('flow and block maps', () => {
    expect(parseRepositories('{ deploy: a/b, infra: a/c }')).toEqual({
      deploy: 'a/b',
      infra: 'a/c',
    })
    expect(parseRepositories('deploy: a/b\ninfra: a/c\n')).toEqual({ deploy: 'a/b', infra: 'a/c' })
    expect(parseRepositories('')).toEqual({})
  })
  test.each([
    ['{ deploy: a/b', 'is not valid YAML'],
    ['- a/b', 'must be a YAML map'],
    ['deploy: [a/b]', "slot 'deploy' must map to one repository"],
  ])('%s', (text, message) => {
    expect(() => parseRepositories(text)).toThrow(message)
  })
})

describe('nameFindings', () => {
  const profile = builtinProfile('argocd-release')!
  test('the convention passes', () => {
    expect(nameFindings('argocd/github/nonprod', 'fine-grained', profile)).toEqual([])
  })
  test('a name off the convention warns', () => {
    expect(nameFindings('Release Token', 'fine-grained', profile)[0]).toMatchObject({
      kind: 'name',
      severity: 'warning',
    })
  })
  test('classic tokens follow the secret-name rule', () => {
    const notif = builtinProfile('argocd-notifications')!
    expect(nameFindings('ARGOCD_APP_NOTIFICATIONS', 'classic', notif)).toEqual([])
    expect(nameFindings('argocd/app/notifications', 'classic', notif)[0].message).toContain(
      'classic-token rule',
    )
  })
  test('a good name that is not the profile’s is only information', () => {
    expect(nameFindings('argocd/github/staging', 'fine-grained', profile)[0]).toMatchObject({
      severity: 'info',
    })
  })
})
