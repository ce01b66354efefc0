/**
 * The demo's last section: audit the tokens stored in SSM in the four accounts with
 * publish-ssm-token `mode: audit`, after planting the drift a half-done rotation leaves behind
 * (plat-staging still holds the previous notifications token, which expires soonest).
 */
import type { BundleRun, GitHubSandbox } from '@argocd-actions/sandbox'

const DAY = 86_400_000
const NOTIFICATIONS = '/argocd/notifications/notifiers/common/github-token'
const API_KEY = '/argocd/github/api_key'

/** A stored token, as the action's `results` output lists each target (no token in it). */
export interface AuditedTarget {
  account: string
  region: string
  name: string
  verdict: string
  daysLeft: number | null
  sameAs: string | null
  lastModified: string | null
}

export interface SsmAuditOutcome {
  /** Every audit and the plant ran as expected. */
  ok: boolean
  /** Each audit's targets, by title. */
  audits: Record<string, AuditedTarget[]>
  /** `account name` of the targets holding an older token than the other accounts. */
  drift: string[]
  /** The token that expires soonest: its days left and where it is stored. */
  soonest: { daysLeft: number; targets: string[] } | null
  /** What the failing audits reported, in the action's words (its ::error:: lines). */
  problems: string[]
}

export interface SsmAuditContext {
  gh: GitHubSandbox
  /** Runs a bundle as one step of the demo (printed, recorded). */
  step: (
    title: string,
    action: string,
    inputs: Record<string, string>,
    env?: Record<string, string>,
  ) => Promise<BundleRun>
  /** The job's AWS credentials (core-auto's) and the sandbox endpoints. */
  awsEnv: Record<string, string>
  accounts: Record<'core-auto' | 'plat-dev' | 'plat-staging' | 'plat-prod', string>
  region: string
  repos: { nonprod: string; prod: string; app: string }
}

export async function auditStoredTokensDemo(ctx: SsmAuditContext): Promise<SsmAuditOutcome> {
  const { gh, accounts, region, repos } = ctx
  const target = (account: string, name: string) =>
    account === accounts['core-auto']
      ? `- { account-id: "${account}", region: ${region}, name: ${name} }`
      : `- { account-id: "${account}", role-arn: "arn:aws:iam::${account}:role/publish-tokens", region: ${region}, name: ${name} }`
  const notificationsTargets = (names: Array<keyof typeof accounts>) =>
    names.map((a) => target(accounts[a], NOTIFICATIONS)).join('\n')
  const notificationsToken = (days: number) =>
    gh.addToken({
      kind: 'classic',
      login: 'acme-bot',
      scopes: ['repo:status'],
      expiresAt: new Date(Date.now() + days * DAY),
    })
  const publish = (title: string, token: string, accountNames: Array<keyof typeof accounts>) =>
    ctx.step(
      title,
      'publish-ssm-token',
      {
        token,
        profile: 'argocd-notifications',
        repositories: `{ app: ${repos.app} }`,
        targets: notificationsTargets(accountNames),
      },
      ctx.awsEnv,
    )

  // The plant: a rotation that reached two of the three accounts. First the token in use, which
  // expires in 9 days, everywhere; then its successor, everywhere but plat-staging.
  const previous = await publish(
    'drift: the previous notifications token (expires in 9 days) in plat-dev, plat-staging, plat-prod',
    notificationsToken(9),
    ['plat-dev', 'plat-staging', 'plat-prod'],
  )
  // SSM dates have whole seconds here: the rotation must come in a later one to be the newest.
  await new Promise((r) => setTimeout(r, 1100))
  const rotated = await publish(
    'drift: its successor reaches plat-dev and plat-prod only (plat-staging missed the rotation)',
    notificationsToken(180),
    ['plat-dev', 'plat-prod'],
  )

  // The audit: each stored token against its role, in every account that holds one.
  const audit = (
    title: string,
    profile: string,
    repositories: string,
    targets: Array<[keyof typeof accounts, string]>,
  ) =>
    ctx.step(
      title,
      'publish-ssm-token',
      {
        mode: 'audit',
        profile,
        repositories,
        targets: targets.map(([a, name]) => target(accounts[a], name)).join('\n'),
      },
      ctx.awsEnv,
    )
  const runs: Array<[string, BundleRun, boolean]> = []
  const record = async (run: Promise<BundleRun>, title: string, passes: boolean) =>
    runs.push([title, await run, passes])
  let title = 'audit argocd/terraform/argocd-repo in core-auto'
  await record(
    audit(
      title,
      'argocd-deploy-repo-admin',
      `{ deploy: ${repos.nonprod}, deploy-prod: ${repos.prod} }`,
      [['core-auto', API_KEY]],
    ),
    title,
    true,
  )
  title = 'audit argocd/terraform-webhooks/nonprod in plat-dev, plat-staging'
  await record(
    audit(title, 'argocd-webhooks', `{ deploy: ${repos.nonprod} }`, [
      ['plat-dev', API_KEY],
      ['plat-staging', API_KEY],
    ]),
    title,
    true,
  )
  // The over-scoped prod webhook token was refused earlier: plat-prod has none.
  title = 'audit argocd/terraform-webhooks/prod in plat-prod (missing)'
  await record(
    audit(title, 'argocd-webhooks', `{ deploy: ${repos.prod} }`, [['plat-prod', API_KEY]]),
    title,
    false,
  )
  title = 'audit ARGOCD_APP_NOTIFICATIONS in plat-dev, plat-staging, plat-prod (drift)'
  await record(
    audit(title, 'argocd-notifications', `{ app: ${repos.app} }`, [
      ['plat-dev', NOTIFICATIONS],
      ['plat-staging', NOTIFICATIONS],
      ['plat-prod', NOTIFICATIONS],
    ]),
    title,
    false,
  )

  const audits: Record<string, AuditedTarget[]> = {}
  for (const [t, run] of runs) audits[t] = parseResults(run.outputs.results)
  const all = Object.values(audits).flat()
  const drift = Object.values(audits).flatMap(olderTokens)
  // Each audit's `min-days-left` output: the soonest expiry among its targets.
  const days = runs
    .map(([, run]) => run.outputs['min-days-left'])
    .filter((d) => /^-?\d+$/.test(d ?? ''))
    .map(Number)
  const min = Math.min(...days)
  const soonest = days.length
    ? {
        daysLeft: min,
        targets: all.filter((a) => a.daysLeft === min).map((a) => `${a.account} ${a.name}`),
      }
    : null
  const ok =
    previous.code === 0 &&
    rotated.code === 0 &&
    runs.every(([, run, passes]) => (run.code === 0) === passes)
  // The last error line of a failed step only counts the problems listed before it.
  const problems = runs.flatMap(([, run]) => run.errors.slice(0, -1))
  return { ok, audits, drift, soonest, problems }
}

function parseResults(text: string | undefined): AuditedTarget[] {
  try {
    const list = JSON.parse(text ?? '')
    return Array.isArray(list) ? list : []
  } catch {
    return []
  }
}

/** Targets whose token group was written before another group's: they missed a rotation. */
function olderTokens(targets: AuditedTarget[]): string[] {
  const newest = new Map<string, string>()
  for (const t of targets)
    if (t.sameAs && (t.lastModified ?? '') > (newest.get(t.sameAs) ?? ''))
      newest.set(t.sameAs, t.lastModified ?? '')
  if (newest.size < 2) return []
  const latest = [...newest].sort((a, b) => b[1].localeCompare(a[1]))[0][0]
  return targets.filter((t) => t.sameAs && t.sameAs !== latest).map((t) => `${t.account} ${t.name}`)
}
