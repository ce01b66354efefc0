/**
 * `npm start`: the main job on the built-in sandbox, no cloud account needed. A loopback GitHub
 * (REST + git) and AWS (SSM + STS) run the seed's flow with the real action bundles: validate the six
 * tokens, publish them to SSM in four accounts, release an app to nonprod, wait for Argo CD, promote
 * to prod, then audit the tokens stored in SSM (finding the drift planted there). Each step's job
 * summary is printed as text; the deploy repos are left in .demo/.
 */
import path from 'node:path'
import { repoRoot, type BundleRun } from '@argocd-actions/sandbox'
import { runDemo } from './demo-flow.js'

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)

/** A job summary as a person reads it in a terminal: headings, and tables as aligned columns. */
function printSummary(title: string, run: BundleRun): void {
  console.log(`\n${bold(`── ${title} (exit ${run.code}) ──`)}`)
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
    else if (line.startsWith('#### ')) console.log(line.slice(5))
    else if (line.startsWith('> ')) console.log(`  ${line.slice(2)}`)
  }
  flush()
}

const inspectDir = path.join(repoRoot, '.demo')
const outcome = await runDemo({ inspectDir, onStep: (s) => printSummary(s.title, s.run) })
console.log(`\n${bold('── outcome ──')}`)
console.log(
  `SSM parameters written: ${outcome.parameters.map((p) => `${p.accountId} ${p.name} v${p.version}`).join(', ')}`,
)
console.log(
  `Argo CD statuses on the app commit: ${outcome.statuses.map((s) => s.state).join(' → ')}`,
)
console.log(`Deployed to nonprod: ${Object.keys(outcome.deployed.nonprod).join(', ')}`)
if (outcome.argocd)
  console.log(
    `Argo CD (asked directly, no commit status): web.web-app ${outcome.argocd.app?.sync ?? '?'} at ${outcome.argocd.revision.slice(0, 12)}, ${outcome.argocd.app?.health ?? '?'}`,
  )
console.log(
  `Deploy repositories left for inspection: git clone ${path.join(outcome.inspect ?? '', 'argocd-deploy-non-prod.git')}`,
)
const { drift, soonest, problems } = outcome.ssmAudit
console.log(
  `Stored token audit: ${drift.length ? `holding an older token than the other accounts: ${drift.join(', ')}` : 'no drift'}; soonest expiry: ${soonest ? `${soonest.daysLeft} days (${soonest.targets.join(', ')})` : 'none'}`,
)
for (const p of problems) console.log(`  - ${p}`)
console.log(
  outcome.ok
    ? '\nThe flow ran as expected: the over-scoped prod webhook token was reported and not stored; the app reached prod; the audit found the planted drift.'
    : '\nThe flow did not run as expected: see the steps above.',
)
process.exitCode = outcome.ok ? 0 : 1
