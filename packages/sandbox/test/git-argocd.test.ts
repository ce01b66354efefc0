// onPush and the Argo CD stand-in: pushes with the real git client turn into commit statuses on
// the application repository, as argocd-notifications posts them in synchronous mode.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  startGitHubSandbox,
  type ArgoCdHandle,
  type GitHubSandbox,
  type PushEvent,
} from '../src/index.js'
import { authArgs, gitClient, type GitClient } from './helpers/git.js'
import { call } from './helpers/http.js'

const DEPLOY = 'acme/argocd-deploy-non-prod'
const APPS = 'plat/use2-dev/apps'
let sb: GitHubSandbox
let client: GitClient
let writer: string
let statusReader: string
let work: string
let appSha: string
let argo: ArgoCdHandle
const events: PushEvent[] = []

const config = (app: string, repo: string, sha: string) =>
  [
    `app_repository: ${repo}`,
    `app_commit: ${sha}`,
    `app_hostname: https://${app}.acme.test`,
    `name: web.${app}`,
    'namespace: web',
    `manifests: ${APPS}/web/${app}/manifests`,
    '',
  ].join('\n')

/** Writes files into the working clone, commits and pushes to main. */
async function push(files: Record<string, string>, message = 'deploy'): Promise<string> {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(work, file)), { recursive: true })
    await writeFile(path.join(work, file), text)
  }
  await client.ok(work, 'add', '-A')
  await client.ok(work, 'commit', '--quiet', '-m', message)
  await client.ok(work, ...authArgs(writer), 'push', '--quiet', 'origin', 'HEAD:main')
  return (await client.ok(work, 'rev-parse', 'HEAD')).trim()
}

async function statuses(repo: string, sha: string) {
  const res = await call(sb.url, 'GET', `/repos/${repo}/commits/${sha}/statuses`, {
    token: statusReader,
  })
  expect(res.status).toBe(200)
  return res.json as Array<Record<string, unknown> & { creator: { login: string } }>
}

beforeAll(async () => {
  sb = await startGitHubSandbox()
  sb.addOrg('acme')
  sb.addRepo(DEPLOY, {
    git: true,
    files: { 'plat/use2-dev/argocd/applicationset.yaml': 'kind: ApplicationSet\n' },
  })
  sb.addRepo('acme/web-app')
  appSha = sb.addCommit('acme/web-app', { message: 'release' })
  sb.addRepo('acme/fresh-app')
  writer = sb.addToken({
    kind: 'fine-grained',
    owner: 'acme',
    repositories: [DEPLOY],
    permissions: { contents: 'write' },
  })
  statusReader = sb.addToken({ kind: 'classic', scopes: ['repo'] })
  client = await gitClient()
  work = path.join(client.home, 'work')
  await client.ok(
    client.home,
    ...authArgs(writer),
    'clone',
    '--quiet',
    `${sb.url}/${DEPLOY}.git`,
    work,
  )
  sb.onPush(DEPLOY, (e) => {
    events.push(e)
  })
  // Long enough that `pending` is still the newest status when the test reads it right after
  // the push, even on a loaded machine (50 ms was not: the final status had already landed).
  argo = sb.enableArgoCd(DEPLOY, { delayMs: 2000 })
}, 60_000)

afterAll(async () => {
  await sb?.stop()
  await client?.cleanup()
})

beforeEach(() => {
  events.length = 0
})

describe('onPush', () => {
  it('reports each moved ref with before/after, source and pusher', async () => {
    const before = sb.refs(DEPLOY)['refs/heads/main']!
    const after = await push({ 'README.md': '# deploy\n' })
    expect(events).toEqual([
      {
        repo: DEPLOY,
        ref: 'refs/heads/main',
        before,
        after,
        source: 'push',
        pusher: 'octocat',
      },
    ])
    // Nothing under apps/ changed: Argo CD has nothing to sync.
    expect(argo.syncs.filter((s) => s.revision === after)).toEqual([])
  })
})

describe('enableArgoCd', () => {
  it('posts pending at once, then success, on the app repository at app_commit', async () => {
    const revision = await push({
      [`${APPS}/web/web-app/config.yaml`]: config('web-app', 'acme/web-app', appSha),
      [`${APPS}/web/web-app/manifests/resources.yaml`]: 'kind: Deployment\n',
    })
    const first = await statuses('acme/web-app', appSha)
    expect(first.map((s) => s['state'])).toEqual(['pending'])
    await argo.idle()
    const after = await statuses('acme/web-app', appSha)
    expect(after.map((s) => s['state'])).toEqual(['success', 'pending'])
    expect(after[0]).toMatchObject({
      context: 'continuous-delivery/web.web-app',
      description: 'ArgoCD',
      target_url: 'https://argocd.example.test/applications/web.web-app',
    })
    expect(after[0]!.creator.login).toBe('argocd-notifications')
    expect(argo.syncs.at(-1)).toMatchObject({
      name: 'web.web-app',
      namespace: 'web',
      app: 'web-app',
      config: `${APPS}/web/web-app/config.yaml`,
      revision,
      appRepository: 'acme/web-app',
      appCommit: appSha,
      result: 'success',
    })
    const combined = await call(sb.url, 'GET', `/repos/acme/web-app/commits/${appSha}/status`, {
      token: statusReader,
    })
    expect(combined.json.state).toBe('success')
  })

  it('syncs an app when only its manifests change, and creates a missing app commit', async () => {
    const sha = 'f'.repeat(40)
    await push({ [`${APPS}/web/fresh/config.yaml`]: config('fresh', 'acme/fresh-app', sha) })
    await argo.idle()
    expect((await statuses('acme/fresh-app', sha)).map((s) => s['state'])).toEqual([
      'success',
      'pending',
    ])
    await push({ [`${APPS}/web/fresh/manifests/extra.yaml`]: 'kind: ConfigMap\n' })
    await argo.idle()
    expect(await statuses('acme/fresh-app', sha)).toHaveLength(4)
  })

  it('skips apps it cannot post for, and says why', async () => {
    const revision = await push({
      [`${APPS}/web/ghost/config.yaml`]: config('ghost', 'acme/nowhere', appSha),
      [`${APPS}/web/branchy/config.yaml`]: config('branchy', 'acme/web-app', 'main'),
    })
    const syncs = argo.syncs.filter((s) => s.revision === revision)
    expect(syncs.map((s) => [s.app, s.result, s.reason])).toEqual([
      ['branchy', 'skipped', 'app_commit is not a full sha: main'],
      ['ghost', 'skipped', 'unknown repository acme/nowhere'],
    ])
  })

  it('reports a failed sync through `outcome`, and can post on the deploy repo too', async () => {
    argo.disable()
    const failing = sb.enableArgoCd(DEPLOY, {
      delayMs: 10,
      outcome: () => 'error',
      statusOnDeployRepo: true,
      url: 'https://cd.acme.test/',
    })
    try {
      const sha = sb.addCommit('acme/web-app', { message: 'broken release' })
      const revision = await push({
        [`${APPS}/web/web-app/config.yaml`]: config('web-app', 'acme/web-app', sha),
      })
      await failing.idle()
      const posted = await statuses('acme/web-app', sha)
      expect(posted.map((s) => s['state'])).toEqual(['error', 'pending'])
      expect(posted[0]!['target_url']).toBe('https://cd.acme.test/applications/web.web-app')
      expect((await statuses(DEPLOY, revision)).map((s) => s['state'])).toEqual([
        'error',
        'pending',
      ])
      // The first handle no longer reacts.
      expect(argo.syncs.some((s) => s.revision === revision)).toBe(false)
    } finally {
      failing.disable()
    }
  })

  it('refuses a repository that is not git-backed', () => {
    expect(() => sb.enableArgoCd('acme/web-app')).toThrow(/not git-backed/)
  })
})

afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})
