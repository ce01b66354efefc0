// The endpoints a token auditor probes: listings, hooks, contents, deploy keys, refs and org
// members, through each token model, and the order of checks the write probes rely on.
import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Octokit } from '@octokit/core'
import { startGitHubSandbox, type GitHubSandbox, type TokenSpec } from '../src/index.js'
import { call } from './helpers/http.js'

let sb: GitHubSandbox
let sha: string
let publicSha: string
const MISSING = 'f'.repeat(40)
const DAY = 86_400_000
const req = (method: string, path: string, opts?: Parameters<typeof call>[3]) =>
  call(sb.url, method, path, opts)
const fine = (
  permissions: Record<string, 'read' | 'write'>,
  extra: Partial<Extract<TokenSpec, { kind: 'fine-grained' }>> = {},
) =>
  sb.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: ['acme/app'],
    permissions,
    ...extra,
  })
const app = (permissions: Record<string, 'read' | 'write'>) =>
  sb.addToken({ kind: 'installation', owner: 'acme', repositories: ['acme/app'], permissions })
const classic = (scopes: string[], login?: string) =>
  sb.addToken({ kind: 'classic', scopes, ...(login ? { login } : {}) })

/** A real OpenSSH ed25519 public key line. */
function ed25519Key(comment = 'deploy@ci'): string {
  const { publicKey } = generateKeyPairSync('ed25519')
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')
  const str = (b: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(b.length)
    return Buffer.concat([len, b])
  }
  const blob = Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)])
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`
}

beforeAll(async () => {
  sb = await startGitHubSandbox()
  sb.addOrg('acme', { members: ['octocat', 'bob'], publicMembers: ['alice'] })
  sb.addRepo('acme/app', {
    files: { 'README.md': '# app\n', 'manifests/app.yaml': 'kind: Application\n' },
  })
  sb.addRepo('acme/other')
  sb.addRepo('acme/empty')
  sb.addRepo('acme/site', { private: false })
  sb.addRepo('someone/lib', { private: false })
  sha = sb.addCommit('acme/app')
  sb.addCommit('acme/other')
  publicSha = sb.addCommit('acme/site')
  sb.addCommit('someone/lib')
  sb.addHook('acme/app', { url: 'https://argocd.example/api/webhook', contentType: 'json' })
})

afterAll(async () => {
  await sb?.stop()
})

describe('GET /user/repos', () => {
  it('lists every repository for a classic token with repo, sorted by full name, with Link', async () => {
    const t = classic(['repo'])
    const all = await req('GET', '/user/repos', { token: t })
    expect(all.status).toBe(200)
    expect(all.json.map((r: { full_name: string }) => r.full_name)).toEqual([
      'acme/app',
      'acme/empty',
      'acme/other',
      'acme/site',
      'someone/lib',
    ])
    expect(all.headers.get('link')).toBeNull()
    const first = await req('GET', '/user/repos?per_page=2', { token: t })
    expect(first.json).toHaveLength(2)
    expect(first.headers.get('link')).toBe(
      `<${sb.url}/user/repos?per_page=2&page=2>; rel="next", <${sb.url}/user/repos?per_page=2&page=3>; rel="last"`,
    )
    const priv = await req('GET', '/user/repos?visibility=private', { token: t })
    expect(priv.json.every((r: { private: boolean }) => r.private)).toBe(true)
    const both = await req('GET', '/user/repos?type=all&visibility=all', { token: t })
    expect(both.status).toBe(422)
    expect(both.json.message).toBe(
      'If you specify visibility or affiliation, you cannot specify type.',
    )
  })

  it('shows a classic token without repo only the public repositories', async () => {
    const res = await req('GET', '/user/repos', { token: classic(['read:org']) })
    expect(res.json.map((r: { full_name: string }) => r.full_name)).toEqual([
      'acme/site',
      'someone/lib',
    ])
  })

  it('lists what a fine-grained token was granted', async () => {
    const some = await req('GET', '/user/repos', { token: fine({}) })
    expect(some.json.map((r: { full_name: string }) => r.full_name)).toEqual(['acme/app'])
    const all = await req('GET', '/user/repos', { token: fine({}, { repositories: 'all' }) })
    expect(all.json.map((r: { full_name: string }) => r.full_name)).toEqual([
      'acme/app',
      'acme/empty',
      'acme/other',
      'acme/site',
    ])
  })

  it('refuses installation tokens and anonymous callers', async () => {
    const res = await req('GET', '/user/repos', { token: app({ contents: 'read' }) })
    expect(res.status).toBe(403)
    expect(res.json).toEqual({
      message: 'Resource not accessible by integration',
      documentation_url:
        'https://docs.github.com/rest/repos/repos#list-repositories-for-the-authenticated-user',
      status: '403',
    })
    expect((await req('GET', '/user/repos')).status).toBe(401)
  })
})

describe('GET /installation/repositories', () => {
  it('lists the installation repositories with total_count and repository_selection', async () => {
    const res = await req('GET', '/installation/repositories', { token: app({}) })
    expect(res.status).toBe(200)
    expect(res.json.total_count).toBe(1)
    expect(res.json.repository_selection).toBe('selected')
    expect(res.json.repositories[0].full_name).toBe('acme/app')
    const t = sb.addToken({
      kind: 'installation',
      owner: 'acme',
      repositories: 'all',
      permissions: {},
    })
    const page = await req('GET', '/installation/repositories?per_page=1&page=2', { token: t })
    expect(page.json.total_count).toBe(4)
    expect(page.json.repository_selection).toBe('all')
    expect(page.json.repositories).toHaveLength(1)
    expect(page.headers.get('link')).toContain('rel="prev"')
  })

  it('answers a personal access token with the 403 GitHub gives', async () => {
    for (const token of [classic(['repo']), fine({})]) {
      const res = await req('GET', '/installation/repositories', { token })
      expect(res.status).toBe(403)
      expect(res.json.message).toBe(
        'You must authenticate with an installation access token in order to list repositories for an installation.',
      )
    }
  })
})

describe('repository webhooks', () => {
  it('lists hooks with repository_hooks=read and names the permission when it is missing', async () => {
    const ok = await req('GET', '/repos/acme/app/hooks', {
      token: fine({ repository_hooks: 'read' }),
    })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('x-accepted-github-permissions')).toBe('repository_hooks=read')
    expect(ok.json).toHaveLength(1)
    expect(ok.json[0]).toMatchObject({
      type: 'Repository',
      name: 'web',
      events: ['push'],
      config: {
        url: 'https://argocd.example/api/webhook',
        content_type: 'json',
        insecure_ssl: '0',
      },
    })
    const denied = await req('GET', '/repos/acme/app/hooks', { token: fine({ contents: 'write' }) })
    expect(denied.status).toBe(403)
    expect(denied.json.message).toBe('Resource not accessible by personal access token')
    expect(denied.headers.get('x-accepted-github-permissions')).toBe('repository_hooks=read')
    const unselected = await req('GET', '/repos/acme/other/hooks', {
      token: fine({ repository_hooks: 'write' }),
    })
    expect(unselected.status).toBe(404)
    // Hooks of a public repo are not public.
    const pub = await req('GET', '/repos/someone/lib/hooks', {
      token: fine({ repository_hooks: 'write' }, { repositories: 'all' }),
    })
    expect(pub.status).toBe(403)
  })

  it('accepts any hook scope (or repo) from classic tokens and hides the repo from others', async () => {
    for (const scopes of [['read:repo_hook'], ['write:repo_hook'], ['admin:repo_hook'], ['repo']]) {
      const res = await req('GET', '/repos/acme/app/hooks', { token: classic(scopes) })
      expect(res.status).toBe(200)
      expect(res.headers.get('x-accepted-oauth-scopes')).toBe(
        'admin:repo_hook, read:repo_hook, repo, write:repo_hook',
      )
    }
    expect(
      (await req('GET', '/repos/acme/app/hooks', { token: classic(['repo:status']) })).status,
    ).toBe(404)
  })

  it('creates a hook only with write access, and rejects a body without config.url with 422', async () => {
    const writer = fine({ repository_hooks: 'write' })
    const invalid = await req('POST', '/repos/acme/app/hooks', {
      token: writer,
      body: { config: {} },
    })
    expect(invalid.status).toBe(422)
    expect(invalid.json).toEqual({
      message: 'Validation Failed',
      errors: [
        { resource: 'Hook', code: 'custom', message: 'Config must contain URL for webhooks' },
      ],
      documentation_url: 'https://docs.github.com/rest/repos/webhooks#create-a-repository-webhook',
      status: '422',
    })
    expect(sb.hooks('acme/app')).toHaveLength(1)

    const created = await req('POST', '/repos/acme/app/hooks', {
      token: writer,
      body: {
        config: { url: 'https://ci.example/hook', content_type: 'json', secret: 's3cr3t' },
        events: ['push', 'pull_request'],
      },
    })
    expect(created.status).toBe(201)
    expect(created.json.config).toEqual({
      url: 'https://ci.example/hook',
      content_type: 'json',
      insecure_ssl: '0',
      secret: '********',
    })
    expect(created.headers.get('location')).toBe(created.json.url)
    expect(sb.hooks('acme/app').map((h) => h.config.url)).toContain('https://ci.example/hook')
    const again = await req('POST', '/repos/acme/app/hooks', {
      token: writer,
      body: { config: { url: 'https://ci.example/hook' } },
    })
    expect(again.json.errors[0].message).toBe('Hook already exists on this repository')

    const reader = await req('POST', '/repos/acme/app/hooks', {
      token: fine({ repository_hooks: 'read' }),
      body: {},
    })
    expect(reader.status).toBe(403)
    expect(reader.headers.get('x-accepted-github-permissions')).toBe('repository_hooks=write')
    expect(
      (await req('POST', '/repos/acme/app/hooks', { token: classic(['read:repo_hook']), body: {} }))
        .status,
    ).toBe(404)
    const classicWriter = await req('POST', '/repos/acme/app/hooks', {
      token: classic(['write:repo_hook']),
      body: {},
    })
    expect(classicWriter.status).toBe(422)
    expect(classicWriter.headers.get('x-accepted-oauth-scopes')).toBe(
      'admin:repo_hook, repo, write:repo_hook',
    )
  })
})

describe('repository contents', () => {
  it('lists the root of the default branch at /contents, /contents/ and names files by git blob sha', async () => {
    const t = fine({ contents: 'read' })
    for (const path of ['/repos/acme/app/contents', '/repos/acme/app/contents/']) {
      const res = await req('GET', path, { token: t })
      expect(res.status).toBe(200)
      expect(res.headers.get('x-accepted-github-permissions')).toBe('contents=read')
      expect(res.json.map((e: { name: string; type: string }) => [e.name, e.type])).toEqual([
        ['README.md', 'file'],
        ['manifests', 'dir'],
      ])
      // git hash-object of "# app\n"
      expect(res.json[0].sha).toBe('e2bd1550b11947a1bcbec6a139dc428f93a47d33')
      expect(res.json[0]).toMatchObject({
        path: 'README.md',
        size: 6,
        url: `${sb.url}/repos/acme/app/contents/README.md?ref=main`,
        download_url: 'https://raw.githubusercontent.com/acme/app/main/README.md',
      })
      expect(res.json[1].download_url).toBeNull()
    }
    const file = await req('GET', '/repos/acme/app/contents/manifests/app.yaml', { token: t })
    expect(file.status).toBe(200)
    expect(file.json.encoding).toBe('base64')
    expect(Buffer.from(file.json.content, 'base64').toString()).toBe('kind: Application\n')
    const dir = await req('GET', '/repos/acme/app/contents/manifests', { token: t })
    expect(dir.json.map((e: { path: string }) => e.path)).toEqual(['manifests/app.yaml'])
    expect((await req('GET', '/repos/acme/app/contents/nope.txt', { token: t })).status).toBe(404)
    const badRef = await req('GET', '/repos/acme/app/contents/?ref=nope', { token: t })
    expect(badRef.status).toBe(404)
    expect(badRef.json.message).toBe('No commit found for the ref nope')
  })

  it('answers an empty repository with 404 "This repository is empty."', async () => {
    const res = await req('GET', '/repos/acme/empty/contents/', {
      token: fine({ contents: 'read' }, { repositories: ['acme/empty'] }),
    })
    expect(res.status).toBe(404)
    expect(res.json).toEqual({
      message: 'This repository is empty.',
      documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content',
      status: '404',
    })
  })

  it('needs contents=read (fine-grained, app) or repo (classic, private repos)', async () => {
    const denied = await req('GET', '/repos/acme/app/contents/', {
      token: fine({ statuses: 'write' }),
    })
    expect(denied.status).toBe(403)
    expect(denied.headers.get('x-accepted-github-permissions')).toBe('contents=read')
    expect((await req('GET', '/repos/acme/app/contents/', { token: app({}) })).status).toBe(403)
    expect((await req('GET', '/repos/acme/app/contents/', { token: classic([]) })).status).toBe(404)
    expect((await req('GET', '/repos/acme/site/contents/', { token: classic([]) })).status).toBe(
      200,
    )
  })
})

describe('deploy keys', () => {
  it('lists keys with administration=read', async () => {
    const ok = await req('GET', '/repos/acme/app/keys', { token: fine({ administration: 'read' }) })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('x-accepted-github-permissions')).toBe('administration=read')
    const denied = await req('GET', '/repos/acme/app/keys', { token: fine({ contents: 'write' }) })
    expect(denied.status).toBe(403)
    expect(denied.headers.get('x-accepted-github-permissions')).toBe('administration=read')
    expect((await req('GET', '/repos/acme/app/keys', { token: classic(['repo']) })).status).toBe(
      200,
    )
  })

  it("rejects an invalid key with GitHub's messages and stores a valid one", async () => {
    const admin = fine({ administration: 'write' })
    const invalid = await req('POST', '/repos/acme/app/keys', {
      token: admin,
      body: { title: 'probe', key: 'not a key' },
    })
    expect(invalid.status).toBe(422)
    expect(invalid.json).toEqual({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'PublicKey',
          code: 'custom',
          field: 'key',
          message: 'key is invalid. You must supply a key in OpenSSH public key format',
        },
      ],
      documentation_url: 'https://docs.github.com/rest/deploy-keys/deploy-keys#create-a-deploy-key',
      status: '422',
    })
    const dssBlob = Buffer.concat([
      Buffer.from([0, 0, 0, 7]),
      Buffer.from('ssh-dss'),
      Buffer.alloc(8),
    ])
    const dss = await req('POST', '/repos/acme/app/keys', {
      token: admin,
      body: { key: `ssh-dss ${dssBlob.toString('base64')}` },
    })
    expect(dss.json.errors[0].message).toMatch(/^key is invalid\. It must begin with 'ssh-rsa', /)

    const key = ed25519Key()
    const created = await req('POST', '/repos/acme/app/keys', {
      token: admin,
      body: { key, read_only: true },
    })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({
      key: key.split(' ').slice(0, 2).join(' '),
      title: 'deploy@ci',
      read_only: true,
      verified: true,
      added_by: 'octocat',
    })
    expect(sb.deployKeys('acme/app')).toHaveLength(1)
    const dup = await req('POST', '/repos/acme/app/keys', { token: admin, body: { key } })
    expect(dup.json.errors[0].message).toBe('key is already in use')
  })
})

describe('POST /repos/{owner}/{repo}/git/refs', () => {
  it('answers an unknown sha with 422 "Object does not exist" and creates a ref for a known one', async () => {
    const writer = fine({ contents: 'write' })
    const before = sb.refs('acme/app')
    const missing = await req('POST', '/repos/acme/app/git/refs', {
      token: writer,
      body: { ref: 'refs/heads/probe', sha: MISSING },
    })
    expect(missing.status).toBe(422)
    expect(missing.json).toEqual({
      message: 'Object does not exist',
      documentation_url: 'https://docs.github.com/rest/git/refs#create-a-reference',
      status: '422',
    })
    expect(sb.refs('acme/app')).toEqual(before)

    const created = await req('POST', '/repos/acme/app/git/refs', {
      token: writer,
      body: { ref: 'refs/heads/release', sha },
    })
    expect(created.status).toBe(201)
    expect(created.json).toEqual({
      ref: 'refs/heads/release',
      node_id: expect.any(String),
      url: `${sb.url}/repos/acme/app/git/refs/heads/release`,
      object: { sha, type: 'commit', url: `${sb.url}/repos/acme/app/git/commits/${sha}` },
    })
    expect(sb.refs('acme/app')).toEqual({ ...before, 'refs/heads/release': sha })
    const exists = await req('POST', '/repos/acme/app/git/refs', {
      token: writer,
      body: { ref: 'refs/heads/release', sha },
    })
    expect(exists.json.message).toBe('Reference already exists')
    const short = await req('POST', '/repos/acme/app/git/refs', {
      token: writer,
      body: { ref: 'refs/release', sha },
    })
    expect(short.json.message).toBe(
      'Reference name must contain at least three slash-separated components.',
    )
  })

  it("validates the body's schema and sha format before access, as GitHub does", async () => {
    const none = fine({ statuses: 'write' })
    const noSha = await req('POST', '/repos/acme/app/git/refs', {
      token: none,
      body: { ref: 'refs/heads/x' },
    })
    expect(noSha.status).toBe(422)
    expect(noSha.json.message).toBe('Invalid request.\n\n"sha" wasn\'t supplied.')
    const badSha = await req('POST', '/repos/acme/app/git/refs', {
      token: none,
      body: { ref: 'refs/heads/x', sha: 'abc' },
    })
    expect(badSha.status).toBe(422)
    expect(badSha.json.message).toBe(
      'The sha parameter must be exactly 40 characters and contain only [0-9a-f].',
    )
  })
})

describe('write probes: permission before validation', () => {
  const probes: Array<[string, string, string, () => unknown, string]> = [
    [
      'statuses',
      'POST',
      `/repos/acme/app/statuses/${MISSING}`,
      () => ({ state: 'success' }),
      'statuses',
    ],
    ['hooks', 'POST', '/repos/acme/app/hooks', () => ({ config: {} }), 'repository_hooks'],
    ['keys', 'POST', '/repos/acme/app/keys', () => ({ key: 'x' }), 'administration'],
    [
      'refs',
      'POST',
      '/repos/acme/app/git/refs',
      () => ({ ref: 'refs/heads/probe', sha: MISSING }),
      'contents',
    ],
  ]
  it.each(probes)(
    '%s: 422 with the permission, 403/404 without',
    async (_n, method, path, body, perm) => {
      const granted = await req(method, path, { token: fine({ [perm]: 'write' }), body: body() })
      expect(granted.status).toBe(422)
      const read = await req(method, path, { token: fine({ [perm]: 'read' }), body: body() })
      expect(read.status).toBe(403)
      expect(read.headers.get('x-accepted-github-permissions')).toBe(`${perm}=write`)
      const appDenied = await req(method, path, { token: app({ metadata: 'read' }), body: body() })
      expect(appDenied.status).toBe(403)
      expect(appDenied.json.message).toBe('Resource not accessible by integration')
      expect(
        (await req(method, path, { token: app({ [perm]: 'write' }), body: body() })).status,
      ).toBe(422)
      // Classic tokens without a scope cannot "see" the private repo.
      expect((await req(method, path, { token: classic(['read:org']), body: body() })).status).toBe(
        404,
      )
      expect((await req(method, path, { token: classic(['repo']), body: body() })).status).toBe(422)
    },
  )

  it('statuses on a public repo: public_repo is enough, no scope is 404', async () => {
    const path = `/repos/acme/site/statuses/${MISSING}`
    expect(
      (await req('POST', path, { token: classic(['public_repo']), body: { state: 'success' } }))
        .status,
    ).toBe(422)
    expect(
      (await req('POST', path, { token: classic([]), body: { state: 'success' } })).status,
    ).toBe(404)
    const ok = await req('POST', `/repos/acme/site/statuses/${publicSha}`, {
      token: classic(['public_repo']),
      body: { state: 'success' },
    })
    expect(ok.status).toBe(201)
  })
})

describe('GET /orgs/{org}/members', () => {
  const logins = (json: Array<{ login: string }>) => json.map((u) => u.login)

  it('shows concealed members to members with read:org, the public ones to everyone else', async () => {
    expect(
      logins((await req('GET', '/orgs/acme/members', { token: classic(['read:org']) })).json),
    ).toEqual(['alice', 'bob', 'octocat'])
    expect(
      logins((await req('GET', '/orgs/acme/members', { token: classic(['admin:org']) })).json),
    ).toEqual(['alice', 'bob', 'octocat'])
    const noScope = await req('GET', '/orgs/acme/members', { token: classic(['repo']) })
    expect(noScope.status).toBe(200)
    expect(logins(noScope.json)).toEqual(['alice'])
    const outsider = await req('GET', '/orgs/acme/members', {
      token: classic(['read:org'], 'mallory'),
    })
    expect(logins(outsider.json)).toEqual(['alice'])
    expect(logins((await req('GET', '/orgs/acme/members')).json)).toEqual(['alice'])
  })

  it('needs the fine-grained org permission members=read (else 200 with public members only)', async () => {
    const ok = await req('GET', '/orgs/acme/members', {
      // The resource owner being the org makes the token's user a member.
      token: fine({}, { login: 'argo-bot', orgPermissions: { members: 'read' } }),
    })
    expect(logins(ok.json)).toEqual(['alice', 'bob', 'octocat'])
    expect(ok.headers.get('x-accepted-github-permissions')).toBe('members=read')
    const without = await req('GET', '/orgs/acme/members', { token: fine({ contents: 'write' }) })
    expect(without.status).toBe(200)
    expect(logins(without.json)).toEqual(['alice'])
    expect(without.headers.get('x-accepted-github-permissions')).toBe('members=read')
    // A repository permission of the same name is not the org permission.
    const repoPerm = await req('GET', '/orgs/acme/members', { token: fine({ members: 'read' }) })
    expect(logins(repoPerm.json)).toEqual(['alice'])
    expect(
      logins((await req('GET', '/orgs/acme/members', { token: app({ members: 'read' }) })).json),
    ).toEqual(['alice', 'bob', 'octocat'])
    expect(logins((await req('GET', '/orgs/acme/members', { token: app({}) })).json)).toEqual([
      'alice',
    ])
  })

  it('paginates, 404s for unknown orgs, and applies org policies', async () => {
    const page = await req('GET', '/orgs/acme/members?per_page=1', { token: classic(['read:org']) })
    expect(page.json).toHaveLength(1)
    expect(page.headers.get('link')).toBe(
      `<${sb.url}/orgs/acme/members?per_page=1&page=2>; rel="next", <${sb.url}/orgs/acme/members?per_page=1&page=3>; rel="last"`,
    )
    expect(
      (await req('GET', '/orgs/nobody/members', { token: classic(['read:org']) })).status,
    ).toBe(404)

    sb.addOrg('strict', {
      forbidsClassicPats: true,
      maxFineGrainedLifetimeDays: 30,
      members: ['octocat'],
    })
    const c = await req('GET', '/orgs/strict/members', { token: classic(['read:org']) })
    expect(c.status).toBe(200)
    expect(c.json).toEqual([])
    const long = await req('GET', '/orgs/strict/members', {
      token: fine(
        {},
        {
          owner: 'strict',
          repositories: 'all',
          orgPermissions: { members: 'read' },
          expiresAt: new Date(Date.now() + 60 * DAY),
        },
      ),
    })
    expect(long.status).toBe(403)
    expect(long.json.message).toMatch(
      /^The 'strict' organization forbids access via a fine-grained/,
    )
  })
})

describe('through the real Octokit', () => {
  it('probes with the same statuses, messages and headers', async () => {
    const octokit = new Octokit({
      auth: fine({ repository_hooks: 'read', contents: 'read' }),
      baseUrl: sb.url,
    })
    const hooks = await octokit.request('GET /repos/{owner}/{repo}/hooks', {
      owner: 'acme',
      repo: 'app',
    })
    expect(hooks.data[0]!.config.url).toBe('https://argocd.example/api/webhook')
    const root = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: 'acme',
      repo: 'app',
      path: '',
    })
    expect(Array.isArray(root.data)).toBe(true)
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/hooks', {
        owner: 'acme',
        repo: 'app',
        config: {},
      }),
    ).rejects.toMatchObject({
      status: 403,
      response: { headers: { 'x-accepted-github-permissions': 'repository_hooks=write' } },
    })
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/git/refs', {
        owner: 'acme',
        repo: 'app',
        ref: 'refs/heads/probe',
        sha: MISSING,
      }),
    ).rejects.toMatchObject({ status: 403 })
    await expect(octokit.request('GET /installation/repositories')).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('You must authenticate with an installation access token'),
    })
    const installation = new Octokit({ auth: app({ members: 'read' }), baseUrl: sb.url })
    const repos = await installation.request('GET /installation/repositories')
    expect(repos.data.total_count).toBe(1)
    const members = await installation.request('GET /orgs/{org}/members', { org: 'acme' })
    expect(members.data.map((m) => m.login)).toEqual(['alice', 'bob', 'octocat'])
  })
})
