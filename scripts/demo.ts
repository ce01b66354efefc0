/**
 * The main job on the built-in sandbox, no cloud account needed: a loopback GitHub with an
 * application repo, Argo CD's notifications token, and the real set-commit-status bundle run the
 * way the GitHub runner runs it. Argo CD's part (posting the deployment status) is played here.
 */
import { runBundle, startGitHubSandbox, type BundleRun } from '@argocd-actions/sandbox'

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)

/** A job summary as a person reads it in a terminal: headings, and tables as aligned columns. */
function printSummary(step: string, run: BundleRun): void {
  console.log(`\n${bold(`── ${step} (exit ${run.code}) ──`)}`)
  let table: string[][] = []
  const flush = () => {
    if (!table.length) return
    const widths = table[0].map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)))
    for (const r of table)
      console.log(
        `  ${r
          .map((c, i) => c.padEnd(widths[i]))
          .join('  ')
          .trimEnd()}`,
      )
    table = []
  }
  for (const line of run.summary.split('\n')) {
    if (line.startsWith('| ---') || line === '| | |') continue
    if (line.startsWith('| ')) {
      table.push(
        line
          .slice(2, -2)
          .split(' | ')
          .map((c) => c.replace(/\\\|/g, '|')),
      )
      continue
    }
    flush()
    if (line.startsWith('### ')) console.log(line.slice(4))
    else if (line.startsWith('> ')) console.log(`  ${line.slice(2)}`)
  }
  flush()
}

const gh = await startGitHubSandbox()
try {
  gh.addOrg('acme')
  gh.addRepo('acme/web-app')
  const sha = gh.addCommit('acme/web-app', { branch: 'main', message: 'feat: new landing page' })
  // The seed's ARGOCD_APP_NOTIFICATIONS token: classic, repo:status only.
  const token = gh.addToken({
    kind: 'classic',
    scopes: ['repo:status'],
    expiresAt: new Date(Date.now() + 90 * 86_400_000),
  })
  const context = 'continuous-delivery/web.web-app'
  const common = { token, repository: 'acme/web-app', sha, 'github-api-url': gh.url, context }
  console.log(`Sandbox GitHub at ${gh.url}; release of acme/web-app@${sha.slice(0, 12)}`)

  // The over-privileged variant many teams have: a classic token with the whole 'repo' scope.
  const broad = gh.addToken({ kind: 'classic', scopes: ['repo'] })
  for (const [label, t] of [
    ['0a. audit the notifications token against its role', token],
    ['0b. audit an over-scoped notifications token', broad],
  ] as const) {
    const audit = await runBundle('validate-pat-scopes', {
      token: t,
      profile: 'argocd-notifications',
      repositories: '{ app: acme/web-app }',
      name: 'ARGOCD_APP_NOTIFICATIONS',
      'api-url': gh.url,
    })
    printSummary(label, audit)
  }

  const releaseStarted = new Date().toISOString()
  const pending = await runBundle('set-commit-status', {
    ...common,
    state: 'pending',
    description: 'Release started',
    'target-url': 'https://argocd.acme.test/applications/web.web-app',
  })
  printSummary('1. release job marks the deployment pending', pending)

  // Argo CD notifications: progressing, then synced and healthy.
  setTimeout(
    () =>
      gh.addStatus('acme/web-app', sha, {
        state: 'pending',
        context,
        description: 'ArgoCD',
        target_url: 'https://argocd.acme.test/applications/web.web-app',
      }),
    800,
  )
  setTimeout(
    () =>
      gh.addStatus('acme/web-app', sha, {
        state: 'success',
        context,
        description: 'ArgoCD',
        target_url: 'https://argocd.acme.test/applications/web.web-app',
      }),
    2500,
  )
  const waited = await runBundle('set-commit-status', {
    ...common,
    mode: 'wait',
    'created-after': releaseStarted,
    'interval-seconds': '1',
    'timeout-seconds': '60',
  })
  printSummary('2. release job waits for Argo CD (synchronous mode)', waited)
  const ok = pending.code === 0 && waited.code === 0 && waited.outputs.state === 'success'
  console.log(
    `\n${ok ? 'Deployment reported success by Argo CD.' : 'The demo did not reach success.'}`,
  )
  process.exitCode = ok ? 0 : 1
} finally {
  await gh.stop()
}
