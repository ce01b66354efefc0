import { InputError } from '../src/errors.js'
import { readJwtClaims } from '../src/jwt.js'
import { derivedForms, looksLikeToken, tokenLikeParts } from '../src/secrets.js'
import { parseArgoCdApplications, parseArgoCdProject } from '../src/tokens/argocd-inputs.js'
import { checkSlots } from '../src/tokens/audit.js'
import { parseAuditInputs } from '../src/tokens/audit-inputs.js'
import { identifyToken } from '../src/tokens/kind.js'
import { ProfileError, parseProfile } from '../src/tokens/profile-schema.js'
import { builtinProfile } from '../src/tokens/profiles.js'
import { argoCdAsks } from '../src/tokens/scopes.js'

/** Argo CD tokens: claims, the inputs that go with them, the can-i questions. */

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const jwt = (claims: Record<string, unknown>, sig = 'c2lnbmF0dXJlLW5vdC1jaGVja2VkLWhlcmU') =>
  `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.${sig}`
const iat = 1_780_000_000
const project = jwt({ iss: 'argocd', sub: 'proj:my-proj:ci', iat, nbf: iat, jti: 'j-1' })
const expiring = jwt({ iss: 'argocd', sub: 'proj:my-proj:ci', iat, exp: iat + 86_400, jti: 'j2' })
const account = jwt({ iss: 'argocd', sub: 'ci-bot:apiKey', iat, jti: 'j-3' })
const login = jwt({ iss: 'argocd', sub: 'admin:login', iat, exp: iat + 3600, jti: 'j-4' })
const sso = jwt({ iss: 'https://cd.example.com/api/dex', sub: 'Cg0wLTM4NS0yODA4OS0wEgRtb2Nr' })

describe('identifyToken: the kind from the claims', () => {
  test('a project role token', () => {
    const id = identifyToken(project, 'auto')
    expect(id.kind).toBe('argocd-project')
    expect(id.provider).toBe('argocd')
    expect(id.argocd).toMatchObject({ project: 'my-proj', role: 'ci', jti: 'j-1', expiresAt: null })
    expect(id.argocd!.issuedAt).toEqual(new Date(iat * 1000))
  })
  test('exp becomes the expiry', () => {
    expect(identifyToken(expiring, 'argocd').argocd!.expiresAt).toEqual(
      new Date((iat + 86_400) * 1000),
    )
  })
  test("a local account's API key", () => {
    expect(identifyToken(account, 'auto')).toMatchObject({
      kind: 'argocd-account',
      argocd: { account: 'ci-bot' },
    })
  })
  test('a login session, and an SSO session with provider argocd', () => {
    expect(identifyToken(login, 'auto')).toMatchObject({
      kind: 'argocd-session',
      argocd: { account: 'admin' },
    })
    expect(identifyToken(sso, 'argocd').kind).toBe('argocd-session')
  })

  const refused = (token: string, provider: 'auto' | 'argocd' | 'github', problem: RegExp) => {
    let error: unknown
    try {
      identifyToken(token, provider)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    const message = (error as Error).message
    expect(message).toMatch(/^Input 'token' /)
    expect(message).toMatch(problem)
    for (const part of token.split('.')) if (part.length >= 8) expect(message).not.toContain(part)
  }
  test.each<[string, string, 'auto' | 'argocd' | 'github', RegExp]>([
    [
      'a payload that is not base64 JSON',
      `${b64({ alg: 'HS256' })}.eyJub3Rqc29u.x`,
      'auto',
      /payload segment is not a JSON object/,
    ],
    ['two segments', `${b64({ alg: 'HS256' })}.${b64({ sub: 'x' })}`, 'argocd', /is not a JWT/],
    [
      'a GitHub token with provider argocd',
      `ghp_${'a'.repeat(36)}`,
      'argocd',
      /is a github token, but 'provider' says argocd/,
    ],
    [
      'a JWT of another issuer with provider auto',
      sso,
      'auto',
      /issuer is not 'argocd'.*set 'provider' to argocd/,
    ],
    ['no sub', jwt({ iss: 'argocd', iat }), 'auto', /no 'sub'/],
    [
      'exp as text',
      jwt({ iss: 'argocd', sub: 'proj:p:r', exp: '2027-01-01' }),
      'auto',
      /'exp' is not a number/,
    ],
    [
      'an opaque value with provider argocd',
      'not-a-jwt-at-all-0123456789',
      'argocd',
      /must be an Argo CD token \(a JWT\)/,
    ],
  ])('refused, not echoed: %s', (_name, token, provider, problem) => {
    refused(token, provider, problem)
  })
})

describe('masking a JWT', () => {
  test('each segment is a derived form, so none can print alone', () => {
    const forms = derivedForms(project)
    for (const part of project.split('.')) expect(forms).toContain(part)
  })
  test('a JWT anywhere in an input looks like a token', () => {
    expect(looksLikeToken(`see ${project} here`)).toBe(true)
    expect(tokenLikeParts(`a ${project} b`)).toEqual([project])
    expect(looksLikeToken('eyJ is how JSON starts in base64')).toBe(false)
  })
  test('readJwtClaims never needs the signature', () => {
    expect(readJwtClaims(jwt({ sub: 'x' }, ''))).toEqual({ claims: { sub: 'x' } })
  })
})

describe('argocd-project and argocd-applications', () => {
  test('valid values', () => {
    expect(parseArgoCdProject(' my-proj ')).toBe('my-proj')
    expect(parseArgoCdProject('')).toBeUndefined()
    expect(parseArgoCdApplications('nonprod.web, nonprod.worker\napps/web nonprod.web')).toEqual([
      'nonprod.web',
      'nonprod.worker',
      'apps/web',
    ])
  })
  test.each(['My-Proj', 'proj/x', '*', 'a,b', '-x', 'x'.repeat(254)])(
    'argocd-project refuses %j',
    (value) => {
      expect(() => parseArgoCdProject(value)).toThrow(
        /^Input 'argocd-project' must be an Argo CD project name.*Example: argocd-project: my-proj$/,
      )
    },
  )
  test.each(['Web', 'a/b/c', '*', 'my-proj/*', 'ns_1/web', 'web?x'])(
    'argocd-applications refuses %j',
    (value) => {
      expect(() => parseArgoCdApplications(value)).toThrow(
        /^Input 'argocd-applications' has '.*', which is not an application name/,
      )
    },
  )
  test('at most 50 applications', () => {
    const many = Array.from({ length: 51 }, (_, i) => `app-${i}`).join(',')
    expect(() => parseArgoCdApplications(many)).toThrow(/lists 51 applications; at most 50/)
  })
})

describe('the audit inputs for an Argo CD token', () => {
  const inputs = (extra: Record<string, string>) => (name: string) =>
    ({
      token: expiring,
      profile: 'argocd-ci-sync',
      'api-url': 'https://cd.example.com',
      'argocd-project': 'my-proj',
      'argocd-applications': 'nonprod.web',
      ...extra,
    })[name] ?? ''
  const parse = async (extra: Record<string, string>) => {
    const opts = await parseAuditInputs(inputs(extra), '/nonexistent')
    checkSlots(opts)
    return opts
  }

  test('valid: the project, the applications, require-expiry', async () => {
    const opts = await parse({ 'require-expiry': 'true' })
    expect(opts.identity.kind).toBe('argocd-project')
    expect(opts.argocd).toEqual({ project: 'my-proj', applications: ['nonprod.web'] })
    expect(opts.requireExpiry).toBe(true)
  })
  test.each<[Record<string, string>, RegExp]>([
    [
      { 'api-url': '' },
      /^Input 'api-url' is required for an Argo CD token.*Example: api-url: https:\/\/argocd.example.com/,
    ],
    [{ 'api-url': 'ftp://cd.example.com' }, /^Input 'api-url' must be an http or https URL/],
    [{ 'argocd-project': '' }, /^Input 'argocd-project' is required for an Argo CD token/],
    [
      { 'argocd-applications': '' },
      /^Input 'argocd-applications' is required for an Argo CD token/,
    ],
    [{ repositories: '{ deploy: acme/deploy }' }, /^Input 'repositories' is for Git tokens/],
    [
      { profile: 'argocd-release' },
      /^Input 'profile' 'argocd-release' has no requirements for argocd tokens/,
    ],
    [{ 'require-expiry': 'sometimes' }, /^Input 'require-expiry' must be true or false/],
    [
      { provider: 'argo' },
      /^Input 'provider' has an unknown value 'argo'; one of: auto, github, gitlab, bitbucket, argocd/,
    ],
  ])('%j', async (extra, message) => {
    await expect(parse(extra)).rejects.toThrow(message)
  })
  test('argocd-project with a Git token is refused', async () => {
    await expect(
      parse({
        token: `ghp_${'a'.repeat(36)}`,
        profile: 'argocd-release',
        repositories: '{ deploy: acme/deploy, infra: acme/infra }',
        'api-url': '',
      }),
    ).rejects.toThrow(/^Input 'argocd-project' is for Argo CD tokens/)
  })
})

describe('profiles', () => {
  test('argocd-ci-sync needs get and sync on the applications; readonly only get', () => {
    expect(builtinProfile('argocd-ci-sync')!.argocd).toEqual({
      applications: ['get', 'sync'],
      onlyTheseApplications: true,
    })
    expect(builtinProfile('argocd-ci-readonly')!.argocd!.applications).toEqual(['get'])
  })
  test('schema errors give the path', () => {
    let problems: string[] = []
    try {
      parseProfile('x', {
        argocd: { applications: ['get', 'fly'], extra: 1, 'only-these-applications': 'yes' },
      })
    } catch (e) {
      problems = (e as ProfileError).problems
    }
    expect(problems).toEqual([
      'argocd.extra: unknown key; allowed: applications, only-these-applications',
      "argocd.applications: unknown action 'fly'; one of: get, sync, create, update, delete, override, action",
      'argocd.only-these-applications: must be true or false',
    ])
    expect(() => parseProfile('x', { argocd: { applications: [] } })).toThrow(
      /argocd.applications: must list at least one action/,
    )
  })
})

describe('argoCdAsks', () => {
  const asks = argoCdAsks({
    project: 'my-proj',
    applications: ['nonprod.web', 'apps/web'],
    actions: ['get', 'sync'],
    onlyTheseApplications: true,
  })
  const key = (a: { resource: string; action: string; object: string }) =>
    `${a.resource} ${a.action} ${a.object}`
  test('what the role needs: each action on each application', () => {
    expect(asks.needed.map(key)).toEqual([
      'applications get my-proj/nonprod.web',
      'applications sync my-proj/nonprod.web',
      'applications get my-proj/apps/web',
      'applications sync my-proj/apps/web',
    ])
  })
  test('what it must not have: the rest, the whole project, other projects, admin powers', () => {
    const excess = asks.excess.map(key)
    for (const k of [
      'applications delete my-proj/nonprod.web',
      'applications override my-proj/apps/web',
      'exec create my-proj/nonprod.web',
      'applications sync my-proj/*',
      'applications get */*',
      'projects update my-proj',
      'projects delete my-proj',
      'clusters create *',
      'repositories get *',
      'accounts update *',
      'certificates create *',
      'gpgkeys create *',
    ])
      expect(excess).toContain(k)
    for (const n of asks.needed) expect(excess).not.toContain(key(n))
  })
  test('without only-these-applications the whole project is not asked about', () => {
    const loose = argoCdAsks({
      project: 'p',
      applications: ['a'],
      actions: ['get'],
      onlyTheseApplications: false,
    })
    expect(loose.excess.map(key)).not.toContain('applications get p/*')
  })
})
