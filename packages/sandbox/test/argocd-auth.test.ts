// The Argo CD double's tokens and RBAC: what util/session accepts (signature, exp, nbf, listed in
// the role's or account's tokens) and what casbin with Argo CD's model and built-in policy allows,
// through userinfo, can-i and application GETs, over real HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startArgoCdSandbox, type ArgoCdSandbox } from '../src/index.js'
import { argoGet, canI, claimsOf, forgedJwt } from './helpers/argocd.js'

let argo: ArgoCdSandbox

beforeAll(async () => {
  argo = await startArgoCdSandbox()
  argo.addProject('my-proj', {
    roles: [
      {
        name: 'ci',
        policies: [
          'p, proj:my-proj:ci, applications, get, my-proj/*, allow',
          'p, proj:my-proj:ci, applications, sync, my-proj/nonprod.*, allow',
          'p, proj:my-proj:ci, applications, sync, my-proj/nonprod.secret, deny',
        ],
      },
      {
        name: 'viewer',
        policies: ['p, proj:my-proj:viewer, applications, get, my-proj/web, allow'],
      },
    ],
  })
  argo.addProject('other-proj', {
    roles: [
      { name: 'ci', policies: ['p, proj:other-proj:ci, applications, *, other-proj/*, allow'] },
    ],
  })
  argo.addAccount('ci-bot')
  argo.addAccount('auditor')
  argo.addAccount('deployer')
  argo.addAccount('human', { capabilities: ['login'] })
})

afterAll(async () => {
  await argo?.stop()
})

beforeEach(() => {
  argo.setPolicy('', '')
  argo.clearRequests()
})

const userinfo = async (token?: string) =>
  (await argoGet(argo.url, '/api/v1/session/userinfo', token)).json

describe('tokens', () => {
  it('signs HS256 JWTs with Argo CD claims: project roles and account API keys', () => {
    const proj = argo.projectToken('my-proj', 'ci', { expiresInSeconds: 3600 })
    const header = JSON.parse(Buffer.from(proj.split('.')[0]!, 'base64url').toString('utf8'))
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' })
    const claims = claimsOf(proj)
    expect(Object.keys(claims).sort()).toEqual(['exp', 'iat', 'iss', 'jti', 'nbf', 'sub'])
    expect(claims).toMatchObject({ iss: 'argocd', sub: 'proj:my-proj:ci' })
    expect(claims['exp']).toBe((claims['iat'] as number) + 3600)
    expect(claims['jti']).toMatch(/^[0-9a-f-]{36}$/)
    const key = claimsOf(argo.accountToken('ci-bot'))
    expect(key).toMatchObject({ iss: 'argocd', sub: 'ci-bot:apiKey' })
    expect(key).not.toHaveProperty('exp') // never expires
  })

  it('userinfo names the caller: the role subject, or the account without :apiKey', async () => {
    expect(await userinfo(argo.projectToken('my-proj', 'ci'))).toEqual({
      loggedIn: true,
      username: 'proj:my-proj:ci',
      iss: 'argocd',
    })
    expect(await userinfo(argo.accountToken('ci-bot'))).toEqual({
      loggedIn: true,
      username: 'ci-bot',
      iss: 'argocd',
    })
    expect(argo.requests.map((r) => [r.path, r.authorized])).toEqual([
      ['/api/v1/session/userinfo', true],
      ['/api/v1/session/userinfo', true],
    ])
  })

  const bad: [string, () => string, RegExp][] = [
    [
      'expired',
      () =>
        argo.projectToken('my-proj', 'ci', {
          issuedAt: new Date(Date.now() - 7200_000),
          expiresInSeconds: 3600,
        }),
      /^invalid session: token has invalid claims: token is expired$/,
    ],
    [
      'not valid yet',
      () => argo.projectToken('my-proj', 'ci', { issuedAt: new Date(Date.now() + 3600_000) }),
      /^invalid session: token has invalid claims: token is not valid yet$/,
    ],
    [
      'revoked (project role)',
      () => {
        const t = argo.projectToken('my-proj', 'ci')
        argo.revokeToken(t)
        return t
      },
      /^invalid session: JWT token for role 'ci' issued at '\d+' does not exist in project 'my-proj'$/,
    ],
    [
      'revoked (account)',
      () => {
        const t = argo.accountToken('ci-bot')
        argo.revokeToken(t)
        return t
      },
      /^invalid session: account ci-bot does not have token with id [0-9a-f-]{36}$/,
    ],
    [
      'forged signature',
      () => {
        const [h, c] = argo.projectToken('my-proj', 'ci').split('.')
        return `${h}.${c}.${Buffer.from('x'.repeat(32)).toString('base64url')}`
      },
      /^invalid session: token signature is invalid: signature is invalid$/,
    ],
    [
      'claims altered after signing',
      () => {
        const [h, , s] = argo.projectToken('my-proj', 'viewer').split('.')
        const c = forgedJwt({
          ...claimsOf(argo.projectToken('my-proj', 'viewer')),
          sub: 'proj:my-proj:ci',
        }).split('.')[1]
        return `${h}.${c}.${s}`
      },
      /^invalid session: token signature is invalid: signature is invalid$/,
    ],
    [
      'wrong issuer',
      () => forgedJwt({ iss: 'https://dex.example.test', sub: 'ci-bot:apiKey', iat: 1 }),
      /^invalid session: SSO is not configured$/,
    ],
    [
      'alg none',
      () => {
        const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
        return `${part({ alg: 'none' })}.${part({ iss: 'argocd', sub: 'admin:login', iat: 1 })}.`
      },
      /^invalid session: token is unverifiable: .*unexpected signing method: none$/,
    ],
  ]

  it.each(bad)(
    '%s: 401 from can-i and applications with the grpc-gateway body; userinfo says not logged in',
    async (_name, make, message) => {
      const token = make()
      for (const path of [
        '/api/v1/account/can-i/applications/get/my-proj%2Fweb',
        '/api/v1/applications/web',
        '/api/v1/applications',
      ]) {
        const res = await argoGet(argo.url, path, token)
        expect(res.status).toBe(401)
        expect(res.contentType).toBe('application/json')
        expect(Object.keys(res.json).sort()).toEqual(['code', 'error', 'message'])
        expect(res.json.code).toBe(16)
        expect(res.json.message).toMatch(message)
        expect(res.json.error).toBe(res.json.message)
      }
      // session.Server.AuthFuncOverride ignores the error: an empty GetUserInfoResponse.
      expect(await argoGet(argo.url, '/api/v1/session/userinfo', token)).toMatchObject({
        status: 200,
        json: {},
      })
      expect(argo.requests.every((r) => !r.authorized)).toBe(true)
    },
  )

  it('no token (or not a JWT): 401 "no session information"', async () => {
    for (const token of [undefined, 'not-a-jwt', '']) {
      const res = await argoGet(argo.url, '/api/v1/applications/web', token)
      expect(res.status).toBe(401)
      expect(res.json).toEqual({
        error: 'no session information',
        code: 16,
        message: 'no session information',
      })
    }
  })

  it('accounts: disabled, or without the apiKey capability; unknown roles', async () => {
    expect(() => argo.accountToken('human')).toThrow(/does not have 'apiKey' capability/)
    expect(() => argo.accountToken('nobody')).toThrow(/does not exist/)
    expect(() => argo.projectToken('my-proj', 'nobody')).toThrow(/has no role nobody/)
    const t = argo.accountToken('deployer')
    argo.addAccount('deployer', { enabled: false })
    const res = await argoGet(argo.url, '/api/v1/applications', t)
    expect(res.status).toBe(401)
    expect(res.json.message).toBe('invalid session: account deployer is disabled')
    argo.addAccount('deployer')
    expect((await argoGet(argo.url, '/api/v1/applications', t)).status).toBe(200)
  })

  it('revokeToken refuses what the sandbox never issued', () => {
    expect(() =>
      argo.revokeToken(forgedJwt({ iss: 'argocd', sub: 'ci-bot:apiKey', jti: 'x' })),
    ).toThrow(/no such token/)
  })
})

describe('RBAC (casbin, Argo CD model)', () => {
  it('project role: its policies on its own project, deny wins, projects get is implied', async () => {
    const t = argo.projectToken('my-proj', 'ci')
    expect(await canI(argo.url, t, 'applications', 'get', 'my-proj/web')).toBe('yes')
    expect(await canI(argo.url, t, 'applications', 'sync', 'my-proj/nonprod.web')).toBe('yes')
    expect(await canI(argo.url, t, 'applications', 'sync', 'my-proj/nonprod.secret')).toBe('no')
    expect(await canI(argo.url, t, 'applications', 'sync', 'my-proj/prod.web')).toBe('no')
    expect(await canI(argo.url, t, 'applications', 'delete', 'my-proj/nonprod.web')).toBe('no')
    expect(await canI(argo.url, t, 'projects', 'get', 'my-proj')).toBe('yes')
    expect(await canI(argo.url, t, 'projects', 'update', 'my-proj')).toBe('no')
    expect(await canI(argo.url, t, 'clusters', 'get', '*')).toBe('no')
  })

  it('a project token is never granted another project’s objects, even by policy.csv', async () => {
    argo.setPolicy('p, proj:my-proj:ci, applications, get, other-proj/*, allow')
    const t = argo.projectToken('my-proj', 'ci')
    expect(await canI(argo.url, t, 'applications', 'get', 'other-proj/web')).toBe('no')
    expect(await canI(argo.url, t, 'projects', 'get', 'other-proj')).toBe('no')
    expect(
      await canI(
        argo.url,
        argo.projectToken('other-proj', 'ci'),
        'applications',
        'delete',
        'other-proj/x',
      ),
    ).toBe('yes')
  })

  it('refuses role policies outside the project, as Argo CD validates them', () => {
    expect(() =>
      argo.addProject('bad-proj', {
        roles: [
          { name: 'ci', policies: ['p, proj:bad-proj:ci, applications, get, my-proj/*, allow'] },
        ],
      }),
    ).toThrow(/object must be of form 'bad-proj\/\*'/)
    expect(() =>
      argo.addProject('bad-proj', {
        roles: [
          { name: 'ci', policies: ['p, proj:bad-proj:ci, projects, update, bad-proj, allow'] },
        ],
      }),
    ).toThrow(/project resource must be/)
    expect(() =>
      argo.addProject('bad-proj', {
        roles: [
          { name: 'ci', policies: ['p, proj:my-proj:ci, applications, get, bad-proj/*, allow'] },
        ],
      }),
    ).toThrow(/policy subject must be: 'proj:bad-proj:ci'/)
  })

  it('built-in roles through g lines: role:readonly gets everything, role:admin does everything', async () => {
    argo.setPolicy('g, auditor, role:readonly\ng, ci-bot, role:admin')
    const ro = argo.accountToken('auditor')
    const admin = argo.accountToken('ci-bot')
    expect(await canI(argo.url, ro, 'applications', 'get', 'any-proj/any-app')).toBe('yes')
    expect(await canI(argo.url, ro, 'clusters', 'get', 'https://kubernetes.default.svc')).toBe(
      'yes',
    )
    expect(await canI(argo.url, ro, 'applications', 'sync', 'my-proj/web')).toBe('no')
    expect(await canI(argo.url, ro, 'projects', 'delete', 'my-proj')).toBe('no')
    expect(await canI(argo.url, admin, 'projects', 'delete', 'my-proj')).toBe('yes')
    expect(await canI(argo.url, admin, 'exec', 'create', 'my-proj/web')).toBe('yes')
    expect(await canI(argo.url, admin, 'applications', 'get', 'my-proj/web')).toBe('yes') // inherited
    expect(await canI(argo.url, admin, 'extensions', 'invoke', 'metrics')).toBe('no')
  })

  it('custom roles and groups of roles; deny wins over an inherited allow', async () => {
    argo.setPolicy(
      [
        'p, role:deployers, applications, sync, */*, allow',
        'p, role:deployers, applications, get, */*, allow',
        'g, role:ci, role:deployers',
        'g, deployer, role:ci',
        'p, deployer, applications, sync, prod/*, deny',
        '# a comment',
        '',
      ].join('\n'),
    )
    const t = argo.accountToken('deployer')
    expect(await canI(argo.url, t, 'applications', 'sync', 'my-proj/web')).toBe('yes')
    expect(await canI(argo.url, t, 'applications', 'sync', 'prod/web')).toBe('no')
    expect(await canI(argo.url, t, 'applications', 'get', 'prod/web')).toBe('yes')
    expect(
      await canI(argo.url, argo.accountToken('auditor'), 'applications', 'get', 'prod/web'),
    ).toBe('no')
  })

  it('policy.default applies to every caller, project tokens included', async () => {
    const acct = argo.accountToken('auditor')
    const proj = argo.projectToken('my-proj', 'viewer')
    expect(await canI(argo.url, acct, 'clusters', 'get', 'x')).toBe('no')
    argo.setPolicy('', 'role:readonly')
    expect(await canI(argo.url, acct, 'clusters', 'get', 'x')).toBe('yes')
    expect(await canI(argo.url, acct, 'applications', 'get', 'my-proj/db')).toBe('yes')
    expect(await canI(argo.url, proj, 'applications', 'get', 'my-proj/db')).toBe('yes')
    expect(await canI(argo.url, proj, 'applications', 'sync', 'my-proj/db')).toBe('no')
  })

  it('groups claim: g lines for groups, and project roles bound to groups', async () => {
    argo.addProject('grouped', {
      roles: [
        {
          name: 'deployers',
          policies: ['p, proj:grouped:deployers, applications, sync, grouped/*, allow'],
          groups: ['ci-team'],
        },
      ],
    })
    argo.setPolicy('g, auditors, role:readonly')
    const member = argo.accountToken('auditor', { groups: ['ci-team', 'auditors'] })
    const outsider = argo.accountToken('auditor', { groups: ['someone-else'] })
    expect(claimsOf(member)['groups']).toEqual(['ci-team', 'auditors'])
    expect(await userinfo(member)).toEqual({
      loggedIn: true,
      username: 'auditor',
      iss: 'argocd',
      groups: ['ci-team', 'auditors'],
    })
    expect(await canI(argo.url, member, 'applications', 'sync', 'grouped/web')).toBe('yes')
    expect(await canI(argo.url, member, 'clusters', 'get', 'x')).toBe('yes')
    expect(await canI(argo.url, member, 'applications', 'sync', 'my-proj/web')).toBe('no')
    expect(await canI(argo.url, outsider, 'applications', 'sync', 'grouped/web')).toBe('no')
    expect(await canI(argo.url, outsider, 'clusters', 'get', 'x')).toBe('no')
  })

  it('glob objects: *, ?, {a,b} and [..] as gobwas/glob matches them (no separators)', async () => {
    argo.setPolicy(
      [
        // A comma inside a glob needs CSV quotes, as in Argo CD's policy.csv.
        'p, auditor, applications, get, "team-?/{web,api}-[0-9]*", allow',
        'p, auditor, repositories, get, https://github.com/acme/*, allow',
      ].join('\n'),
    )
    const t = argo.accountToken('auditor')
    expect(await canI(argo.url, t, 'applications', 'get', 'team-a/web-1')).toBe('yes')
    expect(await canI(argo.url, t, 'applications', 'get', 'team-a/api-2/x')).toBe('yes')
    expect(await canI(argo.url, t, 'applications', 'get', 'team-ab/web-1')).toBe('no')
    expect(await canI(argo.url, t, 'applications', 'get', 'team-a/db-1')).toBe('no')
    expect(
      await canI(argo.url, t, 'repositories', 'get', 'https://github.com/acme/deploy.git'),
    ).toBe('yes')
  })

  it('can-i decodes the object, refuses unknown actions and resources with InvalidArgument', async () => {
    const t = argo.projectToken('my-proj', 'ci')
    const path = (res: string, act: string, obj: string) =>
      `/api/v1/account/can-i/${res}/${act}/${obj}`
    expect((await argoGet(argo.url, path('applications', 'get', 'my-proj%2Fweb'), t)).json).toEqual(
      { value: 'yes' },
    )
    // project/<control-plane namespace>/app is project/app.
    expect(
      (await argoGet(argo.url, path('applications', 'get', 'my-proj%2Fargocd%2Fweb'), t)).json,
    ).toEqual({
      value: 'yes',
    })
    const badAction = await argoGet(argo.url, path('applications', 'fly', 'x'), t)
    expect(badAction.status).toBe(400)
    expect(badAction.json).toMatchObject({
      code: 3,
      message: expect.stringMatching(/does not contain fly$/),
    })
    const badResource = await argoGet(argo.url, path('pods', 'get', 'x'), t)
    expect(badResource.status).toBe(400)
    expect(badResource.json.message).toMatch(
      /^\[clusters projects applications .*\] does not contain pods$/,
    )
    expect(argo.requests[0]).toEqual({
      method: 'GET',
      path: '/api/v1/account/can-i/applications/get/my-proj%2Fweb',
      query: '',
      authorized: true,
    })
    expect(JSON.stringify(argo.requests)).not.toContain(t)
  })
})

describe('other paths', () => {
  it('unknown API paths are 404 Not Found; anything else is the UI', async () => {
    const t = argo.accountToken('ci-bot')
    const api = await argoGet(argo.url, '/api/v1/clusters', t)
    expect(api).toMatchObject({
      status: 404,
      json: { error: 'Not Found', code: 5, message: 'Not Found' },
    })
    const ui = await argoGet(argo.url, '/applications', t)
    expect(ui.status).toBe(200)
    expect(ui.contentType).toMatch(/^text\/html/)
    expect(ui.json).toContain('<title>Argo CD</title>')
  })
})

describe('hostile paths and setup mistakes', () => {
  it('broken %-escapes are a 400, never a 500; a refresh of an unknown app changes nothing', async () => {
    const t = argo.accountToken('ci-bot')
    for (const path of [
      '/api/v1/applications/%E0%A4%A',
      '/api/v1/account/can-i/applications/get/%ZZ',
    ]) {
      const res = await argoGet(argo.url, path, t)
      expect(res.status).toBe(400)
      expect(res.json.code).toBe(3)
    }
  })

  it('watchDeployRepo needs the GitHub double, and a git-backed repo with the branch', async () => {
    expect(() => argo.watchDeployRepo('acme/x', { project: 'my-proj' })).toThrow(
      /start the Argo CD sandbox with \{ github \}/,
    )
    const { startGitHubSandbox } = await import('../src/index.js')
    const gh = await startGitHubSandbox()
    const withGh = await startArgoCdSandbox({ github: gh })
    try {
      gh.addOrg('acme')
      gh.addRepo('acme/model-only')
      gh.addRepo('acme/git', { git: true, files: { 'README.md': 'x\n' } })
      expect(() => withGh.watchDeployRepo('acme/model-only', { project: 'p' })).toThrow(
        /not git-backed/,
      )
      expect(() => withGh.watchDeployRepo('acme/git', { project: 'p', branch: 'release' })).toThrow(
        /has no branch release/,
      )
      expect(() => withGh.setPolicy('p, a, b')).toThrow(/invalid RBAC policy: p, a, b/)
    } finally {
      await withGh.stop()
      await gh.stop()
    }
  })
})
