import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { repoRoot } from '@argocd-actions/sandbox'

// The CLI's --flags are generated from each action.yml: a changed input must be regenerated.
test('action-flags.generated.ts is what scripts/cli-flags.js makes of the action.yml files', () => {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/cli-flags.js'), '--check'], {
    encoding: 'utf8',
  })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
})
