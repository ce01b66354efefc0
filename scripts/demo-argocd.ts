/**
 * The Argo CD part of `npm start` (issue 15): an Argo CD API server on loopback, following the
 * demo's nonprod deploy repository like the ApplicationSet and application controller do; the CI
 * token's audit (scripts/demo-argocd-tokens.ts: a project role's token fits, an over-broad
 * account token is refused); then a release that waits for Argo CD itself with the project token
 * (`wait: argocd`): no commit status, no notifications token.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import {
  startArgoCdSandbox,
  type ArgoCdAppState,
  type ArgoCdSandbox,
  type BundleRun,
  type GitHubSandbox,
} from '@argocd-actions/sandbox'
import { addCiProject, demoArgoCdTokenAudit } from './demo-argocd-tokens.js'

export interface ArgoCdDemoContext {
  gh: GitHubSandbox
  /** The demo's workspace (GITHUB_WORKSPACE of every step). */
  workspace: string
  /** Runs one bundle as a step of the demo (printed, kept in the outcome). */
  step: (title: string, action: string, inputs: Record<string, string>) => Promise<BundleRun>
  deployRepo: string
  /** The cluster's apps directory in the deploy repository. */
  path: string
  appRepository: string
  /** The deploy token of that repository. */
  token: string
}

export interface ArgoCdDemoOutcome {
  /** The audit judged both tokens as expected, and the release is Synced and Healthy. */
  ok: boolean
  /** The project token fits argocd-ci-sync, the admin account token was refused. */
  auditOk: boolean
  /** The deploy commit the release waited for. */
  revision: string
  /** The application as the Argo CD double holds it afterwards. */
  app?: ArgoCdAppState
}

const PROJECT = 'web'
const APP = 'web.web-app'

export async function runArgoCdDemo(ctx: ArgoCdDemoContext): Promise<ArgoCdDemoOutcome> {
  const argocd: ArgoCdSandbox = await startArgoCdSandbox({ github: ctx.gh })
  try {
    // The CI role: read and sync the release's application in its project, nothing else.
    const ciToken = addCiProject(argocd, PROJECT, [APP])
    argocd.watchDeployRepo(ctx.deployRepo, { project: PROJECT })
    const audit = await demoArgoCdTokenAudit(argocd, () => {}, {
      project: PROJECT,
      applications: [APP],
      projectToken: ciToken,
      step: ctx.step,
    })

    // The next release of web-app (two replicas), from a new application commit.
    const appCommit = ctx.gh.addCommit(ctx.appRepository, {
      branch: 'main',
      message: 'feat: two replicas',
    })
    await mkdir(path.join(ctx.workspace, 'rendered-argocd'), { recursive: true })
    await writeFile(
      path.join(ctx.workspace, 'rendered-argocd', 'resources.yaml'),
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
        'spec:',
        '  replicas: 2',
        '',
      ].join('\n'),
    )
    const run = await ctx.step(
      'sync to nonprod and wait for Argo CD itself (wait: argocd)',
      'sync-argocd-deploy-repo',
      {
        token: ctx.token,
        repository: ctx.deployRepo,
        path: ctx.path,
        namespace: 'web',
        application: 'web-app',
        manifests: 'rendered-argocd',
        'app-repository': ctx.appRepository,
        'app-commit': appCommit,
        'git-url': ctx.gh.url,
        'github-api-url': ctx.gh.url,
        wait: 'argocd',
        'argocd-url': argocd.url,
        'argocd-token': ciToken,
        'wait-timeout-seconds': '60',
      },
    )
    const revision = run.outputs.sha ?? ''
    const app = argocd.application(APP)
    const ok =
      audit.ok &&
      run.code === 0 &&
      run.outputs['sync-status'] === 'Synced' &&
      run.outputs['health-status'] === 'Healthy' &&
      run.outputs['argocd-revision'] === revision &&
      app?.revision === revision
    return { ok, auditOk: audit.ok, revision, app }
  } finally {
    await argocd.stop()
  }
}
