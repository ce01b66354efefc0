import { leaks } from '@argocd-actions/sandbox'
import { runDemo } from '../../scripts/demo-flow.js'

// `npm start`'s flow, end to end: the outcome, not the printout.
test('the main job: tokens validated and published, the app released to nonprod then prod', async () => {
  const outcome = await runDemo()
  const failed = outcome.steps.filter((s) => s.run.code !== 0).map((s) => s.title)
  expect(failed).toEqual([
    'validate argocd/terraform-webhooks/prod',
    'publish argocd/terraform-webhooks/prod to plat-prod (refused: over-scoped)',
    'validate the Argo CD account token ci-bot (role:admin, no expiry: refused)',
    'audit argocd/terraform-webhooks/prod in plat-prod (missing)',
    'audit ARGOCD_APP_NOTIFICATIONS in plat-dev, plat-staging, plat-prod (drift)',
  ])
  expect(outcome.ok).toBe(true)

  const stored = outcome.parameters.map((p) => `${p.accountId} ${p.name}`).sort()
  expect(stored).toEqual([
    '111111111111 /argocd/github/api_key',
    '222222222222 /argocd/github/api_key',
    '222222222222 /argocd/notifications/notifiers/common/github-token',
    '333333333333 /argocd/github/api_key',
    '333333333333 /argocd/notifications/notifiers/common/github-token',
    '444444444444 /argocd/notifications/notifiers/common/github-token',
  ])
  // The over-scoped prod webhook token never reached plat-prod's /argocd/github/api_key.
  expect(outcome.parameters.every((p) => p.type === 'SecureString')).toBe(true)

  for (const env of ['nonprod', 'prod'] as const) {
    expect(Object.keys(outcome.deployed[env]).sort()).toEqual([
      'config.yaml',
      'manifests/resources.yaml',
    ])
    expect(outcome.deployed[env]['config.yaml']).toContain('name: web.web-app')
    expect(outcome.deployed[env]['config.yaml']).toContain(
      'app_hostname: https://web-app.acme.test',
    )
  }
  // The release that waited for Argo CD itself: Synced to its deploy commit, Healthy.
  expect(outcome.argocd).toMatchObject({
    ok: true,
    auditOk: true,
    app: { revision: outcome.argocd!.revision, sync: 'Synced', health: 'Healthy' },
  })
  expect(outcome.argocd!.revision).toMatch(/^[0-9a-f]{40}$/)
  const argoStep = outcome.steps.find((s) => /wait: argocd/.test(s.title))!
  expect(argoStep.run.outputs).toMatchObject({
    'sync-status': 'Synced',
    'health-status': 'Healthy',
    'argocd-revision': outcome.argocd!.revision,
  })
  expect(argoStep.run.summary).toMatch(/Argo CD: web\.web-app Synced to [0-9a-f]{12} and Healthy/)
  // Newest first: Argo CD's pending then success, once per environment (the Argo CD release is
  // of another app commit: no status on this one).
  expect(outcome.statuses.map((s) => `${s.context} ${s.state}`)).toEqual([
    'continuous-delivery/web.web-app success',
    'continuous-delivery/web.web-app pending',
    'continuous-delivery/web.web-app success',
    'continuous-delivery/web.web-app pending',
  ])

  // The end: the audit of the stored tokens finds the drift the demo planted (plat-staging missed
  // the notifications token's rotation), the token that expires soonest, and the missing one.
  const NOTIFICATIONS = '/argocd/notifications/notifiers/common/github-token'
  const { ssmAudit } = outcome
  expect(ssmAudit.ok).toBe(true)
  expect(ssmAudit.drift).toEqual([`333333333333 ${NOTIFICATIONS}`])
  // 9 days from the plant, less the part of a day the run took.
  expect(ssmAudit.soonest?.targets).toEqual([`333333333333 ${NOTIFICATIONS}`])
  expect([8, 9]).toContain(ssmAudit.soonest?.daysLeft)
  const audits = Object.values(ssmAudit.audits).flat()
  expect(audits.map((t) => `${t.account} ${t.name} ${t.verdict}`).sort()).toEqual([
    '111111111111 /argocd/github/api_key valid',
    '222222222222 /argocd/github/api_key valid',
    `222222222222 ${NOTIFICATIONS} valid`,
    '333333333333 /argocd/github/api_key valid',
    `333333333333 ${NOTIFICATIONS} invalid`,
    '444444444444 /argocd/github/api_key missing',
    `444444444444 ${NOTIFICATIONS} valid`,
  ])
  const auditSteps = outcome.steps.filter((s) => s.title.startsWith('audit '))
  expect(auditSteps).toHaveLength(4)
  const drifted = auditSteps[3].run
  expect(drifted.summary).toContain('333333333333')
  expect(drifted.errors.join('\n')).toMatch(/rotation/)
  // The action's own words for npm start's outcome: the missing parameter, the stale account.
  expect(ssmAudit.problems).toEqual([
    expect.stringMatching(/^444444444444 us-east-2 \/argocd\/github\/api_key: missing/),
    expect.stringMatching(/^333333333333 us-east-2 \S+github-token: invalid/),
    expect.stringMatching(/2 different tokens.*333333333333.*missed the last rotation/),
  ])
  // No token stored anywhere, in any version, leaks from an audit: not in its log, outputs,
  // summary or files.
  const storedTokens = outcome.parameters.flatMap((p) => p.history.map((v) => v.value))
  // The admin and nonprod webhook tokens, and three notifications tokens (the one the release
  // used, the planted previous one, its successor).
  expect(new Set(storedTokens).size).toBe(5)
  for (const s of auditSteps)
    for (const token of storedTokens)
      expect(`${s.title}: ${leaks(s.run, token).join(', ')}`).toBe(`${s.title}: `)
}, 240_000)
