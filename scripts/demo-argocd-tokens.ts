/**
 * The Argo CD part of `npm start` that audits CI's Argo CD tokens (issue 15 part 1): the
 * validate-pat-scopes bundle, run as the runner runs it, against the Argo CD sandbox. A project
 * role's token scoped to the release's applications fits `argocd-ci-sync`; a local account's API
 * key with role:admin does not (excess everywhere, and broader than any project role's token).
 * Called from scripts/demo-argocd.ts; test/e2e/demo-argocd-tokens.test.ts asserts on the outcome.
 */
import { runBundle, type ArgoCdSandbox, type BundleRun } from '@argocd-actions/sandbox'

export interface ArgoCdTokenStep {
  title: string
  run: BundleRun
}

export interface ArgoCdTokenAudit {
  steps: ArgoCdTokenStep[]
  /** The project role's token that fits argocd-ci-sync: the release may wait with it. */
  projectToken: string
  /** The project token fits, and the account token was refused for its excess. */
  ok: boolean
}

export interface ArgoCdTokenAuditOptions {
  /** The release's AppProject; default 'web'. */
  project?: string
  /** The release's applications (`<namespace>.<app>`); default ['web.web-app']. */
  applications?: string[]
  /**
   * A project role's token to audit instead of creating the project: for a caller that set the
   * project up itself (the sandbox refuses to add a project twice).
   */
  projectToken?: string
  /** policy.csv lines the caller needs kept: setPolicy replaces the whole policy. */
  policy?: string
  /**
   * Runs one bundle as a step of the caller's demo (scripts/demo-argocd.ts's `ctx.step`, which
   * prints and records it); default: runBundle, and `log` is told.
   */
  step?: (title: string, action: string, inputs: Record<string, string>) => Promise<BundleRun>
}

const DAY = 86_400

/**
 * Adds `project` with a role `ci` that may get and sync exactly `applications`, and mints its
 * token (60 days): what a CI job should hold. Call before watchDeployRepo, which adds the project
 * only when it is missing.
 */
export function addCiProject(
  argocd: ArgoCdSandbox,
  project: string,
  applications: string[],
): string {
  argocd.addProject(project, {
    roles: [
      {
        name: 'ci',
        policies: applications.flatMap((app) =>
          ['get', 'sync'].map(
            (a) => `p, proj:${project}:ci, applications, ${a}, ${project}/${app}, allow`,
          ),
        ),
      },
    ],
  })
  return argocd.projectToken(project, 'ci', { expiresInSeconds: 60 * DAY })
}

export async function demoArgoCdTokenAudit(
  argocd: ArgoCdSandbox,
  log: (step: ArgoCdTokenStep) => void = () => {},
  opts: ArgoCdTokenAuditOptions = {},
): Promise<ArgoCdTokenAudit> {
  const project = opts.project ?? 'web'
  const applications = opts.applications ?? ['web.web-app']
  const projectToken = opts.projectToken ?? addCiProject(argocd, project, applications)
  // The over-broad one: a CI account someone made admin "to get it working", with no expiry.
  argocd.addAccount('ci-bot', { capabilities: ['apiKey'] })
  argocd.setPolicy([opts.policy?.trim(), 'g, ci-bot, role:admin'].filter(Boolean).join('\n'))
  const accountToken = argocd.accountToken('ci-bot')

  const steps: ArgoCdTokenStep[] = []
  const audit = async (title: string, token: string, name: string) => {
    const inputs = {
      token,
      profile: 'argocd-ci-sync',
      'api-url': argocd.url,
      'argocd-project': project,
      'argocd-applications': applications.join(', '),
      name,
    }
    const run = opts.step
      ? await opts.step(title, 'validate-pat-scopes', inputs)
      : await runBundle('validate-pat-scopes', inputs)
    const step = { title, run }
    steps.push(step)
    log(step)
    return run
  }
  const fits = await audit(
    `validate the Argo CD project token (role ci of ${project})`,
    projectToken,
    'argocd/ci/nonprod',
  )
  const broad = await audit(
    'validate the Argo CD account token ci-bot (role:admin, no expiry: refused)',
    accountToken,
    'argocd/ci/admin',
  )
  return { steps, projectToken, ok: fits.code === 0 && broad.code === 1 }
}
