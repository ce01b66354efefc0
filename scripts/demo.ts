/**
 * The main job on the built-in sandbox, no cloud account needed: a loopback GitHub with an
 * application repo, Argo CD's notifications token, and the real set-commit-status bundle run the
 * way the GitHub runner runs it. Argo CD's part (posting the deployment status) is played here.
 */
import { runBundle, startGitHubSandbox, type BundleRun } from '@argocd-actions/sandbox'

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)

/** A job summary as a person reads it in a terminal: markdown table to aligned text. */
function printSummary(step: string, run: BundleRun): void {
  console.log(`\n${bold(`── ${step} (exit ${run.code}) ──`)}`)
  const rows = run.summary
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| |') && !l.startsWith('| ---'))
    .map((l) => l.slice(2, -2).split(' | '))
  for (const line of run.summary.split('\n'))
    if (line.startsWith('### ')) console.log(line.slice(4))
  const width = Math.max(...rows.map(([k]) => k.length))
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`)
  for (const e of run.errors) console.log(`  error: ${e}`)
}

const gh = await startGitHubSandbox()
try {
  gh.addOrg('acme')
  gh.addRepo('acme/web-app')
  const sha = gh.addCommit('acme/web-app', { branch: 'main', message: 'feat: new landing page' })
  // The seed's ARGOCD_APP_NOTIFICATIONS token: classic, repo:status only.
  const token = gh.addToken({ kind: 'classic', scopes: ['repo:status'] })
  const context = 'continuous-delivery/web.web-app'
  const common = { token, repository: 'acme/web-app', sha, 'github-api-url': gh.url, context }
  console.log(`Sandbox GitHub at ${gh.url}; release of acme/web-app@${sha.slice(0, 12)}`)

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
