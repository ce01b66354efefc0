// Git smart HTTP with the real git client: clones (full and narrow), pushes, the token model,
// protected branches, the reject-push fault, the other faults, and the model following pushes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { DELIM, FLUSH, pktLine } from '@argocd-actions/git'
import { startGitHubSandbox, type GitHubSandbox } from '../src/index.js'
import { authArgs, gitClient, type GitClient } from './helpers/git.js'
import { call } from './helpers/http.js'

const DEPLOY = 'acme/deploy'
const APP_DIR = 'plat/use2-dev/apps/web/app'
let sb: GitHubSandbox
let client: GitClient
let writer: string
let reader: string
let clone = 0

/** A fresh directory name under the client's HOME. */
const dir = () => path.join(client.home, `c${++clone}`)
const url = (repo = DEPLOY) => `${sb.url}/${repo}.git`

/** Clones DEPLOY with `token`, adds `file`, commits; returns the clone's directory. */
async function cloneAndCommit(token: string, file: string, text = `${file}\n`): Promise<string> {
  const d = dir()
  await client.ok(client.home, ...authArgs(token), 'clone', '--quiet', url(), d)
  await mkdir(path.dirname(path.join(d, file)), { recursive: true })
  await writeFile(path.join(d, file), text)
  await client.ok(d, 'add', '-A')
  await client.ok(d, 'commit', '--quiet', '-m', `add ${file}`)
  return d
}

beforeAll(async () => {
  sb = await startGitHubSandbox()
  sb.addOrg('acme')
  sb.addRepo(DEPLOY, {
    git: true,
    files: {
      'README.md': '# deploy\n',
      'plat/use2-dev/argocd/applicationset.yaml': 'kind: ApplicationSet\n',
      [`${APP_DIR}/config.yaml`]: 'name: web.app\n',
      // A big, incompressible blob outside the app: narrow clones must not download it.
      'plat/use2-prod/apps/big/blob/manifests/resources.yaml': `${randomBytes(100_000).toString('base64')}\n`,
    },
  })
  writer = sb.addToken({
    kind: 'fine-grained',
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
  client = await gitClient()
}, 60_000)

afterAll(async () => {
  const gitDir = sb?.gitDir(DEPLOY)
  await sb?.stop()
  // stop() removes the bare repositories.
  if (gitDir) expect(existsSync(gitDir)).toBe(false)
  await client?.cleanup()
})

beforeEach(() => {
  sb.clearFaults()
  sb.clearRequests()
})

describe('git-backed repositories', () => {
  it('seeds a deterministic commit on the default branch, consistent with the REST model', async () => {
    const other = await startGitHubSandbox()
    try {
      other.addRepo(DEPLOY, { git: true, files: { 'README.md': '# deploy\n' } })
      sb.addRepo('acme/seeded', { git: true, files: { 'README.md': '# deploy\n' } })
      // Same files, same fixed author/date: same sha in any sandbox.
      expect(other.refs(DEPLOY)['refs/heads/main']).toBe(sb.refs('acme/seeded')['refs/heads/main'])
    } finally {
      await other.stop()
    }
    const head = sb.refs(DEPLOY)['refs/heads/main']!
    expect(head).toMatch(/^[0-9a-f]{40}$/)
    const log = await client.ok(client.home, '--git-dir', sb.gitDir(DEPLOY), 'log', '--format=%H')
    expect(log.trim()).toBe(head)
    const token = sb.addToken({ kind: 'classic', scopes: ['repo'] })
    const res = await call(sb.url, 'GET', `/repos/${DEPLOY}/commits/main`, { token })
    expect(res.status).toBe(200)
    expect(res.json.sha).toBe(head)
    expect(res.json.commit.message).toBe('Initial commit')
    expect(res.json.commit.author).toEqual({
      name: 'GitHub Sandbox',
      email: 'sandbox@users.noreply.github.com',
      date: '2024-01-01T00:00:00Z',
    })
    expect(sb.tree(DEPLOY)[`${APP_DIR}/config.yaml`]).toBe('name: web.app\n')
  })

  it('addCommit on a git-backed repo makes a real commit with files', async () => {
    sb.addRepo('acme/scratch', { git: true })
    const sha = sb.addCommit('acme/scratch', { files: { 'a/b.txt': 'b\n' }, message: 'b' })
    expect(sb.refs('acme/scratch')['refs/heads/main']).toBe(sha)
    expect(sb.tree('acme/scratch')).toEqual({ 'README.md': '# scratch\n', 'a/b.txt': 'b\n' })
    const again = sb.addCommit('acme/scratch', { files: { 'a/b.txt': null } })
    expect(sb.tree('acme/scratch', again)).toEqual({ 'README.md': '# scratch\n' })
    expect(sb.tree('acme/scratch', sha)['a/b.txt']).toBe('b\n')
    expect(() => sb.addCommit('acme/scratch', { sha: 'a'.repeat(40) })).toThrow(/chosen sha/)
  })
})

describe('clone and fetch', () => {
  it('clones in full with a token in http.extraheader, as actions/checkout sends it', async () => {
    const d = dir()
    await client.ok(client.home, ...authArgs(reader), 'clone', '--quiet', url(), d)
    expect(await readFile(path.join(d, APP_DIR, 'config.yaml'), 'utf8')).toBe('name: web.app\n')
    const [advert, ...posts] = sb.requests
    expect(advert).toMatchObject({
      method: 'GET',
      path: '/acme/deploy.git/info/refs?service=git-upload-pack',
      status: 200,
      gitService: 'git-upload-pack',
    })
    expect(advert!.headers['authorization']).toMatch(/^basic /)
    // Protocol v2, passed to the backend through Git-Protocol.
    expect(advert!.headers['git-protocol']).toBe('version=2')
    expect(posts.every((r) => r.method === 'POST' && r.status === 200)).toBe(true)
    const bytes = sb.requests.reduce((n, r) => n + (r.bytesOut ?? 0), 0)
    expect(bytes).toBeGreaterThan(0)
  })

  it('serves --depth 1 --filter=blob:none --sparse clones, which download far less', async () => {
    const full = sb.requests.length
    expect(full).toBe(0)
    const d = dir()
    await client.ok(
      client.home,
      ...authArgs(reader),
      'clone',
      '--quiet',
      '--depth',
      '1',
      '--filter=blob:none',
      '--sparse',
      url(),
      d,
    )
    await client.ok(d, ...authArgs(reader), 'sparse-checkout', 'set', APP_DIR)
    expect(await readFile(path.join(d, APP_DIR, 'config.yaml'), 'utf8')).toBe('name: web.app\n')
    expect(existsSync(path.join(d, 'plat/use2-prod'))).toBe(false)
    expect(await client.ok(d, 'rev-parse', '--is-shallow-repository')).toBe('true\n')
    const narrow = sb.requests.reduce((n, r) => n + (r.bytesOut ?? 0), 0)
    // The big blob never travels.
    sb.clearRequests()
    await client.ok(client.home, ...authArgs(reader), 'clone', '--quiet', url(), dir())
    const whole = sb.requests.reduce((n, r) => n + (r.bytesOut ?? 0), 0)
    expect(narrow).toBeLessThan(50_000)
    expect(whole).toBeGreaterThan(100_000)
  })

  it('answers a gzip-encoded protocol v2 request (git gzips large fetch bodies)', async () => {
    const body = [
      pktLine('command=ls-refs\n'),
      DELIM,
      pktLine('peel\n'),
      pktLine('ref-prefix refs/heads/\n'),
      FLUSH,
    ].join('')
    const basic = Buffer.from(`x-access-token:${reader}`).toString('base64')
    const res = await fetch(`${url()}/git-upload-pack`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-git-upload-pack-request',
        'content-encoding': 'gzip',
        'git-protocol': 'version=2',
      },
      body: gzipSync(Buffer.from(body)),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/x-git-upload-pack-result')
    expect(await res.text()).toContain(`${sb.refs(DEPLOY)['refs/heads/main']} refs/heads/main`)
  })

  it('lets anyone clone a public repository, without a token', async () => {
    sb.addRepo('acme/public', { git: true, private: false })
    const d = dir()
    await client.ok(client.home, 'clone', '--quiet', url('acme/public'), d)
    expect(await readFile(path.join(d, 'README.md'), 'utf8')).toBe('# public\n')
  })
})

describe('push', () => {
  it('updates the bare repo and the REST model (commits, contents) before git returns', async () => {
    const d = await cloneAndCommit(writer, `${APP_DIR}/manifests/resources.yaml`, 'kind: List\n')
    const r = await client.git(d, ...authArgs(writer), 'push', 'origin', 'HEAD:main')
    expect(r.code).toBe(0)
    const head = (await client.ok(d, 'rev-parse', 'HEAD')).trim()
    expect(sb.refs(DEPLOY)['refs/heads/main']).toBe(head)
    expect(sb.tree(DEPLOY)[`${APP_DIR}/manifests/resources.yaml`]).toBe('kind: List\n')
    const receive = sb.requests.filter((x) => x.gitService === 'git-receive-pack')
    expect(receive.map((x) => [x.method, x.status])).toEqual([
      ['GET', 200],
      ['POST', 200],
    ])
    expect(receive[1]!.bytesIn).toBeGreaterThan(0)

    const token = writer
    const commit = await call(sb.url, 'GET', `/repos/${DEPLOY}/commits/main`, { token })
    expect(commit.json.sha).toBe(head)
    expect(commit.json.commit.message).toBe(`add ${APP_DIR}/manifests/resources.yaml`)
    expect(commit.json.commit.author.email).toBe('client@example.test')
    // An email no account owns: GitHub links no user.
    expect(commit.json.author).toBeNull()
    const status = await call(sb.url, 'POST', `/repos/${DEPLOY}/statuses/${head}`, {
      token: sb.addToken({ kind: 'classic', scopes: ['repo:status'] }),
      body: { state: 'success', context: 'ci' },
    })
    expect(status.status).toBe(201)

    const file = await call(
      sb.url,
      'GET',
      `/repos/${DEPLOY}/contents/${APP_DIR}/manifests/resources.yaml?ref=main`,
      { token },
    )
    expect(file.status).toBe(200)
    expect(file.json).toMatchObject({
      type: 'file',
      encoding: 'base64',
      size: 11,
      path: `${APP_DIR}/manifests/resources.yaml`,
    })
    expect(Buffer.from(file.json.content, 'base64').toString()).toBe('kind: List\n')
    const blob = (
      await client.ok(d, 'rev-parse', `HEAD:${APP_DIR}/manifests/resources.yaml`)
    ).trim()
    expect(file.json.sha).toBe(blob)

    const listing = await call(sb.url, 'GET', `/repos/${DEPLOY}/contents/${APP_DIR}`, { token })
    expect(listing.json.map((e: { name: string; type: string }) => [e.name, e.type])).toEqual([
      ['config.yaml', 'file'],
      ['manifests', 'dir'],
    ])
    const old = await call(
      sb.url,
      'GET',
      `/repos/${DEPLOY}/contents/${APP_DIR}/manifests?ref=${commit.json.parents[0].sha}`,
      { token },
    )
    expect(old.status).toBe(404)
  })

  it('creates branches, and an installation token with contents:write may push', async () => {
    const app = sb.addToken({
      kind: 'installation',
      repositories: [DEPLOY],
      permissions: { contents: 'write' },
    })
    const d = await cloneAndCommit(app, 'feature.txt')
    const r = await client.git(d, ...authArgs(app), 'push', 'origin', 'HEAD:refs/heads/feature/x')
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('* [new branch]      HEAD -> feature/x')
    expect(sb.refs(DEPLOY)['refs/heads/feature/x']).toBe(
      (await client.ok(d, 'rev-parse', 'HEAD')).trim(),
    )
  })
})

describe('concurrent writers', () => {
  it('8 clients pushing to main at once all land after fetch/rebase/retry; losers see real rejections', async () => {
    const dirs = await Promise.all(
      Array.from({ length: 8 }, (_, i) => cloneAndCommit(writer, `swarm/${i}.txt`)),
    )
    const rejections: string[] = []
    await Promise.all(
      dirs.map(async (d) => {
        for (let attempt = 0; attempt < 30; attempt++) {
          const r = await client.git(d, ...authArgs(writer), 'push', 'origin', 'HEAD:main')
          if (r.code === 0) return
          rejections.push(/\((.*)\)\n/.exec(r.stderr)?.[1] ?? r.stderr)
          await client.ok(d, ...authArgs(writer), 'pull', '--quiet', '--rebase', 'origin', 'main')
        }
        throw new Error('never landed')
      }),
    )
    const tree = sb.tree(DEPLOY)
    for (let i = 0; i < 8; i++) expect(tree[`swarm/${i}.txt`]).toBe(`swarm/${i}.txt\n`)
    expect(rejections.length).toBeGreaterThan(0)
    for (const why of rejections)
      expect(why).toMatch(/fetch first|non-fast-forward|cannot lock ref/)
    // The model saw every push: its main is the bare repo's main, with the whole history.
    const head = sb.refs(DEPLOY)['refs/heads/main']!
    const log = await client.ok(client.home, '--git-dir', sb.gitDir(DEPLOY), 'rev-parse', 'main')
    expect(log.trim()).toBe(head)
    const res = await call(sb.url, 'GET', `/repos/${DEPLOY}/commits/${head}`, { token: writer })
    expect(res.status).toBe(200)
  }, 120_000)
})

describe('authentication and authorisation', () => {
  it('asks for credentials (401 + WWW-Authenticate) without a token on a private repo', async () => {
    const r = await client.git(client.home, 'clone', url(), dir())
    expect(r.code).toBe(128)
    expect(r.stderr).toContain('terminal prompts disabled')
    expect(sb.requests[0]).toMatchObject({ status: 401 })
    const res = await fetch(`${url()}/info/refs?service=git-upload-pack`)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="GitHub"')
    // Same answer for a repository that does not exist: nothing leaks.
    const missing = await fetch(`${url('acme/missing')}/info/refs?service=git-upload-pack`)
    expect(missing.status).toBe(401)
  })

  it('refuses an unknown token with GitHub\u2019s message and "Authentication failed"', async () => {
    const bad = `${sb.url.replace('http://', 'http://x-access-token:ghp_nope@')}/${DEPLOY}.git`
    const r = await client.git(client.home, 'clone', bad, dir())
    expect(r.code).toBe(128)
    expect(r.stderr).toContain(
      'remote: Invalid username or token. Password authentication is not supported for Git operations.',
    )
    expect(r.stderr).toContain('Authentication failed for')
  })

  it('accepts the token as a URL password with any username, or as the username', async () => {
    for (const cred of [`anything:${reader}`, `${reader}`]) {
      const withCred = `${sb.url.replace('http://', `http://${cred}@`)}/${DEPLOY}.git`
      const r = await client.git(client.home, 'ls-remote', withCred, 'refs/heads/main')
      expect([r.code, r.stdout.split('\t')[0]]).toEqual([0, sb.refs(DEPLOY)['refs/heads/main']])
    }
  })

  it('refuses a push with a read-only fine-grained token: "Write access to repository not granted."', async () => {
    const d = await cloneAndCommit(reader, 'refused.txt')
    const r = await client.git(d, ...authArgs(reader), 'push', 'origin', 'HEAD:main')
    expect(r.code).toBe(128)
    expect(r.stderr).toContain('remote: Write access to repository not granted.')
    expect(r.stderr).toContain('The requested URL returned error: 403')
    expect(sb.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/acme/deploy.git/info/refs?service=git-receive-pack',
      status: 403,
    })
  })

  it('answers apps and users like GitHub: "Permission to ... denied to ..." and "Repository not found."', async () => {
    const d = await cloneAndCommit(writer, 'denied.txt')
    const app = sb.addToken({
      kind: 'installation',
      repositories: [DEPLOY],
      permissions: { contents: 'read' },
      appSlug: 'deployer',
    })
    const byApp = await client.git(d, ...authArgs(app), 'push', 'origin', 'HEAD:main')
    expect(byApp.stderr).toContain('remote: Permission to acme/deploy.git denied to deployer[bot].')

    // A classic token without `repo` cannot see a private repository at all.
    const noRepo = sb.addToken({ kind: 'classic', scopes: ['read:org'] })
    const hidden = await client.git(client.home, ...authArgs(noRepo), 'clone', url(), dir())
    expect(hidden.code).toBe(128)
    expect(hidden.stderr).toContain('remote: Repository not found.')
    expect(hidden.stderr).toMatch(/fatal: repository '.*\/acme\/deploy.git\/' not found/)

    // A fine-grained token for another repository neither.
    const other = sb.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: ['acme/other'],
      permissions: { contents: 'write' },
    })
    const elsewhere = await client.git(client.home, ...authArgs(other), 'clone', url(), dir())
    expect(elsewhere.stderr).toContain('remote: Repository not found.')

    // A fine-grained token with metadata only (no contents) cannot clone.
    const metadata = sb.addToken({
      kind: 'fine-grained',
      owner: 'acme',
      repositories: [DEPLOY],
      permissions: {},
    })
    const noContents = await client.git(client.home, ...authArgs(metadata), 'clone', url(), dir())
    expect(noContents.stderr).toContain('remote: Write access to repository not granted.')

    // An expired token is an unknown one.
    const expired = sb.addToken({
      kind: 'classic',
      scopes: ['repo'],
      expiresAt: new Date(Date.now() - 1000),
    })
    const res = await fetch(`${url()}/info/refs?service=git-upload-pack`, {
      headers: { authorization: `Basic ${Buffer.from(`x:${expired}`).toString('base64')}` },
    })
    expect(res.status).toBe(401)
  })
})

describe('protected branches', () => {
  it('refuses a push with GH006 and "protected branch hook declined"; other branches still take pushes', async () => {
    sb.protectBranch(DEPLOY, 'main')
    try {
      const before = sb.refs(DEPLOY)['refs/heads/main']
      const d = await cloneAndCommit(writer, 'protected.txt')
      const r = await client.git(d, ...authArgs(writer), 'push', 'origin', 'HEAD:main')
      expect(r.code).toBe(1)
      const lines = r.stderr.split('\n').map((l) => l.trimEnd())
      expect(lines).toEqual(
        expect.arrayContaining([
          'remote: error: GH006: Protected branch update failed for refs/heads/main.',
          'remote:',
          'remote: - Changes must be made through a pull request.',
          ' ! [remote rejected] HEAD -> main (protected branch hook declined)',
        ]),
      )
      expect(sb.refs(DEPLOY)['refs/heads/main']).toBe(before)
      const side = await client.git(d, ...authArgs(writer), 'push', 'origin', 'HEAD:deploy/x')
      expect(side.code).toBe(0)
      const del = await client.git(d, ...authArgs(writer), 'push', 'origin', ':main')
      expect(del.stderr).toContain('remote: - Cannot delete this protected branch.')
    } finally {
      sb.unprotectBranch(DEPLOY, 'main')
    }
  })
})

describe('faults on git paths', () => {
  it("'reject-push' at the advertisement: another writer got there first (fetch first)", async () => {
    const d = await cloneAndCommit(writer, 'race-1.txt')
    sb.injectFault({ type: 'reject-push', files: { 'other.txt': 'theirs\n' } })
    const r = await client.git(d, ...authArgs(writer), 'push', 'origin', 'HEAD:main')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('! [rejected]        HEAD -> main (fetch first)')
    // Only the advertisement was asked for: git refused locally.
    expect(
      sb.requests.filter((x) => x.method === 'POST' && x.gitService === 'git-receive-pack'),
    ).toEqual([])
    expect(sb.tree(DEPLOY)['other.txt']).toBe('theirs\n')
    // Re-applying on the new tip then succeeds.
    await client.ok(d, ...authArgs(writer), 'pull', '--quiet', '--rebase', 'origin', 'main')
    await client.ok(d, ...authArgs(writer), 'push', '--quiet', 'origin', 'HEAD:main')
    expect(sb.tree(DEPLOY)['race-1.txt']).toBe('race-1.txt\n')
  })

  it("'reject-push' matched on /git-receive-pack$/: the ref moves under the update", async () => {
    const d = await cloneAndCommit(writer, 'race-2.txt')
    const old = sb.refs(DEPLOY)['refs/heads/main']
    sb.injectFault({ type: 'reject-push', path: /git-receive-pack$/ })
    const r = await client.git(d, ...authArgs(writer), 'push', 'origin', 'HEAD:main')
    expect(r.code).toBe(1)
    const now = sb.refs(DEPLOY)['refs/heads/main']
    expect(now).not.toBe(old)
    expect(r.stderr).toContain(
      ` ! [remote rejected] HEAD -> main (cannot lock ref 'refs/heads/main': is at ${now} but expected ${old})`,
    )
    const racer = await call(sb.url, 'GET', `/repos/${DEPLOY}/commits/${now}`, { token: writer })
    expect(racer.json.commit.message).toBe('Concurrent update (sandbox reject-push fault)')
  })

  it("'status', 'delay' and 'reset' apply to git requests too; API requests never take 'reject-push'", async () => {
    sb.injectFault({ type: 'reject-push', times: 1 })
    expect((await call(sb.url, 'GET', `/repos/${DEPLOY}`, { token: writer })).status).toBe(200)
    sb.clearFaults()

    sb.injectFault({ type: 'status', status: 503, path: /\/info\/refs$/ })
    const r = await client.git(client.home, ...authArgs(reader), 'ls-remote', url())
    expect(r.code).toBe(128)
    expect(r.stderr).toContain('The requested URL returned error: 503')

    // curl silently retries a request whose reused connection died, so the fault must stick.
    sb.injectFault({ type: 'reset', method: 'POST', path: /git-upload-pack$/, times: 10 })
    const reset = await client.git(client.home, ...authArgs(reader), 'clone', url(), dir())
    expect(reset.code).toBe(128)
    expect(sb.requests.filter((x) => x.status === 0).length).toBeGreaterThan(0)
    sb.clearFaults()

    sb.injectFault({ type: 'delay', ms: 300, path: /\/info\/refs$/ })
    const started = Date.now()
    await client.ok(client.home, ...authArgs(reader), 'ls-remote', url())
    expect(Date.now() - started).toBeGreaterThanOrEqual(280)
  })

  it("'delay' on a POST keeps its body for the backend (a delayed clone and push still work)", async () => {
    // Was: the body was drained while waiting, and upload-pack answered an empty body.
    sb.injectFault({ type: 'delay', ms: 50, method: 'POST', times: 100 })
    try {
      const d = await cloneAndCommit(writer, 'delayed.txt')
      await client.ok(d, ...authArgs(writer), 'push', '--quiet', 'origin', 'HEAD:main')
      expect(sb.tree(DEPLOY)['delayed.txt']).toBe('delayed.txt\n')
      expect(sb.requests.filter((q) => q.method === 'POST').length).toBeGreaterThanOrEqual(2)
    } finally {
      sb.clearFaults()
    }
  })
})
