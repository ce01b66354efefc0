/**
 * The main job on the built-in sandbox: the seed's whole token and release flow, run with the real
 * bundles the way the GitHub runner runs them. Used by `npm start` (scripts/demo.ts) and by a test
 * that asserts on its outcome (test/e2e/demo.test.ts).
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  runBundle,
  startAwsSandbox,
  startGitHubSandbox,
  type BundleRun,
  type StoredParameter,
} from '@argocd-actions/sandbox'
import { auditStoredTokensDemo, type SsmAuditOutcome } from './demo-ssm-audit.js'
import { runArgoCdDemo, type ArgoCdDemoOutcome } from './demo-argocd.js'

export interface DemoStep {
  title: string
  run: BundleRun
}

export interface DemoOutcome {
  ok: boolean
  steps: DemoStep[]
  /** SSM parameters written, per account. */
  parameters: StoredParameter[]
  /** The app's files in each deploy repo after the release. */
  deployed: Record<'nonprod' | 'prod', Record<string, string>>
  /** continuous-delivery statuses on the app commit. */
  statuses: Array<{ state: string; context: string; description: string | null }>
  /** Where the deploy repositories were copied for inspection. */
  inspect?: string
  /** The audit of the tokens stored in SSM, last (scripts/demo-ssm-audit.ts). */
  ssmAudit: SsmAuditOutcome
  /** The release that waited for Argo CD itself (scripts/demo-argocd.ts). */
  argocd?: ArgoCdDemoOutcome
}

const ORG = 'acme'
const NONPROD = `${ORG}/argocd-deploy-non-prod`
const PROD = `${ORG}/argocd-deploy-prod`
const INFRA = `${ORG}/infra-repo`
const APP = `${ORG}/web-app`
const ACCOUNTS = {
  'core-auto': '111111111111',
  'plat-dev': '222222222222',
  'plat-staging': '333333333333',
  'plat-prod': '444444444444',
}
const REGION = 'us-east-2'
const DAY = 86_400_000

export async function runDemo(
  opts: { inspectDir?: string; onStep?: (s: DemoStep) => void } = {},
): Promise<DemoOutcome> {
  const gh = await startGitHubSandbox()
  const aws = await startAwsSandbox()
  const workspace = await mkdtemp(path.join(tmpdir(), 'argocd-demo-'))
  const steps: DemoStep[] = []
  const step = async (
    title: string,
    action: string,
    inputs: Record<string, string>,
    env: Record<string, string> = {},
  ) => {
    const run = await runBundle(action, inputs, {
      env: { GITHUB_WORKSPACE: workspace, GITHUB_REPOSITORY: APP, ...env },
      timeoutMs: 120_000,
    })
    const s = { title, run }
    steps.push(s)
    opts.onStep?.(s)
    return run
  }
  try {
    // GitHub: the org, the deploy repos (with the ApplicationSet Terraform wrote), the environment map, the app.
    gh.addOrg(ORG, { members: ['acme-bot'] })
    for (const [repo, cluster] of [
      [NONPROD, 'plat/use2-dev'],
      [PROD, 'plat/use2-prod'],
    ]) {
      gh.addRepo(repo, {
        git: true,
        files: {
          [`${cluster}/argocd/applicationset.yaml`]:
            'kind: ApplicationSet # managed by Terraform\n',
        },
      })
      // A real sync takes seconds; and a success stamped with the push's own second that is already
      // there when the wait begins cannot be told from an older one (GitHub stamps whole seconds),
      // so the wait rightly ignores it. 1.5 s puts the success in a later second, under any load.
      gh.enableArgoCd(repo, { delayMs: 1500 })
    }
    gh.addRepo(INFRA, {
      git: true,
      files: {
        '.github/environments/argocd.yml': [
          'environments:',
          '  dev:',
          `    repository: ${NONPROD}`,
          '    cluster: plat/use2-dev',
          '  prod:',
          `    repository: ${PROD}`,
          '    cluster: plat/use2-prod',
          '',
        ].join('\n'),
      },
    })
    gh.addRepo(APP)
    const appCommit = gh.addCommit(APP, { branch: 'main', message: 'feat: new landing page' })
    const expiresAt = new Date(Date.now() + 90 * DAY)
    const fine = (
      repositories: string[],
      permissions: Record<string, 'read' | 'write'>,
      extra = {},
    ) =>
      gh.addToken({
        kind: 'fine-grained',
        login: 'acme-bot',
        owner: ORG,
        repositories,
        permissions,
        expiresAt,
        ...extra,
      })
    // The seed's six tokens; the prod webhook token was made with more than it needs.
    const tokens = {
      admin: fine(
        [NONPROD, PROD],
        { administration: 'write', contents: 'write' },
        { orgPermissions: { members: 'read' } },
      ),
      webhooksNonprod: fine([NONPROD], { repository_hooks: 'write' }),
      webhooksProd: fine([PROD], { repository_hooks: 'write', contents: 'write' }),
      notifications: gh.addToken({
        kind: 'classic',
        login: 'acme-bot',
        scopes: ['repo:status'],
        expiresAt,
      }),
      releaseNonprod: fine([NONPROD, INFRA], { contents: 'write' }),
      releaseProd: fine([PROD, INFRA], { contents: 'write' }),
    }

    // AWS: the four accounts; the job's credentials are core-auto's, with roles into the others.
    for (const account of Object.values(ACCOUNTS)) aws.addAccount(account)
    for (const account of Object.values(ACCOUNTS).slice(1))
      aws.addRole(`arn:aws:iam::${account}:role/publish-tokens`, { trust: [ACCOUNTS['core-auto']] })
    const creds = aws.addCredentials({
      accountId: ACCOUNTS['core-auto'],
      principal: 'role/github-actions',
    })
    const awsEnv = {
      AWS_ACCESS_KEY_ID: creds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL: aws.url,
      GITHUB_API_URL: gh.url,
    }

    // 1. Validate every token against its role.
    const roles: Array<[string, string, string, string]> = [
      [
        'argocd/terraform/argocd-repo',
        tokens.admin,
        'argocd-deploy-repo-admin',
        `{ deploy: ${NONPROD}, deploy-prod: ${PROD} }`,
      ],
      [
        'argocd/terraform-webhooks/nonprod',
        tokens.webhooksNonprod,
        'argocd-webhooks',
        `{ deploy: ${NONPROD} }`,
      ],
      [
        'argocd/terraform-webhooks/prod',
        tokens.webhooksProd,
        'argocd-webhooks',
        `{ deploy: ${PROD} }`,
      ],
      ['ARGOCD_APP_NOTIFICATIONS', tokens.notifications, 'argocd-notifications', `{ app: ${APP} }`],
      [
        'argocd/github/nonprod',
        tokens.releaseNonprod,
        'argocd-release',
        `{ deploy: ${NONPROD}, infra: ${INFRA} }`,
      ],
      [
        'argocd/github/prod',
        tokens.releaseProd,
        'argocd-release',
        `{ deploy: ${PROD}, infra: ${INFRA} }`,
      ],
    ]
    for (const [name, token, profile, repositories] of roles) {
      await step(`validate ${name}`, 'validate-pat-scopes', {
        token,
        profile,
        repositories,
        name,
        'api-url': gh.url,
      })
    }

    // 2. Publish to SSM in the accounts the seed names; validation refuses the over-scoped one.
    const publish = (title: string, token: string, inputs: Record<string, string>) =>
      step(title, 'publish-ssm-token', { token, ...inputs }, awsEnv)
    const target = (account: string, name: string) =>
      `- { account-id: "${account}", role-arn: "arn:aws:iam::${account}:role/publish-tokens", region: ${REGION}, name: ${name} }`
    await publish('publish argocd/terraform/argocd-repo to core-auto', tokens.admin, {
      name: 'argocd/github/api_key',
      profile: 'argocd-deploy-repo-admin',
      repositories: `{ deploy: ${NONPROD}, deploy-prod: ${PROD} }`,
      'expected-account-id': ACCOUNTS['core-auto'],
      tags: '{ team: platform }',
    })
    await publish(
      'publish argocd/terraform-webhooks/nonprod to plat-dev and plat-staging',
      tokens.webhooksNonprod,
      {
        profile: 'argocd-webhooks',
        repositories: `{ deploy: ${NONPROD} }`,
        targets: [
          target(ACCOUNTS['plat-dev'], '/argocd/github/api_key'),
          target(ACCOUNTS['plat-staging'], '/argocd/github/api_key'),
        ].join('\n'),
      },
    )
    await publish(
      'publish argocd/terraform-webhooks/prod to plat-prod (refused: over-scoped)',
      tokens.webhooksProd,
      {
        profile: 'argocd-webhooks',
        repositories: `{ deploy: ${PROD} }`,
        targets: target(ACCOUNTS['plat-prod'], '/argocd/github/api_key'),
      },
    )
    await publish(
      'publish ARGOCD_APP_NOTIFICATIONS to plat-dev, plat-staging, plat-prod',
      tokens.notifications,
      {
        profile: 'argocd-notifications',
        repositories: `{ app: ${APP} }`,
        targets: ['plat-dev', 'plat-staging', 'plat-prod']
          .map((a) =>
            target(
              ACCOUNTS[a as keyof typeof ACCOUNTS],
              '/argocd/notifications/notifiers/common/github-token',
            ),
          )
          .join('\n'),
      },
    )

    // 3. Release: render, sync nonprod, wait for Argo CD, then promote to prod.
    await mkdir(path.join(workspace, 'rendered'))
    await writeFile(
      path.join(workspace, 'rendered', 'resources.yaml'),
      [
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: web-app',
        '  annotations:',
        '    outputs.platform.cloudposse.com/webapp-url: https://web-app.acme.test',
        '---',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web-app',
        '',
      ].join('\n'),
    )
    let ok = true
    for (const [environment, token] of [
      ['dev', tokens.releaseNonprod],
      ['prod', tokens.releaseProd],
    ] as const) {
      // Both environments' Argo CD post the same context on the same app commit, and GitHub keeps
      // whole seconds: start prod's release in a later second than dev's success.
      if (environment === 'prod') await new Promise((r) => setTimeout(r, 1100))
      const sync = await step(`sync the release to ${environment}`, 'sync-argocd-deploy-repo', {
        token,
        environment,
        'infra-repository': INFRA,
        namespace: 'web',
        application: 'web-app',
        manifests: 'rendered',
        'app-repository': APP,
        'app-commit': appCommit,
        'git-url': gh.url,
        'github-api-url': gh.url,
      })
      if (sync.code !== 0) {
        ok = false
        break
      }
      const wait = await step(`wait for Argo CD in ${environment}`, 'set-commit-status', {
        token: tokens.notifications,
        mode: 'wait',
        repository: APP,
        sha: appCommit,
        context: sync.outputs['status-context'],
        'created-after': sync.outputs['pushed-at'],
        'interval-seconds': '1',
        'timeout-seconds': '60',
        'github-api-url': gh.url,
      })
      if (wait.code !== 0) {
        ok = false
        break
      }
    }

    // 4. Argo CD itself: the next release to nonprod waits for its API, not for a commit status.
    const argocd = ok
      ? await runArgoCdDemo({
          gh,
          workspace,
          step: (title, action, inputs) => step(title, action, inputs),
          deployRepo: NONPROD,
          path: 'plat/use2-dev/apps',
          appRepository: APP,
          token: tokens.releaseNonprod,
        })
      : undefined

    const deployed = {
      nonprod: pick(gh.tree(NONPROD, 'main'), 'plat/use2-dev/apps/web/web-app/'),
      prod: pick(gh.tree(PROD, 'main'), 'plat/use2-prod/apps/web/web-app/'),
    }
    let inspect: string | undefined
    if (opts.inspectDir) {
      inspect = opts.inspectDir
      await rm(inspect, { recursive: true, force: true })
      for (const repo of [NONPROD, PROD])
        await cp(gh.gitDir(repo), path.join(inspect, `${repo.split('/')[1]}.git`), {
          recursive: true,
        })
    }
    const expected = [
      true,
      true,
      false,
      true,
      true,
      true,
      true,
      true,
      false,
      true,
      true,
      true,
      true,
      true,
    ]
    ok =
      ok &&
      !!argocd?.ok &&
      steps.slice(0, expected.length).every((s, i) => (s.run.code === 0) === expected[i])
    const ssmAudit = await auditStoredTokensDemo({
      gh,
      step,
      awsEnv,
      accounts: ACCOUNTS,
      region: REGION,
      repos: { nonprod: NONPROD, prod: PROD, app: APP },
    })
    ok = ok && ssmAudit.ok
    return {
      ok,
      steps,
      parameters: aws.parameters(),
      deployed,
      statuses: gh
        .statuses(APP, appCommit)
        .map((s) => ({ state: s.state, context: s.context, description: s.description })),
      inspect,
      ssmAudit,
      argocd,
    }
  } finally {
    await gh.stop()
    await aws.stop()
    await rm(workspace, { recursive: true, force: true })
  }
}

function pick(tree: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tree)
      .filter(([p]) => p.startsWith(prefix))
      .map(([p, c]) => [p.slice(prefix.length), c]),
  )
}
