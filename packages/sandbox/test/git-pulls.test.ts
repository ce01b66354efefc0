// Pull requests on git-backed repositories: the protected-branch path of the release flow. A
// branch is pushed with the real git client, the pull request is opened and merged through REST,
// and bodies are checked against GitHub's OpenAPI description.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { ValidateFunction } from 'ajv'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startGitHubSandbox, type GitHubSandbox } from '../src/index.js'
import { authArgs, gitClient, type GitClient } from './helpers/git.js'
import { call } from './helpers/http.js'
import { describeErrors, loadOpenApi, type OpenApi } from './helpers/openapi.js'

const PROD = 'acme/argocd-deploy-prod'
const CONFIG = 'plat/use2-prod/apps/web/app/config.yaml'
let sb: GitHubSandbox
let client: GitClient
let openapi: OpenApi
let token: string
let work: string

function expectValid(v: ValidateFunction, body: unknown): void {
  if (!v(body)) throw new Error(`body does not match the OpenAPI schema:\n${describeErrors(v)}`)
}

/** Commits `files` on a new branch from origin/main and pushes it. */
async function pushBranch(branch: string, files: Record<string, string>): Promise<string> {
  await client.ok(work, ...authArgs(token), 'fetch', '--quiet', 'origin', 'main')
  await client.ok(work, 'switch', '--quiet', '-C', branch, 'origin/main')
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(work, file)), { recursive: true })
    await writeFile(path.join(work, file), text)
  }
  await client.ok(work, 'add', '-A')
  await client.ok(work, 'commit', '--quiet', '-m', `deploy ${branch}`)
  await client.ok(work, ...authArgs(token), 'push', '--quiet', 'origin', `HEAD:${branch}`)
  return (await client.ok(work, 'rev-parse', 'HEAD')).trim()
}

const api = (method: string, p: string, body?: unknown, t = token) =>
  call(sb.url, method, `/repos/${PROD}${p}`, { token: t, ...(body !== undefined ? { body } : {}) })

beforeAll(async () => {
  openapi = loadOpenApi()
  sb = await startGitHubSandbox()
  sb.addOrg('acme')
  sb.addRepo(PROD, { git: true, files: { [CONFIG]: 'app_commit: 0\n' } })
  sb.protectBranch(PROD, 'main')
  token = sb.addToken({ kind: 'classic', scopes: ['repo'], login: 'release-bot' })
  client = await gitClient()
  work = path.join(client.home, 'work')
  await client.ok(
    client.home,
    ...authArgs(token),
    'clone',
    '--quiet',
    `${sb.url}/${PROD}.git`,
    work,
  )
}, 60_000)

afterAll(async () => {
  await sb?.stop()
  await client?.cleanup()
})

describe('pull requests', () => {
  it('opens, lists, reads and squash-merges into a protected branch', async () => {
    const head = await pushBranch('deploy/web-app-1', { [CONFIG]: 'app_commit: 1\n' })
    const base = sb.refs(PROD)['refs/heads/main']!
    const created = await api('POST', '/pulls', {
      title: 'Deploy web-app 1',
      body: 'Release 1',
      head: 'deploy/web-app-1',
      base: 'main',
    })
    expect(created.status).toBe(201)
    expectValid(openapi.validator('POST', '/repos/{owner}/{repo}/pulls', 201), created.json)
    expect(created.headers.get('location')).toBe(`${sb.url}/repos/${PROD}/pulls/1`)
    expect(created.json).toMatchObject({
      number: 1,
      state: 'open',
      merged: false,
      mergeable: true,
      mergeable_state: 'clean',
      commits: 1,
      changed_files: 1,
      title: 'Deploy web-app 1',
      body: 'Release 1',
      head: { ref: 'deploy/web-app-1', sha: head, label: 'acme:deploy/web-app-1' },
      base: { ref: 'main', sha: base },
      user: { login: 'release-bot' },
    })

    const listed = await api('GET', '/pulls?head=acme:deploy/web-app-1&state=open')
    expect(listed.status).toBe(200)
    expectValid(openapi.validator('GET', '/repos/{owner}/{repo}/pulls', 200), listed.json)
    expect(listed.json.map((p: { number: number }) => p.number)).toEqual([1])
    // GitHub wants "owner:branch": a bare branch name matches nothing.
    expect((await api('GET', '/pulls?head=deploy/web-app-1')).json).toEqual([])

    const got = await api('GET', '/pulls/1')
    expectValid(
      openapi.validator('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', 200),
      got.json,
    )

    const merged = await api('PUT', '/pulls/1/merge', { merge_method: 'squash', sha: head })
    expect(merged.status).toBe(200)
    expectValid(
      openapi.validator('PUT', '/repos/{owner}/{repo}/pulls/{pull_number}/merge', 200),
      merged.json,
    )
    expect(merged.json).toEqual({
      sha: sb.refs(PROD)['refs/heads/main'],
      merged: true,
      message: 'Pull Request successfully merged',
    })
    // The protected branch moved, through the pull request.
    expect(sb.tree(PROD)[CONFIG]).toBe('app_commit: 1\n')
    const commit = await call(sb.url, 'GET', `/repos/${PROD}/commits/main`, { token })
    expect(commit.json.parents.map((p: { sha: string }) => p.sha)).toEqual([base])
    expect(commit.json.commit.message).toBe('Deploy web-app 1 (#1)\n\n* deploy deploy/web-app-1')
    expect(commit.json.commit.committer).toMatchObject({
      name: 'GitHub',
      email: 'noreply@github.com',
    })
    expect(commit.json.author.login).toBe('release-bot')

    const after = await api('GET', '/pulls/1')
    expectValid(
      openapi.validator('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', 200),
      after.json,
    )
    expect(after.json).toMatchObject({
      state: 'closed',
      merged: true,
      merge_commit_sha: merged.json.sha,
      merged_by: { login: 'release-bot' },
    })
    expect((await api('GET', '/pulls?state=closed')).json).toHaveLength(1)
    expect((await api('GET', '/pulls')).json).toEqual([])

    const again = await api('PUT', '/pulls/1/merge', {})
    expect(again.status).toBe(405)
    expect(again.json.message).toBe('Pull Request is not mergeable')
    expectValid(
      openapi.validator('PUT', '/repos/{owner}/{repo}/pulls/{pull_number}/merge', 405),
      again.json,
    )
  })

  it('merge commits and rebases, and refuses stale heads and conflicts', async () => {
    await pushBranch('deploy/merge', { 'merge.txt': 'm\n' })
    const pr = await api('POST', '/pulls', { title: 'M', head: 'acme:deploy/merge', base: 'main' })
    expect(pr.status).toBe(201)
    const stale = await api('PUT', `/pulls/${pr.json.number}/merge`, { sha: 'a'.repeat(40) })
    expect(stale.status).toBe(409)
    expect(stale.json.message).toBe('Head branch was modified. Review and try the merge again.')
    const base = sb.refs(PROD)['refs/heads/main']!
    const merged = await api('PUT', `/pulls/${pr.json.number}/merge`, { merge_method: 'merge' })
    expect(merged.status).toBe(200)
    const commit = await call(sb.url, 'GET', `/repos/${PROD}/commits/${merged.json.sha}`, { token })
    expect(commit.json.parents.map((p: { sha: string }) => p.sha)).toEqual([base, pr.json.head.sha])
    expect(commit.json.commit.message).toBe(
      `Merge pull request #${pr.json.number} from acme/deploy/merge\n\nM`,
    )

    const rebased = await pushBranch('deploy/rebase', { 'rebase.txt': 'r\n' })
    const rb = await api('POST', '/pulls', { title: 'R', head: 'deploy/rebase', base: 'main' })
    const done = await api('PUT', `/pulls/${rb.json.number}/merge`, { merge_method: 'rebase' })
    expect(done.status).toBe(200)
    expect(done.json.sha).not.toBe(rebased) // replayed with GitHub as committer
    expect(sb.tree(PROD)['rebase.txt']).toBe('r\n')

    // Two branches editing the same line: the second cannot merge.
    await pushBranch('deploy/a', { [CONFIG]: 'app_commit: a\n' })
    await pushBranch('deploy/b', { [CONFIG]: 'app_commit: b\n' })
    const a = await api('POST', '/pulls', { title: 'A', head: 'deploy/a', base: 'main' })
    const b = await api('POST', '/pulls', { title: 'B', head: 'deploy/b', base: 'main' })
    expect((await api('PUT', `/pulls/${a.json.number}/merge`, {})).status).toBe(200)
    const conflict = await api('GET', `/pulls/${b.json.number}`)
    expect(conflict.json).toMatchObject({ mergeable: false, mergeable_state: 'dirty' })
    const refused = await api('PUT', `/pulls/${b.json.number}/merge`, {})
    expect(refused.status).toBe(405)
  })

  it('validates like GitHub: missing head/base, no commits, duplicates, permissions', async () => {
    await pushBranch('deploy/dup', { 'dup.txt': 'd\n' })
    const cases: Array<[unknown, unknown[]]> = [
      [
        { title: 'x', head: 'nope', base: 'main' },
        [{ resource: 'PullRequest', field: 'head', code: 'invalid' }],
      ],
      [
        { title: 'x', head: 'deploy/dup', base: 'nope' },
        [{ resource: 'PullRequest', field: 'base', code: 'invalid' }],
      ],
      [
        { title: 'x', head: 'main', base: 'main' },
        [{ resource: 'PullRequest', code: 'custom', message: 'No commits between main and main' }],
      ],
      [
        { head: 'deploy/dup', base: 'main' },
        [{ resource: 'PullRequest', code: 'missing_field', field: 'title' }],
      ],
    ]
    for (const [body, errors] of cases) {
      const res = await api('POST', '/pulls', body)
      expect([res.status, res.json.message, res.json.errors]).toEqual([
        422,
        'Validation Failed',
        errors,
      ])
      expectValid(openapi.validator('POST', '/repos/{owner}/{repo}/pulls', 422), res.json)
    }
    expect(
      (await api('POST', '/pulls', { title: 'd', head: 'deploy/dup', base: 'main' })).status,
    ).toBe(201)
    const dup = await api('POST', '/pulls', { title: 'd', head: 'deploy/dup', base: 'main' })
    expect(dup.json.errors).toEqual([
      {
        resource: 'PullRequest',
        code: 'custom',
        message: 'A pull request already exists for acme:deploy/dup.',
      },
    ])

    // Contents write is not enough to open a pull request with a fine-grained token...
    const contentsOnly = sb.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: [PROD],
      permissions: { contents: 'write' },
    })
    const denied = await api(
      'POST',
      '/pulls',
      { title: 'x', head: 'deploy/dup', base: 'main' },
      contentsOnly,
    )
    expect(denied.status).toBe(403)
    expect(denied.json.message).toBe('Resource not accessible by personal access token')
    expectValid(openapi.validator('POST', '/repos/{owner}/{repo}/pulls', 403), denied.json)
    // ...and pull_requests write is not enough to merge.
    const prsOnly = sb.addToken({
      kind: 'installation',
      repositories: [PROD],
      permissions: { pull_requests: 'write' },
    })
    const open = (await api('GET', '/pulls?head=acme:deploy/dup')).json[0]
    const noMerge = await api('PUT', `/pulls/${open.number}/merge`, {}, prsOnly)
    expect([noMerge.status, noMerge.json.message]).toEqual([
      403,
      'Resource not accessible by integration',
    ])
    expect((await api('GET', '/pulls/999')).status).toBe(404)
  })

  it('a merge is a push to the base: onPush and Argo CD see it', async () => {
    const seen: string[] = []
    const off = sb.onPush(PROD, (e) => {
      seen.push(`${e.source} ${e.ref} ${e.pusher}`)
    })
    try {
      await pushBranch('deploy/seen', { 'seen.txt': 's\n' })
      const pr = await api('POST', '/pulls', { title: 'S', head: 'deploy/seen', base: 'main' })
      await api('PUT', `/pulls/${pr.json.number}/merge`, { merge_method: 'squash' })
      expect(seen).toEqual([
        'push refs/heads/deploy/seen release-bot',
        'merge refs/heads/main release-bot',
      ])
    } finally {
      off()
    }
  })
})
