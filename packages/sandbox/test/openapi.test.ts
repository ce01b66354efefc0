// The double's bodies must be what GitHub's own OpenAPI description says GitHub returns.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { ValidateFunction } from 'ajv'
import { startGitHubSandbox, type GitHubSandbox } from '../src/index.js'
import { describeErrors, loadOpenApi, toJsonSchema, type OpenApi } from './helpers/openapi.js'

let sb: GitHubSandbox
let openapi: OpenApi
let sha: string
let parentSha: string
let classic: string
let app: string
// Error shapes the description shares across operations ("Basic Error", "Validation Error").
let basicError: ValidateFunction
let validationError: ValidateFunction

beforeAll(async () => {
  openapi = loadOpenApi()
  basicError = openapi.validator('GET', '/user', 401)
  validationError = openapi.validator('GET', '/repos/{owner}/{repo}/commits/{ref}', 422)
  sb = await startGitHubSandbox()
  sb.addOrg('acme', { forbidsClassicPats: false, members: ['octocat'], publicMembers: ['alice'] })
  sb.addRepo('acme/app')
  sb.addRepo('acme/empty')
  sb.addRepo('octocat/hello', { private: false })
  parentSha = sb.addCommit('acme/app', { message: 'init' })
  sha = sb.addCommit('acme/app', { message: 'release 1.2.3' })
  sb.addCommit('octocat/hello')
  sb.addStatus('acme/app', sha, { state: 'pending', context: 'ci' })
  sb.addStatus('acme/app', sha, {
    state: 'success',
    context: 'ci',
    description: 'ok',
    target_url: 'https://ci.example/1',
  })
  sb.addHook('acme/app', { url: 'https://argocd.example/api/webhook', secret: 's' })
  classic = sb.addToken({
    kind: 'classic',
    scopes: ['repo', 'admin:repo_hook', 'read:org'],
    expiresAt: new Date(Date.now() + 86_400_000),
  })
  app = sb.addToken({
    kind: 'installation',
    repositories: ['acme/app'],
    permissions: { statuses: 'write', members: 'read' },
  })
}, 60_000)

afterAll(async () => {
  await sb?.stop()
})

async function call(
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(sb.url + path, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, json: await res.json() }
}

function expectValid(v: ValidateFunction, body: unknown): void {
  const ok = v(body)
  if (!ok)
    throw new Error(
      `body does not match the OpenAPI schema:\n${describeErrors(v)}\n${JSON.stringify(body)}`,
    )
}

describe('the validator itself', () => {
  it('turns nullable into a type union and rejects a broken body', () => {
    expect(toJsonSchema({ type: 'string', nullable: true, example: 'x' })).toEqual({
      type: ['string', 'null'],
    })
    expect(toJsonSchema({ nullable: true, oneOf: [{ type: 'integer' }] })).toEqual({
      anyOf: [{ type: 'null' }, { oneOf: [{ type: 'integer' }] }],
    })
    const v = openapi.validator('POST', '/repos/{owner}/{repo}/statuses/{sha}', 201)
    expect(v({ url: 'u' })).toBe(false) // most required fields missing
  })

  it('rejects a real sandbox body once it is broken', async () => {
    const { json } = await call('GET', `/repos/acme/app/commits/${sha}`, classic)
    const v = openapi.validator('GET', '/repos/{owner}/{repo}/commits/{ref}', 200)
    expectValid(v, json)
    const broken = { ...(json as Record<string, unknown>) }
    delete broken['sha']
    expect(v(broken)).toBe(false)
    expect(v({ ...(json as Record<string, unknown>), parents: 'none' })).toBe(false)

    const list = await call('GET', `/repos/acme/app/commits/${sha}/statuses`, classic)
    const lv = openapi.validator('GET', '/repos/{owner}/{repo}/commits/{ref}/statuses', 200)
    expectValid(lv, list.json)
    const items = list.json as Array<Record<string, unknown>>
    expect(items.length).toBeGreaterThan(0)
    expect(lv(items.map((s) => ({ ...s, id: String(s['id']) })))).toBe(false)
    expect(lv(items.map((s) => ({ ...s, description: undefined })))).toBe(false)
  })
})

describe('success bodies', () => {
  const cases: Array<[string, string, () => string, () => string | undefined, number, unknown?]> = [
    ['GET', '/', () => '/', () => undefined, 200],
    ['GET', '/user', () => '/user', () => classic, 200],
    ['GET', '/repos/{owner}/{repo}', () => '/repos/acme/app', () => classic, 200],
    ['GET', '/repos/{owner}/{repo}', () => '/repos/octocat/hello', () => undefined, 200],
    ['GET', '/repos/{owner}/{repo}', () => '/repos/acme/app', () => app, 200],
    [
      'GET',
      '/repos/{owner}/{repo}/commits/{ref}',
      () => `/repos/acme/app/commits/${sha}`,
      () => classic,
      200,
    ],
    [
      'GET',
      '/repos/{owner}/{repo}/commits/{ref}',
      () => `/repos/acme/app/commits/${parentSha}`,
      () => classic,
      200,
    ],
    [
      'GET',
      '/repos/{owner}/{repo}/commits/{ref}/statuses',
      () => `/repos/acme/app/commits/main/statuses`,
      () => classic,
      200,
    ],
    [
      'GET',
      '/repos/{owner}/{repo}/commits/{ref}/status',
      () => `/repos/acme/app/commits/main/status`,
      () => classic,
      200,
    ],
    [
      'GET',
      '/repos/{owner}/{repo}/commits/{ref}/status',
      () => `/repos/acme/empty/commits/${'0'.repeat(40)}/status`,
      () => classic,
      404,
    ],
    ['GET', '/user/repos', () => '/user/repos', () => classic, 200],
    ['GET', '/installation/repositories', () => '/installation/repositories', () => app, 200],
    ['GET', '/repos/{owner}/{repo}/hooks', () => '/repos/acme/app/hooks', () => classic, 200],
    [
      'GET',
      '/repos/{owner}/{repo}/contents/{path}',
      () => '/repos/acme/app/contents/',
      () => classic,
      200,
    ],
    [
      'GET',
      '/repos/{owner}/{repo}/contents/{path}',
      () => '/repos/acme/app/contents/README.md',
      () => classic,
      200,
    ],
    ['GET', '/repos/{owner}/{repo}/keys', () => '/repos/acme/app/keys', () => classic, 200],
    ['GET', '/orgs/{org}/members', () => '/orgs/acme/members', () => classic, 200],
    ['GET', '/orgs/{org}/members', () => '/orgs/acme/members', () => undefined, 200],
  ]
  it.each(cases)('%s %s (%#)', async (method, template, path, token, status) => {
    const res = await call(method, path(), token())
    expect(res.status).toBe(status)
    expectValid(openapi.validator(method, template, status), res.json)
  })

  it('POST /repos/{owner}/{repo}/statuses/{sha} 201, by a user and by an app', async () => {
    const v = openapi.validator('POST', '/repos/{owner}/{repo}/statuses/{sha}', 201)
    for (const token of [classic, app]) {
      const res = await call('POST', `/repos/acme/app/statuses/${sha}`, token, {
        state: 'success',
        context: 'argocd',
        description: 'Synced',
        target_url: 'https://argocd.example/applications/app',
      })
      expect(res.status).toBe(201)
      expectValid(v, res.json)
    }
  })
})

describe('created bodies of the probed write endpoints', () => {
  it('POST hooks, keys and git/refs 201', async () => {
    const hook = await call('POST', '/repos/acme/app/hooks', classic, {
      config: { url: 'https://ci.example/hook', content_type: 'json', secret: 'x' },
      events: ['push'],
    })
    expect(hook.status).toBe(201)
    expectValid(openapi.validator('POST', '/repos/{owner}/{repo}/hooks', 201), hook.json)
    // A real ed25519 public key, in OpenSSH form.
    const key = await call('POST', '/repos/acme/app/keys', classic, {
      title: 'ci',
      key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
    })
    expect(key.status).toBe(201)
    expectValid(openapi.validator('POST', '/repos/{owner}/{repo}/keys', 201), key.json)
    const ref = await call('POST', '/repos/acme/app/git/refs', classic, {
      ref: 'refs/heads/openapi',
      sha,
    })
    expect(ref.status).toBe(201)
    expectValid(openapi.validator('POST', '/repos/{owner}/{repo}/git/refs', 201), ref.json)
  })
})

describe('error bodies', () => {
  it('uses the operation-defined schemas where the description has them', async () => {
    const cases: Array<[string, string, string, string | undefined, number]> = [
      ['GET', '/user', '/user', 'ghp_unknownunknownunknownunknownunknown1', 401],
      ['GET', '/user', '/user', app, 403],
      ['GET', '/repos/{owner}/{repo}', '/repos/acme/missing', classic, 404],
      ['GET', '/repos/{owner}/{repo}/commits/{ref}', '/repos/acme/app/commits/nope', classic, 422],
      [
        'GET',
        '/repos/{owner}/{repo}/commits/{ref}',
        '/repos/acme/missing/commits/main',
        classic,
        404,
      ],
      [
        'GET',
        '/repos/{owner}/{repo}/commits/{ref}',
        '/repos/acme/empty/commits/main',
        classic,
        409,
      ],
      ['GET', '/user/repos', '/user/repos', app, 403],
      ['GET', '/installation/repositories', '/installation/repositories', classic, 403],
      ['GET', '/repos/{owner}/{repo}/hooks', '/repos/acme/missing/hooks', classic, 404],
      ['GET', '/repos/{owner}/{repo}/contents/{path}', '/repos/acme/empty/contents/', classic, 404],
      ['GET', '/repos/{owner}/{repo}/contents/{path}', '/repos/acme/app/contents/x', app, 403],
      ['POST', '/repos/{owner}/{repo}/hooks', '/repos/acme/app/hooks', classic, 422],
      ['POST', '/repos/{owner}/{repo}/hooks', '/repos/acme/app/hooks', app, 403],
      ['POST', '/repos/{owner}/{repo}/keys', '/repos/acme/app/keys', classic, 422],
      ['POST', '/repos/{owner}/{repo}/git/refs', '/repos/acme/app/git/refs', classic, 422],
      ['POST', '/repos/{owner}/{repo}/git/refs', '/repos/acme/empty/git/refs', classic, 409],
    ]
    const bodies: Record<string, unknown> = {
      '/repos/acme/app/hooks': { config: {} },
      '/repos/acme/app/keys': { key: 'not a key' },
      '/repos/acme/app/git/refs': { ref: 'refs/heads/x', sha: 'f'.repeat(40) },
      '/repos/acme/empty/git/refs': { ref: 'refs/heads/x', sha: 'f'.repeat(40) },
    }
    for (const [method, template, path, token, status] of cases) {
      const res = await call(method, path, token, method === 'POST' ? bodies[path] : undefined)
      expect(res.status).toBe(status)
      expectValid(openapi.validator(method, template, status), res.json)
    }
  })

  it('matches the shared Basic Error / Validation Error shapes elsewhere', async () => {
    const basic = [
      await call('POST', `/repos/acme/app/statuses/${sha}`, undefined, { state: 'success' }), // 404: private, anonymous
      await call('GET', '/repos/acme/app/commits/main/statuses', 'ghp_nope'), // 401
      await call('GET', '/nope', classic), // 404
    ]
    for (const res of basic) expectValid(basicError, res.json)
    const invalid = [
      await call('POST', `/repos/acme/app/statuses/${sha}`, classic, { state: 'done' }),
      await call('POST', `/repos/acme/app/statuses/${sha}`, classic, {
        state: 'error',
        description: 'x'.repeat(141),
      }),
      await call('POST', `/repos/acme/app/statuses/${'f'.repeat(40)}`, classic, { state: 'error' }),
    ]
    for (const res of invalid) {
      expect(res.status).toBe(422)
      expectValid(validationError, res.json)
    }
  })
})

describe('git-backed repositories', () => {
  beforeAll(() => {
    sb.addRepo('acme/gitops', {
      git: true,
      files: { 'plat/apps/web/app/config.yaml': 'name: web.app\n', 'README.md': '# gitops\n' },
    })
    sb.addCommit('acme/gitops', {
      branch: 'deploy/app',
      files: { 'plat/apps/web/app/config.yaml': 'name: web.app\napp_commit: 1\n' },
      message: 'deploy app',
    })
  })

  it('contents read from git: a file, a directory, the root', async () => {
    const v = openapi.validator('GET', '/repos/{owner}/{repo}/contents/{path}', 200)
    for (const path of [
      '/repos/acme/gitops/contents/plat/apps/web/app/config.yaml?ref=deploy/app',
      '/repos/acme/gitops/contents/plat/apps',
      '/repos/acme/gitops/contents/',
    ]) {
      const res = await call('GET', path, classic)
      expect(res.status).toBe(200)
      expectValid(v, res.json)
    }
    const missing = await call('GET', '/repos/acme/gitops/contents/nope', classic)
    expect(missing.status).toBe(404)
    expectValid(
      openapi.validator('GET', '/repos/{owner}/{repo}/contents/{path}', 404),
      missing.json,
    )
  })

  it('pulls: create, get, list, merge', async () => {
    const created = await call('POST', '/repos/acme/gitops/pulls', classic, {
      title: 'Deploy app',
      head: 'acme:deploy/app',
      base: 'main',
    })
    expect(created.status).toBe(201)
    expectValid(openapi.validator('POST', '/repos/{owner}/{repo}/pulls', 201), created.json)
    const n = (created.json as { number: number }).number
    const got = await call('GET', `/repos/acme/gitops/pulls/${n}`, classic)
    expectValid(
      openapi.validator('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', 200),
      got.json,
    )
    const listed = await call('GET', '/repos/acme/gitops/pulls?state=all', classic)
    expectValid(openapi.validator('GET', '/repos/{owner}/{repo}/pulls', 200), listed.json)
    const merged = await call('PUT', `/repos/acme/gitops/pulls/${n}/merge`, classic, {})
    expect(merged.status).toBe(200)
    const v = openapi.validator('PUT', '/repos/{owner}/{repo}/pulls/{pull_number}/merge', 200)
    expectValid(v, merged.json)
    const missing = await call('GET', '/repos/acme/gitops/pulls/99', classic)
    expectValid(
      openapi.validator('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', 404),
      missing.json,
    )
  })
})
