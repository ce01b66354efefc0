import { runDemo } from '../../scripts/demo-flow.js'

// `npm start`'s flow, end to end: the outcome, not the printout.
test('the main job: tokens validated and published, the app released to nonprod then prod', async () => {
  const outcome = await runDemo()
  const failed = outcome.steps.filter((s) => s.run.code !== 0).map((s) => s.title)
  expect(failed).toEqual([
    'validate argocd/terraform-webhooks/prod',
    'publish argocd/terraform-webhooks/prod to plat-prod (refused: over-scoped)',
    'validate the Argo CD account token ci-bot (role:admin, no expiry: refused)',
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
}, 180_000)
