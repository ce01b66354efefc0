/**
 * The fault matrix (issue 11, "How it is proven"): every external request each action makes,
 * times every way an answer can be unreadable or hostile. Each cell runs the real bundle against
 * the loopback doubles, with one fault injected on one request every time it is made, and asserts:
 *
 *   - no pass verdict (exit 0, valid=true, changed=true, a status set or seen) that depended on
 *     the unreadable answer;
 *   - nothing written or pushed (the doubles' state is unchanged);
 *   - no request went to another origin (the foreign listener recorded none; with the token: worse);
 *   - the canary token (the run's token, raw, base64 and URL-encoded) appears nowhere;
 *   - one clear error that names the request and the cause, and not "a bug in argocd-actions".
 *
 * The first four make a cell "fail open"; the last makes it "unexplained". Both counts must be 0.
 * Where a check cannot hold it is not asserted, and the table says why: an off-origin Link beside
 * a readable page may pass (only the foreign origin must stay untouched); after the write a
 * request follows (tags, a pull request's REST calls) nothing-written does not apply; a write
 * whose answer never came may still be done by the server; a client with no per-request timeout
 * that waits a silent server out is reported as such ("unexplained"), not as fail-open.
 * Cell ids are `<action> | <request> | <fault>`.
 *
 *   npm run test:faults                          # just this file
 *   FAULT_MATRIX='set-commit-status' npm run test:faults      # cells whose id matches a RegExp
 *   FAULT_MATRIX_CONCURRENCY=8 npm run test:faults            # fewer bundles at once (default 24,
 *                                                            # and 2× that for the timeout cells)
 *
 * The full matrix and every cell's verdict are also written to reports/fault-matrix.json.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm'
import {
  leaks,
  repoRoot,
  runBundle,
  startArgoCdSandbox,
  startAwsSandbox,
  startBitbucketSandbox,
  startFaultProxy,
  startForeignOrigin,
  startGitHubSandbox,
  startGitLabSandbox,
  type BundleRun,
  type FaultProxy,
  type ForeignOrigin,
  type GitHubSandbox,
  type ProxiedRequest,
} from '@argocd-actions/sandbox'

// ---------------------------------------------------------------------------------------------
// The faults (columns)

const FAULTS = [
  '500',
  '502-html',
  '429',
  'secondary',
  'reset',
  'timeout',
  'null',
  'wrong-shape',
  'off-origin-redirect',
  'off-origin-link',
] as const
type FaultKind = (typeof FAULTS)[number]

const FAULT_LABELS: Record<FaultKind, string> = {
  '500': '500 every time',
  '502-html': '502 with an HTML page (a proxy)',
  '429': '429 with Retry-After: 1, every time',
  secondary: 'secondary rate limit (GitHub 403 + Retry-After; AWS ThrottlingException)',
  reset: 'connection reset',
  timeout: "no answer before the client's per-request timeout",
  null: '200 with a JSON null body (empty for XML and git)',
  'wrong-shape': '200 with a body of the wrong shape',
  'off-origin-redirect': '302 to another origin',
  'off-origin-link': 'Link rel="next" to another origin',
}

/** What an error must say about the cause, for each fault. */
const CAUSES: Record<FaultKind, (foreignHost: string) => RegExp> = {
  '500': () => /\b500\b|server error|internal/i,
  '502-html': () => /\b502\b|html|proxy|bad gateway/i,
  '429': () => /\b429\b|rate limit|throttl|too many requests/i,
  secondary: () => /secondary rate limit|throttl|rate exceeded/i,
  reset: () => /reset|closed|socket|network|connection|did not complete/i,
  timeout: () => /time[ds]?[ -]?out|timeout|no answer|did not answer/i,
  null: () => /null|empty|no body|unexpected|malformed|unreadable|not valid|invalid/i,
  'wrong-shape': () => /unexpected|shape|malformed|unreadable|not valid|invalid|expected/i,
  'off-origin-redirect': (host) => new RegExp(`${escape(host)}|redirect|moved|\\b302\\b`, 'i'),
  'off-origin-link': (host) => new RegExp(`${escape(host)}|origin|next page|link`, 'i'),
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'
const EVERY_TIME = 1000

// ---------------------------------------------------------------------------------------------
// The worlds: one fresh set of doubles per cell, so cells run side by side without sharing faults

type Service = 'github' | 'gitlab' | 'bitbucket' | 'aws' | 'argocd'

interface World {
  action: string
  token: string
  /** Other secrets the run holds (the Argo CD token): never printed either. */
  secrets?: string[]
  inputs: Record<string, string>
  env?: Record<string, string>
  github?: GitHubSandbox
  /** A fault proxy in front of each double; the action only ever sees these origins. */
  proxies: Partial<Record<Service, FaultProxy>>
  foreign: ForeignOrigin
  /** Everything the action may write, as text: must be the same after a faulted run. */
  state(): string
  /** The verdict said "fine" (or wrote something it reports as done). */
  passed(r: BundleRun): boolean
  stop(): Promise<void>
}

const ORG = 'acme'
const NONPROD = `${ORG}/argocd-deploy-non-prod`
const PROD = `${ORG}/argocd-deploy-prod`
const INFRA = `${ORG}/infra-repo`
const APP = `${ORG}/app`
const DAY = 86_400_000
const inDays = (n: number) => new Date(Date.now() + n * DAY)
const REGION = 'us-east-2'
const CORE_AUTO = '111111111111'
const PLAT_PROD = '444444444444'
const PARAM = '/argocd/github/api_key'
const OLD_VALUE = 'the-previous-token-value'
const APPS = 'plat/use2-dev/apps'
const APP_SHA = 'c0ffee'.padEnd(40, '0')
const WAIT_CONTEXT = 'continuous-delivery/web.app'

const validPassed = (r: BundleRun) => r.code === 0 || r.outputs.valid === 'true'

async function githubDouble(): Promise<{ gh: GitHubSandbox; proxy: FaultProxy }> {
  const gh = await startGitHubSandbox()
  gh.addOrg(ORG, { members: ['octocat', 'alice'] })
  for (const repo of [NONPROD, PROD, INFRA, APP]) {
    gh.addRepo(repo)
    gh.addCommit(repo, { branch: 'main' })
  }
  return { gh, proxy: await startFaultProxy({ target: gh.url }) }
}

/** What a GitHub audit could write (its opt-in write probes): hooks, keys, refs, statuses. */
const githubState = (gh: GitHubSandbox, repos: string[]) => () =>
  JSON.stringify(
    repos.map((r) => {
      const head = gh.refs(r)['refs/heads/main']
      return [
        gh.hooks(r).length,
        gh.deployKeys(r).length,
        gh.refs(r),
        head ? gh.statuses(r, head).length : 0,
      ]
    }),
  )

async function validateWorld(spec: {
  profile: string
  token: (gh: GitHubSandbox) => string
  repositories: string
  organization?: string
  probeWrites?: boolean
}): Promise<World> {
  const { gh, proxy } = await githubDouble()
  const foreign = await startForeignOrigin()
  const token = spec.token(gh)
  return {
    action: 'validate-pat-scopes',
    token,
    inputs: {
      token,
      profile: spec.profile,
      repositories: spec.repositories,
      'api-url': proxy.url,
      ...(spec.organization && { organization: spec.organization }),
      ...(spec.probeWrites && { 'probe-writes': 'true' }),
    },
    github: gh,
    proxies: { github: proxy },
    foreign,
    state: githubState(gh, [NONPROD, PROD, INFRA, APP]),
    passed: validPassed,
    stop: () => stopAll(gh, proxy, foreign),
  }
}

const stopAll = async (...things: Array<{ stop(): Promise<void> } | undefined>) => {
  await Promise.all(things.map((t) => t?.stop()))
}

const fineGrained = (
  repositories: string[],
  permissions: Record<string, 'read' | 'write'>,
  orgPermissions?: Record<string, 'read' | 'write'>,
) => ({
  kind: 'fine-grained' as const,
  owner: ORG,
  repositories,
  permissions,
  ...(orgPermissions && { orgPermissions }),
  expiresAt: inDays(90),
})

const SCENARIOS = {
  /** The deploy-repo admin role: every read probe, the org members, two write probes. */
  'validate fine-grained': () =>
    validateWorld({
      profile: 'argocd-deploy-repo-admin',
      token: (gh) =>
        gh.addToken(
          fineGrained(
            [NONPROD, PROD],
            { administration: 'write', contents: 'write' },
            { members: 'read' },
          ),
        ),
      repositories: `{ deploy: ${NONPROD}, deploy-prod: ${PROD} }`,
      organization: ORG,
      probeWrites: true,
    }),
  'validate webhooks write probe': () =>
    validateWorld({
      profile: 'argocd-webhooks',
      token: (gh) => gh.addToken(fineGrained([NONPROD], { repository_hooks: 'write' })),
      repositories: `{ deploy: ${NONPROD} }`,
      probeWrites: true,
    }),
  'validate statuses write probe': () =>
    validateWorld({
      profile: 'argocd-notifications',
      token: (gh) => gh.addToken(fineGrained([APP], { statuses: 'write' })),
      repositories: `{ app: ${APP} }`,
      probeWrites: true,
    }),
  'validate installation': () =>
    validateWorld({
      profile: 'argocd-release',
      token: (gh) =>
        gh.addToken({
          kind: 'installation',
          owner: ORG,
          repositories: [NONPROD, INFRA],
          permissions: { contents: 'write' },
        }),
      repositories: `{ deploy: ${NONPROD}, infra: ${INFRA} }`,
    }),
  'validate classic': () =>
    validateWorld({
      profile: 'argocd-notifications',
      token: (gh) =>
        gh.addToken({ kind: 'classic', scopes: ['repo:status'], expiresAt: inDays(90) }),
      repositories: `{ app: ${APP} }`,
    }),
  'validate gitlab': async (): Promise<World> => {
    const gl = await startGitLabSandbox()
    const proxy = await startFaultProxy({ target: gl.url })
    const foreign = await startForeignOrigin()
    const token = gl.addToken({
      scopes: ['read_api', 'read_repository'],
      expiresAt: inDays(60).toISOString().slice(0, 10),
      projects: [NONPROD],
    })
    return {
      action: 'validate-pat-scopes',
      token,
      inputs: {
        token,
        profile: 'codefresh-runtime',
        'api-url': proxy.url,
        repositories: `{ deploy: ${NONPROD} }`,
      },
      proxies: { gitlab: proxy },
      foreign,
      state: () => '',
      passed: validPassed,
      stop: () => stopAll(gl, proxy, foreign),
    }
  },
  'validate argocd': async (): Promise<World> => {
    // A project role's token that fits argocd-ci-sync: get and sync on the release's app only.
    const argocd = await startArgoCdSandbox()
    argocd.addProject('my-proj', {
      roles: [
        {
          name: 'ci',
          policies: ['get', 'sync'].map(
            (a) => `p, proj:my-proj:ci, applications, ${a}, my-proj/nonprod.web, allow`,
          ),
        },
      ],
    })
    const proxy = await startFaultProxy({ target: argocd.url })
    const foreign = await startForeignOrigin()
    const token = argocd.projectToken('my-proj', 'ci', { expiresInSeconds: 60 * 86_400 })
    return {
      action: 'validate-pat-scopes',
      token,
      inputs: {
        token,
        profile: 'argocd-ci-sync',
        'api-url': proxy.url,
        'argocd-project': 'my-proj',
        'argocd-applications': 'nonprod.web',
      },
      proxies: { argocd: proxy },
      foreign,
      state: () => '',
      passed: validPassed,
      stop: () => stopAll(argocd, proxy, foreign),
    }
  },
  'validate bitbucket': async (): Promise<World> => {
    const bb = await startBitbucketSandbox()
    const proxy = await startFaultProxy({ target: bb.url })
    const foreign = await startForeignOrigin()
    const token = bb.addToken({
      type: 'workspace',
      workspace: ORG,
      scopes: ['account', 'team', 'webhook', 'repository:write', 'repository:admin'],
      repositories: [`${ORG}/gitops`],
    })
    return {
      action: 'validate-pat-scopes',
      token,
      inputs: {
        token,
        profile: 'codefresh-runtime',
        'api-url': proxy.url,
        repositories: `{ deploy: ${ORG}/gitops }`,
      },
      proxies: { bitbucket: proxy },
      foreign,
      state: () => '',
      passed: validPassed,
      stop: () => stopAll(bb, proxy, foreign),
    }
  },
  /**
   * The prod webhook token into plat-prod through an assumed role, over an older value, with
   * tags: every AWS call the action makes (create refused, read, overwrite, tag).
   */
  'publish one target': async (): Promise<World> => {
    const { gh, proxy } = await githubDouble()
    const aws = await startAwsSandbox()
    aws.addAccount(CORE_AUTO)
    aws.addAccount(PLAT_PROD)
    aws.addRole(`arn:aws:iam::${PLAT_PROD}:role/publish-tokens`, { trust: [CORE_AUTO] })
    const creds = aws.addCredentials({ accountId: CORE_AUTO, principal: 'role/github-actions' })
    const admin = aws.addCredentials({ accountId: PLAT_PROD, principal: 'role/admin' })
    const seed = new SSMClient({ region: REGION, endpoint: aws.url, credentials: admin })
    await seed.send(
      new PutParameterCommand({ Name: PARAM, Value: OLD_VALUE, Type: 'SecureString' }),
    )
    seed.destroy()
    const awsProxy = await startFaultProxy({ target: aws.url })
    const foreign = await startForeignOrigin()
    const token = gh.addToken(fineGrained([PROD], { repository_hooks: 'write' }))
    return {
      action: 'publish-ssm-token',
      token,
      inputs: {
        token,
        profile: 'argocd-webhooks',
        repositories: `{ deploy: ${PROD} }`,
        'api-url': proxy.url,
        targets: `- { account-id: "${PLAT_PROD}", role-arn: "arn:aws:iam::${PLAT_PROD}:role/publish-tokens", region: ${REGION}, name: ${PARAM} }`,
        tags: '{ team: platform }',
      },
      env: {
        AWS_ACCESS_KEY_ID: creds.accessKeyId,
        AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
        ...(creds.sessionToken && { AWS_SESSION_TOKEN: creds.sessionToken }),
        AWS_REGION: REGION,
        AWS_ENDPOINT_URL: awsProxy.url,
        GITHUB_API_URL: proxy.url,
      },
      github: gh,
      proxies: { github: proxy, aws: awsProxy },
      foreign,
      state: () => {
        const p = aws.parameter(PLAT_PROD, REGION, PARAM)
        return JSON.stringify([p?.value === OLD_VALUE, p?.version])
      },
      passed: (r) => r.code === 0 || r.outputs.changed === 'true',
      stop: () => stopAll(gh, proxy, aws, awsProxy, foreign),
    }
  },
  /**
   * mode: audit (issue 14): the token stored in plat-prod, read back through an assumed role and
   * validated against its role; nothing may be written, and an unreadable answer never passes.
   */
  'audit one target': async (): Promise<World> => {
    const { gh, proxy } = await githubDouble()
    const aws = await startAwsSandbox()
    aws.addAccount(CORE_AUTO)
    aws.addAccount(PLAT_PROD)
    aws.addRole(`arn:aws:iam::${PLAT_PROD}:role/audit-tokens`, { trust: [CORE_AUTO] })
    const creds = aws.addCredentials({ accountId: CORE_AUTO, principal: 'role/github-actions' })
    const admin = aws.addCredentials({ accountId: PLAT_PROD, principal: 'role/admin' })
    const token = gh.addToken(fineGrained([PROD], { repository_hooks: 'write' }))
    const seed = new SSMClient({ region: REGION, endpoint: aws.url, credentials: admin })
    await seed.send(new PutParameterCommand({ Name: PARAM, Value: token, Type: 'SecureString' }))
    seed.destroy()
    const awsProxy = await startFaultProxy({ target: aws.url })
    const foreign = await startForeignOrigin()
    return {
      action: 'publish-ssm-token',
      token,
      inputs: {
        mode: 'audit',
        profile: 'argocd-webhooks',
        repositories: `{ deploy: ${PROD} }`,
        'api-url': proxy.url,
        targets: `- { account-id: "${PLAT_PROD}", role-arn: "arn:aws:iam::${PLAT_PROD}:role/audit-tokens", region: ${REGION}, name: ${PARAM} }`,
      },
      env: {
        AWS_ACCESS_KEY_ID: creds.accessKeyId,
        AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
        ...(creds.sessionToken && { AWS_SESSION_TOKEN: creds.sessionToken }),
        AWS_REGION: REGION,
        AWS_ENDPOINT_URL: awsProxy.url,
        GITHUB_API_URL: proxy.url,
      },
      github: gh,
      proxies: { github: proxy, aws: awsProxy },
      foreign,
      state: () => {
        const p = aws.parameter(PLAT_PROD, REGION, PARAM)
        return JSON.stringify([p?.value === token, p?.version, aws.parameters().length])
      },
      passed: validPassed,
      stop: () => stopAll(gh, proxy, aws, awsProxy, foreign),
    }
  },
  'status set': async (): Promise<World> => {
    const { gh, proxy } = await githubDouble()
    const foreign = await startForeignOrigin({
      answer: () => ({
        status: 201,
        body: { id: 1, state: 'success', context: 'ci/matrix', created_at: new Date() },
      }),
    })
    const token = gh.addToken({ kind: 'classic', scopes: ['repo'] })
    return {
      action: 'set-commit-status',
      token,
      inputs: {
        token,
        repository: APP,
        sha: 'main',
        state: 'success',
        context: 'ci/matrix',
        'github-api-url': proxy.url,
      },
      github: gh,
      proxies: { github: proxy },
      foreign,
      state: githubState(gh, [APP]),
      passed: (r) => r.code === 0,
      stop: () => stopAll(gh, proxy, foreign),
    }
  },
  /** The awaited success is on the second page: 100 newer statuses of other contexts come first. */
  'status wait': async (): Promise<World> => {
    const { gh, proxy } = await githubDouble()
    const sha = gh.refs(APP)['refs/heads/main']!
    const old = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z')
    gh.addStatus(APP, sha, { state: 'success', context: WAIT_CONTEXT, created_at: old })
    for (let n = 0; n < 100; n++)
      gh.addStatus(APP, sha, { state: 'pending', context: `ci/other-${n}` })
    // Following the foreign "next page" finds the awaited success there: a pass built on it.
    const foreign = await startForeignOrigin({
      answer: () => ({
        status: 200,
        body: [
          {
            id: 999_999,
            state: 'success',
            context: WAIT_CONTEXT,
            description: 'ArgoCD',
            target_url: null,
            created_at: new Date().toISOString(),
            updated_at: new Date().toISOString(),
          },
        ],
      }),
    })
    const token = gh.addToken({ kind: 'classic', scopes: ['repo:status'] })
    return {
      action: 'set-commit-status',
      token,
      inputs: {
        token,
        repository: APP,
        sha,
        mode: 'wait',
        context: WAIT_CONTEXT,
        'timeout-seconds': '20',
        'interval-seconds': '1',
        'github-api-url': proxy.url,
      },
      github: gh,
      proxies: { github: proxy },
      foreign,
      state: githubState(gh, [APP]),
      passed: (r) => r.code === 0,
      stop: () => stopAll(gh, proxy, foreign),
    }
  },
  'sync push': () => syncWorld({}),
  'sync pull request': () => syncWorld({ mode: 'pull-request', 'auto-merge': 'true' }),
  'sync environment map': () => syncWorld({ environment: 'dev' }),
  'sync argocd wait': () => syncArgoCdWorld(),
  'sync argocd wait, later commit': () => syncArgoCdWorld({ laterCommit: true }),
  'sync graphql': () => syncWorld({ transport: 'graphql' }),
  'sync graphql pull request': () =>
    syncWorld({ transport: 'graphql', mode: 'pull-request', 'auto-merge': 'true' }),
  // The release branch is left from an earlier run, one commit off the tip: it is moved back.
  'sync graphql pull request, stale release branch': () =>
    syncWorld({ transport: 'graphql', mode: 'pull-request', 'auto-merge': 'true' }, (gh) =>
      gh.addCommit(NONPROD, { branch: `argocd/web.kustomized/${APP_SHA.slice(0, 12)}` }),
    ),
} satisfies Record<string, () => Promise<World>>
type Scenario = keyof typeof SCENARIOS

/** An image bump of an existing app (so the fetch reads trees and a blob), pushed or via a PR. */
async function syncWorld(
  extra: Record<string, string>,
  prepare?: (gh: GitHubSandbox) => void,
): Promise<World> {
  const gh = await startGitHubSandbox()
  gh.addOrg(ORG)
  gh.addRepo(NONPROD, {
    git: true,
    files: {
      'plat/use2-dev/argocd/applicationset.yaml': 'kind: ApplicationSet\n',
      [`${APPS}/web/kustomized/kustomization.yaml`]:
        'images:\n  - name: ghcr.io/acme/kustomized\n    newTag: v1.0.0\n',
      [`${APPS}/web/kustomized/config.yaml`]: 'app_hostname: https://kustomized.acme.test\n',
    },
  })
  gh.addRepo(INFRA, {
    files: {
      '.github/environments/argocd.yml': `environments:\n  dev:\n    repository: ${NONPROD}\n    cluster: plat/use2-dev\n    namespace: web\n`,
    },
  })
  gh.addCommit(INFRA, { branch: 'main' })
  prepare?.(gh)
  const proxy = await startFaultProxy({ target: gh.url })
  const foreign = await startForeignOrigin()
  const token = gh.addToken(
    fineGrained([NONPROD, INFRA], { contents: 'write', pull_requests: 'write' }),
  )
  const environment = extra.environment !== undefined
  return {
    action: 'sync-argocd-deploy-repo',
    token,
    inputs: {
      token,
      ...(environment
        ? { 'infra-repository': INFRA }
        : { repository: NONPROD, path: APPS, namespace: 'web' }),
      application: 'kustomized',
      image: 'ghcr.io/acme/kustomized',
      tag: 'v1.1.0',
      update: 'kustomize:kustomization.yaml',
      'app-repository': `${ORG}/web-app`,
      'app-commit': APP_SHA,
      'git-url': proxy.url,
      'github-api-url': proxy.url,
      'timeout-seconds': '30',
      ...extra,
    },
    env: { GITHUB_API_URL: proxy.url, GITHUB_REPOSITORY: `${ORG}/web-app` },
    github: gh,
    proxies: { github: proxy },
    foreign,
    // The deploy branch: a pull request's own branch is pushed before its REST calls.
    state: () => gh.refs(NONPROD)['refs/heads/main'] ?? '',
    passed: (r) => r.code === 0 || r.outputs.changed === 'true',
    stop: () => stopAll(gh, proxy, foreign),
  }
}

/**
 * The push, then `wait: argocd` against the Argo CD double (behind its own fault proxy). With
 * `laterCommit`, another commit lands right after the release, so Argo CD reports that one and
 * the wait reads the deploy repository to tell whether it carries the release.
 */
async function syncArgoCdWorld(opts: { laterCommit?: boolean } = {}): Promise<World> {
  const world = await syncWorld({})
  if (opts.laterCommit) {
    const gh = world.github!
    const off = gh.onPush(NONPROD, (event) => {
      if (event.source !== 'push') return
      off()
      setImmediate(() =>
        gh.addCommit(NONPROD, { files: { [`${APPS}/web/other/notes.txt`]: 'another app\n' } }),
      )
    })
  }
  const argo = await startArgoCdSandbox({ github: world.github!, pollIntervalMs: 600_000 })
  argo.addProject('web', {
    roles: [{ name: 'ci', policies: ['p, proj:web:ci, applications, get, web/*, allow'] }],
  })
  argo.watchDeployRepo(NONPROD, { project: 'web' })
  const argoToken = argo.projectToken('web', 'ci', { expiresInSeconds: 3600 })
  const argoProxy = await startFaultProxy({ target: argo.url })
  return {
    ...world,
    secrets: [argoToken],
    inputs: {
      ...world.inputs,
      wait: 'argocd',
      'argocd-url': argoProxy.url,
      'argocd-token': argoToken,
      'wait-timeout-seconds': '60',
    },
    proxies: { ...world.proxies, argocd: argoProxy },
    stop: async () => {
      await world.stop()
      await stopAll(argoProxy, argo)
    },
  }
}

// ---------------------------------------------------------------------------------------------
// The requests (rows): every external request each action makes

type Shape =
  | 'object'
  | 'list'
  | 'write'
  | 'git'
  | 'ssm'
  | 'sts'
  | 'gitlab'
  | 'bitbucket'
  | 'argocd'
  | 'graphql'

interface Row {
  action: string
  request: string
  purpose: string
  scenario: Scenario
  service: Service
  method: string
  /** Tested against the pathname. */
  path: RegExp
  /** Tested against the query string (without '?'), where one path serves two requests. */
  query?: RegExp
  /** Tested against the body (and the x-amz-target header): the git command, the AWS operation. */
  body?: RegExp
  /** Tested against the User-Agent, where one client's requests are told apart by it. */
  agent?: RegExp
  shape: Shape
  /** How an error names this request. */
  names: RegExp
  /** A client may follow its Link rel="next". */
  paginated?: boolean
  /** Answered 2xx with this status when the fault fakes success. */
  okStatus?: number
  /** The write this request comes after: "nothing written" cannot hold and is not asserted. */
  afterWrite?: string
  na?: Partial<Record<FaultKind, string>>
}

const NOT_PAGINATED =
  'one page is read by design (a single object, or per_page=1 where one item decides): no client follows its Link'
const NO_SECONDARY = 'the API has no secondary rate limit (its 429 is the 429 cell)'
const GIT_NA: Row['na'] = {
  secondary: 'git smart HTTP has no secondary-rate-limit answer (the 429 cell covers limits)',
  'off-origin-link': 'git smart HTTP has no Link pagination',
}

const repoPath = (rest = '') => new RegExp(`^/repos/[^/]+/[^/]+${rest}$`)

const githubAudit = (scenario: Scenario, action = 'validate-pat-scopes'): Row[] => [
  {
    action,
    request: 'GET /user',
    purpose: 'who the token is (login), its expiry header; classic: X-OAuth-Scopes',
    scenario,
    service: 'github',
    method: 'GET',
    path: /^\/user$/,
    shape: 'object',
    names: /\/user\b(?!\/)/,
    na: { 'off-origin-link': NOT_PAGINATED },
  },
  {
    action,
    request: 'GET /user/repos (every page)',
    purpose: 'repositories reachable beyond the role (only-these-repositories)',
    scenario,
    service: 'github',
    method: 'GET',
    path: /^\/user\/repos$/,
    shape: 'list',
    paginated: true,
    names: /\/user\/repos/,
  },
  {
    action,
    request: 'GET /repos/{o}/{r}',
    purpose: 'each slot repository is reachable; its default branch',
    scenario,
    service: 'github',
    method: 'GET',
    path: repoPath(),
    shape: 'object',
    names: /\/repos\/(\{owner\}|acme)\/(\{repo\}|[\w.-]+)(?!\/)/,
    na: { 'off-origin-link': NOT_PAGINATED },
  },
  ...(
    [
      ['contents', '/contents/', 'Contents read probe', /\/contents\/?$/],
      [
        'statuses',
        '/commits/{ref}/statuses',
        'Commit statuses read probe',
        /\/commits\/[^/]+\/statuses$/,
      ],
      ['hooks', '/hooks', 'Webhooks read probe', /\/hooks$/],
      ['keys', '/keys', 'Administration read probe (deploy keys)', /\/keys$/],
    ] as const
  ).map(([name, rest, purpose, tail]): Row => ({
    action,
    request: `GET /repos/{o}/{r}${rest}`,
    purpose,
    scenario,
    service: 'github',
    method: 'GET',
    path: new RegExp(`^/repos/[^/]+/[^/]+${tail.source.replace(/^\\\//, '/')}`),
    shape: name === 'contents' ? 'object' : 'list',
    names: new RegExp(`${name}|${escape(rest)}`, 'i'),
    na: { 'off-origin-link': NOT_PAGINATED },
  })),
]

const ROWS: Row[] = [
  // validate-pat-scopes: GitHub fine-grained (every read probe, org, two write probes)
  ...githubAudit('validate fine-grained'),
  {
    action: 'validate-pat-scopes',
    request: 'GET /orgs/{org}/members (every page)',
    purpose: 'org Members permission: concealed members show only with it',
    scenario: 'validate fine-grained',
    service: 'github',
    method: 'GET',
    path: /^\/orgs\/[^/]+\/members$/,
    shape: 'list',
    paginated: true,
    names: /\/members/,
  },
  {
    action: 'validate-pat-scopes',
    request: 'GET /orgs/{org}/public_members (every page)',
    purpose: 'the public members, to tell concealed ones apart',
    scenario: 'validate fine-grained',
    service: 'github',
    method: 'GET',
    path: /^\/orgs\/[^/]+\/public_members$/,
    shape: 'list',
    paginated: true,
    names: /public_members/,
  },
  ...(
    [
      [
        'validate fine-grained',
        'POST /repos/{o}/{r}/git/refs',
        'Contents write probe (an invalid ref: 422 = granted)',
        /\/git\/refs$/,
        /git\/refs/,
      ],
      [
        'validate fine-grained',
        'POST /repos/{o}/{r}/keys',
        'Administration write probe (an invalid key)',
        /\/keys$/,
        /keys/,
      ],
      [
        'validate webhooks write probe',
        'POST /repos/{o}/{r}/hooks',
        'Webhooks write probe (a hook without URL)',
        /\/hooks$/,
        /hooks/,
      ],
      [
        'validate statuses write probe',
        'POST /repos/{o}/{r}/statuses/{zero sha}',
        'Commit statuses write probe (an invalid sha)',
        /\/statuses\/0{40}$/,
        /statuses/,
      ],
    ] as const
  ).map(([scenario, request, purpose, tail, names]): Row => ({
    action: 'validate-pat-scopes',
    request: `${request} (probe-writes)`,
    purpose,
    scenario,
    service: 'github',
    method: 'POST',
    path: new RegExp(`^/repos/[^/]+/[^/]+${tail.source.replace(/^\\\//, '/')}`),
    shape: 'write',
    okStatus: 201,
    names,
    na: { 'off-origin-link': 'a write: nothing is paginated' },
  })),
  {
    action: 'validate-pat-scopes',
    request: 'GET /installation/repositories (every page)',
    purpose: 'installation token: what it reaches (there is no /user for apps)',
    scenario: 'validate installation',
    service: 'github',
    method: 'GET',
    path: /^\/installation\/repositories$/,
    shape: 'list',
    paginated: true,
    names: /installation\/repositories/,
  },
  {
    action: 'validate-pat-scopes',
    request: 'GET /user (classic)',
    purpose: 'classic token: its scopes in X-OAuth-Scopes',
    scenario: 'validate classic',
    service: 'github',
    method: 'GET',
    path: /^\/user$/,
    shape: 'object',
    names: /\/user\b(?!\/)/,
    na: { 'off-origin-link': NOT_PAGINATED },
  },
  {
    action: 'validate-pat-scopes',
    request: 'GET /repos/{o}/{r}/commits/HEAD/statuses (classic)',
    purpose: 'repo:status token: reach and permission in one read',
    scenario: 'validate classic',
    service: 'github',
    method: 'GET',
    path: /^\/repos\/[^/]+\/[^/]+\/commits\/[^/]+\/statuses$/,
    shape: 'list',
    names: /statuses/,
    na: { 'off-origin-link': NOT_PAGINATED },
  },
  {
    action: 'validate-pat-scopes',
    request: 'GitLab GET /api/v4/personal_access_tokens/self',
    purpose: 'scopes, expiry, active/revoked',
    scenario: 'validate gitlab',
    service: 'gitlab',
    method: 'GET',
    path: /\/personal_access_tokens\/self$/,
    shape: 'gitlab',
    names: /personal_access_tokens\/self(?!\/)/,
    na: {
      secondary: NO_SECONDARY,
      'off-origin-link': 'a single object: nothing is paginated',
    },
  },
  {
    action: 'validate-pat-scopes',
    request: 'GitLab GET /api/v4/personal_access_tokens/self/associations',
    purpose: 'groups and projects the token reaches',
    scenario: 'validate gitlab',
    service: 'gitlab',
    method: 'GET',
    path: /\/personal_access_tokens\/self\/associations$/,
    shape: 'gitlab',
    names: /associations/,
    na: {
      secondary: NO_SECONDARY,
      'off-origin-link': 'the client reads one page (per_page=100) and follows no Link',
    },
  },
  {
    action: 'validate-pat-scopes',
    request: 'Argo CD GET /api/v1/session/userinfo',
    purpose: 'whether Argo CD accepts the token, and whom it takes it for',
    scenario: 'validate argocd',
    service: 'argocd',
    method: 'GET',
    path: /^\/api\/v1\/session\/userinfo$/,
    shape: 'argocd',
    names: /session\/userinfo/,
    na: {
      secondary: NO_SECONDARY,
      'off-origin-link': 'a single object: nothing is paginated',
    },
  },
  {
    action: 'validate-pat-scopes',
    request: 'Argo CD GET /api/v1/account/can-i/{resource}/{action}/{object}',
    purpose: 'each permission the profile needs, and each one a CI role must not have',
    scenario: 'validate argocd',
    service: 'argocd',
    method: 'GET',
    path: /^\/api\/v1\/account\/can-i\/[^/]+\/[^/]+\/[^/]+$/,
    shape: 'argocd',
    names: /account\/can-i\//,
    na: {
      secondary: NO_SECONDARY,
      'off-origin-link': 'a single object per question: nothing is paginated',
    },
  },
  {
    action: 'validate-pat-scopes',
    request: 'Bitbucket GET /2.0/repositories/{ws}/{slug}',
    purpose: 'reach, and the scopes in x-oauth-scopes',
    scenario: 'validate bitbucket',
    service: 'bitbucket',
    method: 'GET',
    path: /^\/2\.0\/repositories\/[^/]+\/[^/]+$/,
    shape: 'bitbucket',
    names: /repositories|gitops/,
    na: { secondary: NO_SECONDARY, 'off-origin-link': 'a single object: nothing is paginated' },
  },

  // publish-ssm-token: the same audit first, then STS and SSM
  ...githubAudit('publish one target', 'publish-ssm-token'),
  ...(
    [
      [
        'STS AssumeRole',
        'credentials for the target account',
        'sts',
        /Action=AssumeRole/,
        /AssumeRole/,
        undefined,
      ],
      [
        'STS GetCallerIdentity',
        'the credentials belong to the expected account',
        'sts',
        /Action=GetCallerIdentity/,
        /GetCallerIdentity|caller identity/i,
        undefined,
      ],
      [
        'SSM PutParameter (create, Overwrite=false, Tags)',
        'create; refused with ParameterAlreadyExists when it exists',
        'ssm',
        /AmazonSSM\.PutParameter[\s\S]*"Overwrite":false|"Overwrite":false[\s\S]*AmazonSSM\.PutParameter/,
        /PutParameter/,
        undefined,
      ],
      [
        'SSM GetParameter (WithDecryption)',
        'compare the stored value: unchanged makes no new version',
        'ssm',
        /AmazonSSM\.GetParameter\b/,
        /GetParameter/,
        undefined,
      ],
      [
        'SSM DescribeParameters',
        'compare type, KMS key, description, tier and policies',
        'ssm',
        /AmazonSSM\.DescribeParameters/,
        /DescribeParameters/,
        undefined,
      ],
      [
        'SSM ListTagsForResource',
        'compare the tags: equal tags are not set again',
        'ssm',
        /AmazonSSM\.ListTagsForResource/,
        /ListTagsForResource/,
        undefined,
      ],
      [
        'SSM PutParameter (Overwrite=true)',
        'write the new value',
        'ssm',
        /AmazonSSM\.PutParameter[\s\S]*"Overwrite":true|"Overwrite":true[\s\S]*AmazonSSM\.PutParameter/,
        /PutParameter/,
        undefined,
      ],
      [
        'SSM AddTagsToResource',
        'tags (SSM refuses Tags with Overwrite)',
        'ssm',
        /AmazonSSM\.AddTagsToResource/,
        /AddTagsToResource|tags/i,
        'PutParameter (Overwrite=true)',
      ],
    ] as const
  ).map(([request, purpose, shape, body, names, afterWrite]): Row => ({
    action: 'publish-ssm-token',
    request,
    purpose,
    scenario: 'publish one target',
    service: 'aws',
    method: 'POST',
    path: /^\/$/,
    body,
    shape,
    names,
    ...(afterWrite && { afterWrite }),
    na: {
      'off-origin-link':
        'AWS APIs page with tokens in the body, not Link; these calls read one item',
    },
  })),

  // publish-ssm-token mode: audit: the same STS calls, then a read of the stored token (the
  // GitHub requests that validate it are the rows above)
  ...(
    [
      [
        'audit: STS AssumeRole',
        'credentials for the audited account',
        'sts',
        /Action=AssumeRole/,
        /AssumeRole/,
      ],
      [
        'audit: STS GetCallerIdentity',
        'the credentials belong to the expected account',
        'sts',
        /Action=GetCallerIdentity/,
        /GetCallerIdentity|caller identity/i,
      ],
      [
        'audit: SSM GetParameter (WithDecryption)',
        'the stored token, its type, version and date',
        'ssm',
        /AmazonSSM\.GetParameter\b/,
        /GetParameter/,
      ],
      [
        'audit: SSM DescribeParameters',
        "the parameter's KMS key",
        'ssm',
        /AmazonSSM\.DescribeParameters/,
        /DescribeParameters/,
      ],
    ] as const
  ).map(([request, purpose, shape, body, names]): Row => ({
    action: 'publish-ssm-token',
    request,
    purpose,
    scenario: 'audit one target',
    service: 'aws',
    method: 'POST',
    path: /^\/$/,
    body,
    shape,
    names,
    na: {
      'off-origin-link':
        'AWS APIs page with tokens in the body, not Link; these calls read one item',
    },
  })),

  // set-commit-status
  {
    action: 'set-commit-status',
    request: 'GET /repos/{o}/{r}/commits/{ref} (sha media type)',
    purpose: "resolve a branch or short SHA given in 'sha'",
    scenario: 'status set',
    service: 'github',
    method: 'GET',
    path: /^\/repos\/[^/]+\/[^/]+\/commits\/[^/]+$/,
    shape: 'object',
    names: /resolve|commits\//,
    na: { 'off-origin-link': NOT_PAGINATED },
  },
  {
    action: 'set-commit-status',
    request: 'POST /repos/{o}/{r}/statuses/{sha}',
    purpose: 'create the status',
    scenario: 'status set',
    service: 'github',
    method: 'POST',
    path: /^\/repos\/[^/]+\/[^/]+\/statuses\/[0-9a-f]{40}$/,
    shape: 'write',
    okStatus: 201,
    names: /status/,
    na: { 'off-origin-link': 'a write: nothing is paginated' },
  },
  {
    action: 'set-commit-status',
    request: 'GET /repos/{o}/{r}/commits/{sha}/statuses (every page, each poll)',
    purpose: 'wait mode: the newest status of the context (the combined status is not used)',
    scenario: 'status wait',
    service: 'github',
    method: 'GET',
    path: /^\/repos\/[^/]+\/[^/]+\/commits\/[0-9a-f]{40}\/statuses$/,
    shape: 'list',
    paginated: true,
    names: /statuses/,
  },

  // sync-argocd-deploy-repo: git smart HTTP (protocol v2), then REST
  ...(
    [
      [
        'POST git-upload-pack: ls-refs',
        'the branch tip',
        /command=ls-refs/,
        /ls-refs|refs|fetch|read/i,
      ],
      [
        'POST git-upload-pack: fetch (tip, trees, blobs)',
        'the objects the release edits',
        /command=fetch/,
        /fetch|upload-pack|read/i,
      ],
    ] as const
  ).map(([request, purpose, body, names]): Row => ({
    action: 'sync-argocd-deploy-repo',
    request,
    purpose,
    scenario: 'sync push',
    service: 'github',
    method: 'POST',
    path: /\.git\/git-upload-pack$/,
    body,
    shape: 'git',
    names,
    na: GIT_NA,
  })),
  {
    action: 'sync-argocd-deploy-repo',
    request: 'POST git-receive-pack (the ref update and pack)',
    purpose: 'the push (compare-and-swap on the tip)',
    scenario: 'sync push',
    service: 'github',
    method: 'POST',
    path: /\.git\/git-receive-pack$/,
    shape: 'git',
    names: /push|receive-pack|update/i,
    na: GIT_NA,
  },
  {
    action: 'sync-argocd-deploy-repo',
    request: 'GET /repos/{o}/{r}/pulls?head=&base= (pull-request mode)',
    purpose: 'reuse an open pull request of this release',
    scenario: 'sync pull request',
    service: 'github',
    method: 'GET',
    path: /^\/repos\/[^/]+\/[^/]+\/pulls$/,
    shape: 'list',
    names: /pull/i,
    afterWrite: 'push of the release branch',
    na: { 'off-origin-link': 'per_page=1: the first open pull request decides' },
  },
  {
    action: 'sync-argocd-deploy-repo',
    request: 'POST /repos/{o}/{r}/pulls (pull-request mode)',
    purpose: 'open the pull request',
    scenario: 'sync pull request',
    service: 'github',
    method: 'POST',
    path: /^\/repos\/[^/]+\/[^/]+\/pulls$/,
    shape: 'write',
    okStatus: 201,
    names: /pull/i,
    afterWrite: 'push of the release branch',
    na: { 'off-origin-link': 'a write: nothing is paginated' },
  },
  {
    action: 'sync-argocd-deploy-repo',
    request: 'PUT /repos/{o}/{r}/pulls/{n}/merge (auto-merge)',
    purpose: 'merge it',
    scenario: 'sync pull request',
    service: 'github',
    method: 'PUT',
    path: /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+\/merge$/,
    shape: 'write',
    okStatus: 200,
    names: /merge/i,
    afterWrite: 'push of the release branch',
    na: { 'off-origin-link': 'a write: nothing is paginated' },
  },
  // sync-argocd-deploy-repo, transport: graphql: one query, one mutation (POST /graphql, told
  // apart by their operation), and in pull-request mode the release branch by REST.
  ...(
    [
      [
        'POST /graphql: ArgocdReleaseRead (tip, trees, files)',
        'the branch tip and the app directory, in one query',
        /ArgocdReleaseRead/,
        /read|GraphQL|graphql/,
      ],
      [
        'POST /graphql: ArgocdReleaseCommit (createCommitOnBranch)',
        'the commit (expectedHeadOid: compare-and-swap on the tip)',
        /ArgocdReleaseCommit/,
        /createCommitOnBranch|commit/,
      ],
    ] as const
  ).map(([request, purpose, body, names]): Row => ({
    action: 'sync-argocd-deploy-repo',
    request,
    purpose,
    scenario: 'sync graphql',
    service: 'github',
    method: 'POST',
    path: /^\/graphql$/,
    body,
    shape: 'graphql',
    names,
    na: { 'off-origin-link': 'GraphQL pages by cursor in the body, never by Link' },
  })),
  {
    action: 'sync-argocd-deploy-repo',
    request: 'POST /graphql: ArgocdReleaseRead (pull-request mode: the release branch tip too)',
    purpose: 'the tip, the app directory and the release branch tip (a lost commit is found there)',
    scenario: 'sync graphql pull request',
    service: 'github',
    method: 'POST',
    path: /^\/graphql$/,
    body: /ArgocdReleaseRead/,
    shape: 'graphql',
    names: /read|GraphQL|graphql/,
    na: { 'off-origin-link': 'GraphQL pages by cursor in the body, never by Link' },
  },
  {
    action: 'sync-argocd-deploy-repo',
    request: 'POST /repos/{o}/{r}/git/refs (graphql, pull-request mode)',
    purpose: 'create the release branch at the tip, for createCommitOnBranch to append to',
    scenario: 'sync graphql pull request',
    service: 'github',
    method: 'POST',
    path: /^\/repos\/[^/]+\/[^/]+\/git\/refs$/,
    shape: 'write',
    okStatus: 201,
    names: /release branch|refs/i,
    na: { 'off-origin-link': 'a write: nothing is paginated' },
  },
  {
    action: 'sync-argocd-deploy-repo',
    request: 'PATCH /repos/{o}/{r}/git/refs/heads/{branch} (graphql, pull-request mode)',
    purpose: 'move a stale release branch back to the tip, for createCommitOnBranch to append to',
    scenario: 'sync graphql pull request, stale release branch',
    service: 'github',
    method: 'PATCH',
    // Octokit may send the ref URL-encoded (heads%2F…).
    path: /^\/repos\/[^/]+\/[^/]+\/git\/refs\/heads(\/|%2F).+$/i,
    shape: 'write',
    okStatus: 200,
    names: /release branch|refs/i,
    na: { 'off-origin-link': 'a write: nothing is paginated' },
  },
  {
    action: 'sync-argocd-deploy-repo',
    request: 'GET /repos/{o}/{r}/contents/{infra-file} (environment)',
    purpose: 'the environment map in the infra repository',
    scenario: 'sync environment map',
    service: 'github',
    method: 'GET',
    path: /^\/repos\/[^/]+\/infra-repo\/contents\/.+$/,
    shape: 'object',
    names: /environment map|infra|contents/i,
    na: { 'off-origin-link': 'a single file: nothing is paginated' },
  },
  // sync-argocd-deploy-repo, wait: argocd (Argo CD's REST API, after the push)
  ...(
    [
      [
        'GET /api/v1/applications/{name}?refresh=normal (wait: argocd)',
        'ask Argo CD to compare the app with the pushed commit now',
        /(^|&)refresh=normal(&|$)/,
      ],
      [
        'GET /api/v1/applications/{name} (wait: argocd, each poll)',
        'Synced to the pushed commit and Healthy, or a failed sync, Degraded, refused',
        /^(?!.*refresh=)/,
      ],
    ] as const
  ).map(([request, purpose, query]): Row => ({
    action: 'sync-argocd-deploy-repo',
    request,
    purpose,
    scenario: 'sync argocd wait',
    service: 'argocd',
    method: 'GET',
    path: /^\/api\/v1\/applications\/web\.kustomized$/,
    query,
    shape: 'argocd',
    names: /applications\/web\.kustomized/,
    afterWrite: 'push of the release',
    na: { secondary: NO_SECONDARY },
  })),
  {
    action: 'sync-argocd-deploy-repo',
    request: 'POST git-upload-pack: fetch (wait: argocd, the later commit Argo CD reports)',
    purpose:
      'whether that commit carries the release: the commits after it, the app directory on both',
    scenario: 'sync argocd wait, later commit',
    service: 'github',
    method: 'POST',
    path: /\.git\/git-upload-pack$/,
    body: /command=fetch/,
    agent: /^git\/argocd-actions-wait/,
    shape: 'git',
    names: /whether that commit carries the release cannot be verified: read of/,
    afterWrite: 'push of the release',
    na: GIT_NA,
  },
]

/** Per-request timeouts the actions have today (none of them is an input). */
const CLIENT_TIMEOUT_MS: Record<Service | 'git', number> = {
  github: 30_000, // createGitHubClient requestTimeoutMs; an aborted attempt is retried 3 times
  gitlab: 30_000, // getJson timeoutMs (4 attempts within a 60 s deadline)
  bitbucket: 30_000,
  git: 60_000, // the smart-HTTP client's socket timeout
  aws: 20_000, // publish-ssm-token's SDK clients: requestTimeout per attempt, 3 attempts
  argocd: 30_000, // getJson through argocd-api.ts (4 attempts within a 60 s deadline)
}
const timeoutOf = (row: Row) => CLIENT_TIMEOUT_MS[row.shape === 'git' ? 'git' : row.service]

/** How long a cell may run before its bundle is killed ("no verdict"). */
function capOf(row: Row, kind: FaultKind): number {
  const github = row.service === 'github' && row.shape !== 'git'
  // A 429 every time: a GitHub client makes 16 attempts (plugin-retry × plugin-throttling).
  if (kind === '429') return github ? 240_000 : 180_000
  if (kind !== 'timeout') return 180_000
  // GitHub: 4 attempts of 30 s plus backoff (~145 s, the action's floor); GitLab/Bitbucket: a
  // 60 s deadline; git: one 60 s socket timeout, then the deadline; AWS: 3 attempts of 20 s plus backoff.
  return github ? 300_000 : 180_000
}
/** Cells that only wait for the clients' timeouts: they run in a wider pool of their own. */
const isSlow = (c: Cell) => c.kind === 'timeout'

// ---------------------------------------------------------------------------------------------
// Injecting one fault on one request

const pathname = (p: string) => new URL(p, 'http://x').pathname

function matcher(row: Row): (r: ProxiedRequest) => boolean {
  return (r) =>
    r.method === row.method &&
    row.path.test(pathname(r.path)) &&
    (!row.query || row.query.test(new URL(r.path, 'http://x').search.slice(1))) &&
    (!row.body ||
      row.body.test(`${r.headers['x-amz-target'] ?? ''}\n${r.body.toString('latin1')}`)) &&
    (!row.agent || row.agent.test(r.headers['user-agent'] ?? ''))
}

function wrongShape(row: Row): { body: unknown; headers?: Record<string, string> } {
  switch (row.shape) {
    case 'list':
      return { body: { message: 'not a list', total_count: 1 } }
    case 'object':
    case 'gitlab':
    case 'bitbucket':
    case 'argocd':
      return { body: [{ unexpected: true }] }
    case 'write':
      return { body: [] }
    case 'graphql':
      // A GraphQL answer, but not of the operation asked: data without its fields.
      return { body: { data: { unexpected: true } } }
    case 'git':
      // A well-formed but empty answer: a flush packet and nothing else.
      return {
        body: '0000',
        headers: {
          'content-type': `application/x-${row.path.source.includes('receive') ? 'git-receive-pack' : 'git-upload-pack'}-result`,
        },
      }
    case 'ssm':
      return {
        body: { Unexpected: true },
        headers: { 'content-type': 'application/x-amz-json-1.1' },
      }
    case 'sts':
      return {
        body: '<Response><Unexpected/></Response>',
        headers: { 'content-type': 'text/xml' },
      }
  }
}

function nullBody(row: Row): { body: unknown; headers?: Record<string, string> } {
  switch (row.shape) {
    case 'git':
      return {
        body: 'null',
        headers: {
          'content-type': `application/x-${row.path.source.includes('receive') ? 'git-receive-pack' : 'git-upload-pack'}-result`,
        },
      }
    case 'ssm':
      return { body: 'null', headers: { 'content-type': 'application/x-amz-json-1.1' } }
    case 'sts':
      return { body: '', headers: { 'content-type': 'text/xml' } }
    default:
      return { body: null }
  }
}

/** The service's own way of saying 500, 429 and (status 400) throttled. */
function serviceError(
  row: Row,
  status: number,
): { body: unknown; headers?: Record<string, string> } {
  if (row.shape === 'ssm') {
    // 429 and the 400 of the 'secondary' column both say ThrottlingException, as SSM does.
    const type = status === 500 ? 'InternalServerError' : 'ThrottlingException'
    return {
      body: {
        __type: type,
        message: status === 500 ? 'An error occurred on the server side.' : 'Rate exceeded',
      },
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type },
    }
  }
  if (row.shape === 'sts') {
    const code = status === 500 ? 'InternalFailure' : 'Throttling'
    return {
      body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>${status === 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code><Message>${status === 500 ? 'An internal error has occurred.' : 'Rate exceeded'}</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>`,
      headers: { 'content-type': 'text/xml' },
    }
  }
  if (row.shape === 'git')
    return {
      body: status === 500 ? 'Internal Server Error\n' : 'Too Many Requests\n',
      headers: { 'content-type': 'text/plain' },
    }
  if (row.shape === 'gitlab')
    return { body: { message: status === 500 ? '500 Internal Server Error' : 'Retry later' } }
  if (row.shape === 'argocd')
    // The gRPC gateway's error body: Internal (13), ResourceExhausted (8).
    return {
      body:
        status === 500
          ? { error: 'internal error', code: 13, message: 'internal error' }
          : { error: 'too many requests', code: 8, message: 'too many requests' },
    }
  if (row.shape === 'bitbucket')
    return {
      body: {
        type: 'error',
        error: {
          message:
            status === 500
              ? 'Something went wrong'
              : 'Rate limit for this resource has been exceeded',
        },
      },
    }
  return { body: { message: status === 500 ? 'Internal Server Error' : 'Too Many Requests' } }
}

function inject(world: World, row: Row, kind: FaultKind): void {
  const proxy = world.proxies[row.service]!
  const match = matcher(row)
  const foreignUrl = (r?: string) => `${world.foreign.url}${r ?? '/next'}`
  // GitHub REST requests take the GitHub double's own faults (its real rate-limit answers);
  // everything else, and what the double cannot play, goes through the proxy.
  const native = row.service === 'github' && !row.body && row.shape !== 'git'
  const respond = (status: number, a: { body: unknown; headers?: Record<string, string> }) =>
    proxy.injectFault({
      type: 'respond',
      status,
      body: a.body,
      headers: a.headers,
      match,
      times: EVERY_TIME,
    })
  const viaGithub = (f: Parameters<GitHubSandbox['injectFault']>[0]) =>
    world.github!.injectFault({
      ...f,
      method: row.method,
      path: row.path,
      times: EVERY_TIME,
    } as never)
  const ok = row.okStatus ?? 200
  switch (kind) {
    case '500':
      return native
        ? viaGithub({ type: 'status', status: 500 })
        : respond(500, serviceError(row, 500))
    case '502-html':
      return native
        ? viaGithub({ type: 'status', status: 502, body: HTML_502 })
        : respond(502, { body: HTML_502, headers: { 'content-type': 'text/html' } })
    case '429':
      if (native) return viaGithub({ type: 'rate-limit', retryAfter: 1 })
      {
        const e = serviceError(row, 429)
        return respond(429, { body: e.body, headers: { ...e.headers, 'retry-after': '1' } })
      }
    case 'secondary':
      if (native) return viaGithub({ type: 'secondary-rate-limit', retryAfter: 1 })
      if (row.shape === 'graphql')
        return respond(403, {
          body: {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
            documentation_url:
              'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          },
          headers: { 'retry-after': '1', 'content-type': 'application/json; charset=utf-8' },
        })
      return respond(400, serviceError(row, 400)) // AWS: ThrottlingException / Throttling
    case 'reset':
      return native
        ? viaGithub({ type: 'reset' })
        : proxy.injectFault({ type: 'reset', match, times: EVERY_TIME })
    case 'timeout': {
      const ms = timeoutOf(row) + 5_000
      return native
        ? viaGithub({ type: 'delay', ms })
        : proxy.injectFault({ type: 'delay', ms, match, times: EVERY_TIME })
    }
    case 'null': {
      const a = nullBody(row)
      return native ? viaGithub({ type: 'status', status: ok, body: null }) : respond(ok, a)
    }
    case 'wrong-shape': {
      const a = wrongShape(row)
      return native ? viaGithub({ type: 'status', status: ok, body: a.body }) : respond(ok, a)
    }
    case 'off-origin-redirect':
      return respond(302, {
        body: '',
        headers: { location: foreignUrl('/moved'), 'content-type': 'text/html' },
      })
    case 'off-origin-link':
      return proxy.injectFault({
        type: 'headers',
        match,
        times: EVERY_TIME,
        headers: {
          link: `<${foreignUrl('/next?page=2')}>; rel="next", <${foreignUrl('/next?page=3')}>; rel="last"`,
        },
      })
  }
}

// ---------------------------------------------------------------------------------------------
// Running and judging one cell

interface Cell {
  id: string
  row: Row
  kind: FaultKind
  na?: string
}

interface Verdict {
  id: string
  action: string
  request: string
  fault: FaultKind
  /** Empty: the cell holds. */
  failOpen: string[]
  unexplained: string[]
  exit: number | null
  error: string
  /** How many times the faulted request was made. */
  hits: number
  ms: number
}

function cellsOf(row: Row): Cell[] {
  return FAULTS.map((kind) => ({
    id: `${row.action} | ${row.request} | ${kind}`,
    row,
    kind,
    na:
      row.na?.[kind] ?? (kind === 'off-origin-link' && !row.paginated ? NOT_PAGINATED : undefined),
  }))
}

async function runCell(cell: Cell): Promise<Verdict> {
  const { row, kind } = cell
  const world = await SCENARIOS[row.scenario]()
  const started = Date.now()
  try {
    const before = world.state()
    inject(world, row, kind)
    const r = await runBundle(world.action, world.inputs, {
      env: world.env,
      timeoutMs: capOf(row, kind),
    })
    const failOpen: string[] = []
    const unexplained: string[] = []
    const error = r.errors.join('\n')
    const hits = world.proxies[row.service]!.requests.filter((q) =>
      matcher(row)({
        method: q.method,
        path: q.path,
        headers: q.headers,
        body: Buffer.from(q.body, 'latin1'),
      }),
    ).length
    if (!hits) unexplained.push('the request was never made (the matrix is out of date)')

    // After the write, `changed=true` is the truth: only the exit code claims success.
    const passed = row.afterWrite ? r.code === 0 : world.passed(r)
    // A client without a timeout waits the delay out and goes on with a good answer: that is a
    // hang waiting to happen, not a verdict built on an unreadable answer.
    const waitedOut = kind === 'timeout' && passed && r.durationMs >= timeoutOf(row) + 5_000
    if (waitedOut)
      unexplained.push(
        `no per-request timeout: waited ${Math.round(r.durationMs / 1000)} s for the answer and went on`,
      )
    // An off-origin Link on a page that is otherwise fine is readable: ignoring it is no failure.
    if (passed && kind !== 'off-origin-link' && !waitedOut)
      failOpen.push(`passed (exit ${r.code}, outputs ${JSON.stringify(pick(r.outputs))})`)
    // A write whose answer never came may still be carried out by the server after the client
    // gave up: nothing the client can prevent, so 'nothing written' is not asserted there.
    const serverMayFinish = kind === 'timeout' && row.method !== 'GET'
    // Beside an off-origin Link the page itself is fine: a pass may write what it would anyway.
    const readable = kind === 'off-origin-link' && passed
    if (!row.afterWrite && !waitedOut && !serverMayFinish && !readable && world.state() !== before)
      failOpen.push('wrote or pushed')
    if (world.foreign.requests.length) {
      const carried = [world.token, ...(world.secrets ?? [])].flatMap((t) =>
        world.foreign.carrying(t),
      ).length
      failOpen.push(
        `${world.foreign.requests.length} request(s) to the foreign origin${carried ? `, ${carried} with the token` : ''}`,
      )
    }
    const leaked = [world.token, ...(world.secrets ?? [])].flatMap((t) => leaks(r, t))
    if (leaked.length) failOpen.push(`token leaked: ${leaked.join(', ')}`)

    if (!passed) {
      if (r.code === null)
        unexplained.push(
          `still running when killed after ${capOf(row, kind) / 1000} s${r.errors.length ? ' (it had printed its error)' : ''}`,
        )
      if (r.code !== null && !r.errors.length)
        unexplained.push(
          `exit ${r.code} without ::error:: (${r.stderr.trim().split('\n').slice(-1)[0] ?? ''})`,
        )
      if (r.errors.length) {
        if (/a bug in argocd-actions/i.test(error))
          unexplained.push('says "a bug in argocd-actions"')
        if (!row.names.test(error)) unexplained.push('does not name the request')
        if (!CAUSES[kind](world.foreign.host).test(error))
          unexplained.push('does not name the cause')
      }
    }
    return {
      id: cell.id,
      action: row.action,
      request: row.request,
      fault: kind,
      failOpen,
      unexplained,
      exit: r.code,
      error: error.slice(0, 400),
      hits,
      ms: Date.now() - started,
    }
  } finally {
    await world.stop()
  }
}

const pick = (o: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(o).filter(([k]) => ['valid', 'changed', 'state', 'status-id'].includes(k)),
  )

async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        out[i] = await fn(items[i]!)
      }
    }),
  )
  return out
}

// ---------------------------------------------------------------------------------------------

const filter = process.env.FAULT_MATRIX ? new RegExp(process.env.FAULT_MATRIX, 'i') : undefined
const CONCURRENCY = Number(process.env.FAULT_MATRIX_CONCURRENCY) || 24
// Every GitHub double removes its temp directory on exit: one listener each.
process.setMaxListeners(CONCURRENCY * 4 + 20)

const ALL = ROWS.flatMap(cellsOf)
const SELECTED = ALL.filter((c) => !filter || filter.test(c.id))
const APPLICABLE = SELECTED.filter((c) => !c.na)

function requestTable(): string {
  const lines = ['| action | request | purpose | not applicable |', '| --- | --- | --- | --- |']
  for (const r of ROWS) {
    const na = FAULTS.filter((k) => cellsOf(r).find((c) => c.kind === k)?.na)
      .map((k) => `${k}: ${cellsOf(r).find((c) => c.kind === k)!.na}`)
      .join('; ')
    lines.push(`| ${r.action} | ${r.request} | ${r.purpose} | ${na || '—'} |`)
  }
  return lines.join('\n')
}

describe('fault matrix', () => {
  // Every scenario passes without faults: otherwise a failing cell would prove nothing.
  test('each scenario passes when nothing fails, and makes every request of its rows', async () => {
    const scenarios = [...new Set(SELECTED.map((c) => c.row.scenario))]
    const problems: string[] = []
    await pool(scenarios, CONCURRENCY, async (name) => {
      const world = await SCENARIOS[name]()
      try {
        const r = await runBundle(world.action, world.inputs, {
          env: world.env,
          timeoutMs: 120_000,
        })
        if (!world.passed(r) || r.code !== 0)
          problems.push(`${name}: exit ${r.code}: ${r.errors.join(' ')} ${r.stderr.slice(-300)}`)
        for (const row of ROWS.filter((x) => x.scenario === name)) {
          const seen = world.proxies[row.service]!.requests.some((q) =>
            matcher(row)({
              method: q.method,
              path: q.path,
              headers: q.headers,
              body: Buffer.from(q.body, 'latin1'),
            }),
          )
          if (!seen) problems.push(`${name}: no request matches row '${row.request}'`)
        }
        if (world.foreign.requests.length) problems.push(`${name}: the foreign origin was called`)
        const leaked = [world.token, ...(world.secrets ?? [])].flatMap((t) => leaks(r, t))
        if (leaked.length) problems.push(`${name}: token leaked: ${leaked.join(', ')}`)
      } finally {
        await world.stop()
      }
    })
    expect(problems).toEqual([])
  }, 300_000)

  test('no cell fails open, and every failure is explained', async () => {
    // Timeout cells only wait: they get a pool of their own, so their long waits overlap.
    const started = Date.now()
    const [slow, fast] = await Promise.all([
      pool(APPLICABLE.filter(isSlow), CONCURRENCY * 2, runCell),
      pool(
        APPLICABLE.filter((c) => !isSlow(c)),
        CONCURRENCY,
        runCell,
      ),
    ])
    const verdicts = [...slow, ...fast]
    const byId = new Map(verdicts.map((v) => [v.id, v]))
    const failOpen = verdicts.filter((v) => v.failOpen.length)
    const unexplained = verdicts.filter((v) => !v.failOpen.length && v.unexplained.length)

    const mark = (c: Cell) => {
      if (c.na) return '—'
      const v = byId.get(c.id)
      if (!v) return ' '
      return v.failOpen.length ? 'OPEN' : v.unexplained.length ? '?' : 'ok'
    }
    const grid = [
      `| action | request | ${FAULTS.join(' | ')} |`,
      `| --- | --- | ${FAULTS.map(() => '---').join(' | ')} |`,
      ...ROWS.filter((r) => SELECTED.some((c) => c.row === r)).map(
        (r) => `| ${r.action} | ${r.request} | ${cellsOf(r).map(mark).join(' | ')} |`,
      ),
    ].join('\n')
    const details = [...failOpen, ...unexplained]
      .map(
        (v) =>
          `- ${v.id}: ${[...v.failOpen.map((f) => `FAIL-OPEN ${f}`), ...v.unexplained].join('; ')}${v.error ? `\n    error: ${v.error.replace(/\n/g, ' ')}` : ''}`,
      )
      .join('\n')
    const summary =
      `fault matrix: ${ALL.length} cells (${ROWS.length} requests × ${FAULTS.length} faults), ` +
      `${SELECTED.length} selected, ${SELECTED.length - APPLICABLE.length} not applicable, ${APPLICABLE.length} run ` +
      `in ${Math.round((Date.now() - started) / 1000)} s; fail-open cells: ${failOpen.length}; unexplained failures: ${unexplained.length}`
    console.log(
      `${summary}\n\nfaults: ${FAULTS.map((k) => `${k} = ${FAULT_LABELS[k]}`).join('; ')}\n\n` +
        `requests:\n${requestTable()}\n\nverdicts (ok, OPEN = fails open, ? = unexplained, — = not applicable):\n${grid}\n\n${details}`,
    )
    await mkdir(path.join(repoRoot, 'reports'), { recursive: true })
    await writeFile(
      path.join(repoRoot, 'reports', 'fault-matrix.json'),
      JSON.stringify(
        {
          summary,
          faults: FAULT_LABELS,
          requests: ROWS.map((r) => ({
            action: r.action,
            request: r.request,
            purpose: r.purpose,
            notApplicable: Object.fromEntries(
              cellsOf(r)
                .filter((c) => c.na)
                .map((c) => [c.kind, c.na]),
            ),
          })),
          verdicts,
        },
        null,
        2,
      ),
    )
    expect({ failOpen: failOpen.map((v) => v.id) }).toEqual({ failOpen: [] })
    expect({ unexplained: unexplained.map((v) => v.id) }).toEqual({ unexplained: [] })
  }, 900_000)
})
