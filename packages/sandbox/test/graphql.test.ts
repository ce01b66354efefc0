// POST /graphql: authentication, validation against GitHub's published schema (documents and
// variables), the read query on a real git-backed repository, and createCommitOnBranch (the
// compare-and-swap, additions, deletions, permissions, verified commits, onPush, a plain git
// fetch seeing the commit).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startGitHubSandbox, type GitHubSandbox, type PushEvent } from '../src/index.js'
import { authArgs, gitClient, type GitClient } from './helpers/git.js'
import { call } from './helpers/http.js'

const DEPLOY = 'acme/deploy'
const APP = 'plat/use2-dev/apps/web/app'
const BIG = 'x'.repeat(600_000)
let sb: GitHubSandbox
let client: GitClient
let writer: string
let reader: string
let classicRepo: string
let classicRead: string
let app: string
let clones = 0

const READ = `query Read($owner: String!, $name: String!, $ref: String!, $expr: String!) {
  repository(owner: $owner, name: $name) {
    ref(qualifiedName: $ref) { target { oid ... on Commit { oid } } }
    object(expression: $expr) {
      ... on Tree {
        entries {
          name type mode oid path
          object {
            ... on Blob { text byteSize isBinary isTruncated oid }
            ... on Tree { entries { name type mode oid path object { ... on Blob { text } } } }
          }
        }
      }
    }
  }
}`

const WRITE = `mutation Write($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url signature { isValid } } }
}`

const gql = (token: string | undefined, query: string, variables?: unknown) =>
  call(sb.url, 'POST', '/graphql', {
    ...(token !== undefined ? { token } : {}),
    body: { query, ...(variables !== undefined ? { variables } : {}) },
  })

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64')
const head = (branch = 'main') => sb.refs(DEPLOY)[`refs/heads/${branch}`]!

/** A fresh clone of the deploy repository, as `token` sees it; returns its directory. */
async function cloneDeploy(token: string): Promise<string> {
  const dir = path.join(client.home, `c${++clones}`)
  await client.ok(
    client.home,
    ...authArgs(token),
    'clone',
    '--quiet',
    `${sb.url}/${DEPLOY}.git`,
    dir,
  )
  return dir
}

function commitInput(
  expectedHeadOid: string,
  fileChanges: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    input: {
      branch: { repositoryNameWithOwner: DEPLOY, branchName: 'main' },
      expectedHeadOid,
      message: { headline: 'release web', body: 'Argocd-Actions-Release: web' },
      fileChanges,
      ...extra,
    },
  }
}

beforeAll(async () => {
  sb = await startGitHubSandbox()
  sb.addOrg('acme')
  sb.addRepo(DEPLOY, {
    git: true,
    files: {
      'README.md': '# deploy\n',
      [`${APP}/config.yaml`]: 'name: web.app\n',
      [`${APP}/manifests/deployment.yaml`]: 'kind: Deployment\n',
      [`${APP}/manifests/big.txt`]: BIG,
      [`${APP}/manifests/bin.dat`]: 'a\0b',
    },
  })
  writer = sb.addToken({
    kind: 'fine-grained',
    login: 'releaser',
    owner: 'acme',
    repositories: [DEPLOY],
    permissions: { contents: 'write' },
  })
  reader = sb.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: [DEPLOY],
    permissions: { contents: 'read' },
  })
  classicRepo = sb.addToken({ kind: 'classic', login: 'ops', scopes: ['repo'] })
  classicRead = sb.addToken({ kind: 'classic', login: 'ops', scopes: ['read:org'] })
  app = sb.addToken({
    kind: 'installation',
    owner: 'acme',
    repositories: [DEPLOY],
    permissions: { contents: 'write' },
    appSlug: 'deployer',
  })
  client = await gitClient()
})

afterAll(async () => {
  await sb.stop()
  await client.cleanup()
})

describe('POST /graphql: authentication and validation', () => {
  it('asks for authentication without a token, and refuses a bad one', async () => {
    const anon = await gql(undefined, '{ viewer { login } }')
    expect(anon.status).toBe(401)
    expect(anon.json.message).toBe('This endpoint requires you to be authenticated.')
    const bad = await gql('ghp_' + 'x'.repeat(36), '{ viewer { login } }')
    expect(bad.status).toBe(401)
    expect(bad.json.message).toBe('Bad credentials')
  })

  it('answers a field the schema does not have with 200 and errors[], nothing executed', async () => {
    const r = await gql(writer, '{ repository(owner: "acme", name: "deploy") { nope } }')
    expect(r.status).toBe(200)
    expect(r.json.data).toBeUndefined()
    expect(r.json.errors[0].message).toMatch(/^Cannot query field "nope" on type "Repository"\./)
    expect(r.json.errors[0].locations).toEqual([{ line: 1, column: 47 }])
  })

  it('refuses variables of the wrong type, and a missing required input field', async () => {
    const wrongType = await gql(writer, READ, { owner: 1, name: 'deploy', ref: 'x', expr: 'x' })
    expect(wrongType.status).toBe(200)
    expect(wrongType.json.data).toBeUndefined()
    expect(wrongType.json.errors[0].message).toMatch(/^Variable "\$owner" got invalid value 1/)

    const { input } = commitInput(head(), {})
    const { expectedHeadOid: _, ...noOid } = input
    const missing = await gql(writer, WRITE, { input: noOid })
    expect(missing.json.data).toBeUndefined()
    expect(missing.json.errors[0].message).toMatch(
      /Field "expectedHeadOid" of required type "GitObjectID!" was not provided/,
    )
    expect(head()).toBe(input.expectedHeadOid)
  })

  it('answers a syntax error and a body without a query', async () => {
    const syntax = await gql(writer, '{ viewer { login }')
    expect(syntax.json.errors[0].message).toMatch(/^Syntax Error/)
    const noQuery = await call(sb.url, 'POST', '/graphql', { token: writer, body: { q: 1 } })
    expect(noQuery.status).toBe(200)
    expect(noQuery.json.errors[0].message).toBe(
      'A query attribute must be specified and must be a string.',
    )
  })

  it('answers a field outside the modelled subset with an error, never a silent null', async () => {
    const r = await gql(writer, '{ repository(owner: "acme", name: "deploy") { stargazerCount } }')
    expect(r.json.errors[0].message).toBe(
      'Repository.stargazerCount is not modelled by the sandbox',
    )
    expect(r.json.data).toEqual({ repository: null })
  })
})

describe('the read query', () => {
  it('gives the branch tip and the app directory: nested trees, modes, text', async () => {
    const r = await gql(reader, READ, {
      owner: 'acme',
      name: 'deploy',
      ref: 'refs/heads/main',
      expr: `main:${APP}`,
    })
    expect(r.json.errors).toBeUndefined()
    const repo = r.json.data.repository
    expect(repo.ref.target.oid).toBe(head())
    const entries = repo.object.entries
    expect(entries.map((e: { name: string }) => e.name)).toEqual(['config.yaml', 'manifests'])
    const config = entries[0]
    expect(config).toMatchObject({ type: 'blob', mode: 0o100644, path: `${APP}/config.yaml` })
    expect(config.object).toMatchObject({ text: 'name: web.app\n', byteSize: 14, isBinary: false })
    expect(config.oid).toBe(config.object.oid)
    const manifests = entries[1]
    expect(manifests).toMatchObject({ type: 'tree', mode: 0o40000, path: `${APP}/manifests` })
    const files = Object.fromEntries(
      manifests.object.entries.map(
        (e: { name: string; path: string; object: { text: string | null } }) => [
          e.name,
          { path: e.path, text: e.object.text },
        ],
      ),
    )
    expect(files['deployment.yaml']).toEqual({
      path: `${APP}/manifests/deployment.yaml`,
      text: 'kind: Deployment\n',
    })
    // Binary: no text. Over 512,000 bytes: cut there, as GitHub does (isTruncated says so).
    expect(files['bin.dat']!.text).toBeNull()
    expect(files['big.txt']!.text).toHaveLength(512_000)
  })

  it('says a blob is truncated, and answers null for a missing ref or path', async () => {
    const r = await gql(
      reader,
      `{ repository(owner: "acme", name: "deploy") {
          big: object(expression: "main:${APP}/manifests/big.txt") { ... on Blob { isTruncated byteSize } }
          gone: object(expression: "main:nope") { oid }
          ref(qualifiedName: "refs/heads/nope") { name }
        } }`,
    )
    expect(r.json.errors).toBeUndefined()
    expect(r.json.data.repository).toEqual({
      big: { isTruncated: true, byteSize: 600_000 },
      gone: null,
      ref: null,
    })
  })

  it('sees what a git push brings at once, though its reader stays up between requests', async () => {
    const tipOf = async () =>
      (
        await gql(
          reader,
          '{ repository(owner: "acme", name: "deploy") { ref(qualifiedName: "main") { target { oid } } } }',
        )
      ).json.data.repository.ref.target.oid
    expect(await tipOf()).toBe(head())
    const dir = await cloneDeploy(writer)
    await writeFile(path.join(dir, 'pushed.txt'), 'pushed\n')
    await client.ok(dir, 'add', 'pushed.txt')
    await client.ok(dir, 'commit', '--quiet', '-m', 'pushed')
    await client.ok(dir, ...authArgs(writer), 'push', '--quiet', 'origin', 'HEAD:main')
    const pushed = (await client.ok(dir, 'rev-parse', 'HEAD')).trim()
    // The new tip (a loose ref) and its objects (a new pack) are read by the same process.
    expect(await tipOf()).toBe(pushed)
    const file = await gql(
      reader,
      '{ repository(owner: "acme", name: "deploy") { object(expression: "main:pushed.txt") { ... on Blob { text } } } }',
    )
    expect(file.json.data.repository.object).toEqual({ text: 'pushed\n' })
  })

  it('hides a repository the token cannot see (NOT_FOUND), as for a missing one', async () => {
    sb.addRepo('acme/secret', { git: true })
    const r = await gql(writer, '{ repository(owner: "acme", name: "secret") { name } }')
    expect(r.status).toBe(200)
    expect(r.json.data).toEqual({ repository: null })
    expect(r.json.errors[0]).toMatchObject({
      type: 'NOT_FOUND',
      path: ['repository'],
      message: "Could not resolve to a Repository with the name 'acme/secret'.",
    })
  })
})

describe('createCommitOnBranch', () => {
  it('commits additions and deletions on the expected head: verified, fetched, onPush fired', async () => {
    const before = head()
    const events: PushEvent[] = []
    const off = sb.onPush(DEPLOY, (e) => void events.push(e))
    const r = await gql(
      writer,
      WRITE,
      commitInput(before, {
        additions: [
          { path: `${APP}/config.yaml`, contents: b64('name: web.app\nimage: v2\n') },
          { path: `${APP}/manifests/service.yaml`, contents: b64('kind: Service\n') },
        ],
        deletions: [{ path: `${APP}/manifests/deployment.yaml` }],
      }),
    )
    off()
    expect(r.json.errors).toBeUndefined()
    const commit = r.json.data.createCommitOnBranch.commit
    expect(commit.signature).toEqual({ isValid: true })
    expect(head()).toBe(commit.oid)
    expect(events).toEqual([
      expect.objectContaining({ ref: 'refs/heads/main', before, after: commit.oid }),
    ])

    const files = sb.tree(DEPLOY)
    expect(files[`${APP}/config.yaml`]).toBe('name: web.app\nimage: v2\n')
    expect(files[`${APP}/manifests/service.yaml`]).toBe('kind: Service\n')
    expect(files[`${APP}/manifests/deployment.yaml`]).toBeUndefined()

    // REST: authored as the token's user, committed by GitHub, verified.
    const rest = await call(sb.url, 'GET', `/repos/${DEPLOY}/commits/${commit.oid}`, {
      token: writer,
    })
    expect(rest.json.commit.verification).toMatchObject({ verified: true, reason: 'valid' })
    expect(rest.json.commit.author.name).toBe('releaser')
    expect(rest.json.commit.committer).toMatchObject({
      name: 'GitHub',
      email: 'noreply@github.com',
    })
    expect(rest.json.commit.message).toBe('release web\n\nArgocd-Actions-Release: web')
    expect(rest.json.parents.map((p: { sha: string }) => p.sha)).toEqual([before])
    expect(sb.commitVerification(DEPLOY, commit.oid)).toEqual({ verified: true, reason: 'valid' })
    expect(sb.commitVerification(DEPLOY, before)).toEqual({ verified: false, reason: 'unsigned' })

    // A plain git client sees the same commit, signature header included.
    const dir = await cloneDeploy(reader)
    expect((await client.ok(dir, 'rev-parse', 'HEAD')).trim()).toBe(commit.oid)
    expect(await client.ok(dir, 'cat-file', 'commit', 'HEAD')).toMatch(
      /^gpgsig -----BEGIN PGP SIGNATURE-----$/m,
    )
    // The objects are written in-process: git must read them as its own, and the model the
    // sandbox records for the commit must say what git says.
    await client.ok(
      client.home,
      '--git-dir',
      sb.gitDir(DEPLOY),
      'fsck',
      '--strict',
      '--no-dangling',
    )
    const [authorDate, committerDate, tree] = (
      await client.ok(dir, 'log', '-1', '--format=%aI%n%cI%n%T')
    )
      .trim()
      .split('\n')
    expect(Date.parse(rest.json.commit.author.date)).toBe(Date.parse(authorDate!))
    expect(Date.parse(rest.json.commit.committer.date)).toBe(Date.parse(committerDate!))
    expect(rest.json.commit.tree.sha).toBe(tree)

    const recorded = sb.graphqlRequests.at(-1)!
    expect(recorded).toMatchObject({ operationName: 'Write', operationType: 'mutation' })
  })

  it('refuses a stale expectedHeadOid with STALE_DATA, writing nothing', async () => {
    const tip = head()
    const stale = sb.addCommit(DEPLOY, { files: { 'other.txt': 'x\n' } })
    expect(stale).not.toBe(tip)
    const r = await gql(
      writer,
      WRITE,
      commitInput(tip, { additions: [{ path: 'a.txt', contents: b64('a') }] }),
    )
    expect(r.status).toBe(200)
    expect(r.json.data).toEqual({ createCommitOnBranch: null })
    expect(r.json.errors).toEqual([
      {
        type: 'STALE_DATA',
        path: ['createCommitOnBranch'],
        locations: [{ line: 2, column: 3 }],
        message: `Expected branch to point to "${tip}" but it did not.  Pull and try again.`,
      },
    ])
    expect(head()).toBe(stale)
    expect(sb.tree(DEPLOY)['a.txt']).toBeUndefined()
  })

  it('refuses the deletion of a path that does not exist, and invalid base64', async () => {
    const tip = head()
    const missing = await gql(
      writer,
      WRITE,
      commitInput(tip, { deletions: [{ path: 'nope.txt' }] }),
    )
    expect(missing.json.errors[0].message).toBe(
      `A path was requested for deletion which does not exist as of commit oid \`${tip}\``,
    )
    // Not a file either: a directory, a path under a file, a path in a missing directory.
    for (const path of [`${APP}/manifests`, 'README.md/x', 'nope/dir/x.txt']) {
      const r = await gql(writer, WRITE, commitInput(tip, { deletions: [{ path }] }))
      expect(r.json.data).toEqual({ createCommitOnBranch: null })
      expect(r.json.errors[0]).toMatchObject({
        type: 'UNPROCESSABLE',
        message: `A path was requested for deletion which does not exist as of commit oid \`${tip}\``,
      })
    }
    const badBase64 = await gql(
      writer,
      WRITE,
      commitInput(tip, { additions: [{ path: 'a.txt', contents: 'not base64!' }] }),
    )
    expect(badBase64.json.data).toEqual({ createCommitOnBranch: null })
    expect(badBase64.json.errors[0].message).toMatch(/not valid base64/)
    expect(head()).toBe(tip)
  })

  it('refuses a file under a file, and drops a directory whose last file is deleted', async () => {
    const tip = head()
    const under = await gql(
      writer,
      WRITE,
      commitInput(tip, { additions: [{ path: 'README.md/x', contents: b64('x') }] }),
    )
    expect(under.json.errors[0]).toMatchObject({ type: 'UNPROCESSABLE' })
    expect(under.json.errors[0].message).toMatch(/README\.md is a file, not a directory/)
    expect(head()).toBe(tip)

    const files = Object.keys(sb.tree(DEPLOY)).filter((p) => p.startsWith(`${APP}/manifests/`))
    const r = await gql(
      writer,
      WRITE,
      commitInput(tip, { deletions: files.map((p) => ({ path: p })) }),
    )
    expect(r.json.errors).toBeUndefined()
    const listing = await gql(
      reader,
      `{ repository(owner: "acme", name: "deploy") { object(expression: "main:${APP}") { ... on Tree { entries { name } } } } }`,
    )
    expect(listing.json.data.repository.object.entries).toEqual([{ name: 'config.yaml' }])
  })

  it('catches up a model that lags behind the branch (a push not yet synced): no commit lost', async () => {
    const before = head()
    const gitDir = sb.gitDir(DEPLOY)
    const tree = (
      await client.ok(client.home, '--git-dir', gitDir, 'rev-parse', `${before}^{tree}`)
    ).trim()
    const pushed = (
      await client.ok(
        client.home,
        '--git-dir',
        gitDir,
        'commit-tree',
        tree,
        '-p',
        before,
        '-m',
        'pushed, not yet synced',
      )
    ).trim()
    // Moved on disk only, as by a receive-pack whose sync has not run yet.
    await client.ok(
      client.home,
      '--git-dir',
      gitDir,
      'update-ref',
      'refs/heads/main',
      pushed,
      before,
    )
    expect(head()).toBe(before)
    const r = await gql(
      writer,
      WRITE,
      commitInput(pushed, { additions: [{ path: 'lag.txt', contents: b64('lag\n') }] }),
    )
    expect(r.json.errors).toBeUndefined()
    const oid = r.json.data.createCommitOnBranch.commit.oid
    expect(head()).toBe(oid)
    const mine = await call(sb.url, 'GET', `/repos/${DEPLOY}/commits/${oid}`, { token: writer })
    expect(mine.json.parents.map((p: { sha: string }) => p.sha)).toEqual([pushed])
    const theirs = await call(sb.url, 'GET', `/repos/${DEPLOY}/commits/${pushed}`, {
      token: writer,
    })
    expect(theirs.status).toBe(200)
    expect(theirs.json.commit.message).toBe('pushed, not yet synced')
  })

  it('makes a commit without file changes (the schema documents it)', async () => {
    const tip = head()
    const r = await gql(writer, WRITE, commitInput(tip, {}))
    const oid = r.json.data.createCommitOnBranch.commit.oid
    expect(head()).toBe(oid)
    const rest = await call(sb.url, 'GET', `/repos/${DEPLOY}/commits/${oid}`, { token: writer })
    expect(rest.json.commit.tree.sha).toBe(
      (await call(sb.url, 'GET', `/repos/${DEPLOY}/commits/${tip}`, { token: writer })).json.commit
        .tree.sha,
    )
  })

  it('needs Contents write: read-only tokens are FORBIDDEN, classic without repo lacks the scope', async () => {
    const tip = head()
    const ro = await gql(reader, WRITE, commitInput(tip, {}))
    expect(ro.json.errors[0]).toMatchObject({
      type: 'FORBIDDEN',
      message: 'Resource not accessible by personal access token',
    })
    const noScope = await gql(classicRead, WRITE, commitInput(tip, {}))
    expect(noScope.json.errors[0].type).toBe('NOT_FOUND')
    expect(head()).toBe(tip)
    const ok = await gql(classicRepo, WRITE, commitInput(tip, {}))
    expect(ok.json.errors).toBeUndefined()
  })

  it("authors an installation token's commit as the app bot", async () => {
    const r = await gql(app, WRITE, commitInput(head(), {}))
    const oid = r.json.data.createCommitOnBranch.commit.oid
    const rest = await call(sb.url, 'GET', `/repos/${DEPLOY}/commits/${oid}`, { token: app })
    expect(rest.json.commit.author.name).toBe('deployer[bot]')
    expect(rest.json.author.login).toBe('deployer[bot]')
    expect(rest.json.commit.verification.verified).toBe(true)
  })

  it('refuses a branch protected for pull requests, as a push would be', async () => {
    sb.protectBranch(DEPLOY, 'main')
    try {
      const tip = head()
      const r = await gql(writer, WRITE, commitInput(tip, {}))
      expect(r.json.errors[0].message).toMatch(/Changes must be made through a pull request/)
      expect(head()).toBe(tip)
    } finally {
      sb.unprotectBranch(DEPLOY, 'main')
    }
  })
})

describe('faults on /graphql', () => {
  it('a secondary rate limit aimed at mutations spares queries, then answers 403 with Retry-After', async () => {
    sb.injectFault({ type: 'secondary-rate-limit', operation: 'mutation', retryAfter: 7 })
    const query = await gql(writer, '{ viewer { login } }')
    expect(query.status).toBe(200)
    expect(query.json.data).toEqual({ viewer: { login: 'releaser' } })
    const tip = head()
    const limited = await gql(writer, WRITE, commitInput(tip, {}))
    expect(limited.status).toBe(403)
    expect(limited.headers.get('retry-after')).toBe('7')
    expect(limited.json.message).toMatch(/^You have exceeded a secondary rate limit/)
    expect(head()).toBe(tip)
    // Consumed: the next mutation goes through.
    const ok = await gql(writer, WRITE, commitInput(tip, {}))
    expect(ok.json.errors).toBeUndefined()
  })

  it('targets an operation by name, and plays the usual faults (an HTML 502) on /graphql', async () => {
    sb.injectFault({
      type: 'status',
      status: 502,
      path: '/graphql',
      operation: 'Read',
      body: '<html><body>502 Bad Gateway</body></html>',
    })
    const other = await gql(writer, 'query Other { viewer { login } }')
    expect(other.status).toBe(200)
    const vars = { owner: 'acme', name: 'deploy', ref: 'refs/heads/main', expr: 'main:' }
    const bad = await gql(writer, READ, vars).catch((err: unknown) => err)
    // The helper parses JSON: an HTML answer makes it throw, as it would a client that believes it.
    expect(bad).toBeInstanceOf(SyntaxError)
    expect(sb.requests.at(-1)!.status).toBe(502)
    const again = await gql(writer, READ, vars)
    expect(again.status).toBe(200)
  })
})
