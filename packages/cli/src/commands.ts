import { errorMessage, isUserError } from '@argocd-actions/core'
import { createGitHubClient } from '@argocd-actions/core/github'
import { sdkClients } from '../../../actions/publish-ssm-token/src/aws.js'
import { parseInputs as parsePublish } from '../../../actions/publish-ssm-token/src/inputs.js'
import { expirationPolicies, publishAll } from '../../../actions/publish-ssm-token/src/publish.js'
import { validateFirst } from '../../../actions/publish-ssm-token/src/validate-first.js'
import { parseInputs as parseStatus } from '../../../actions/set-commit-status/src/inputs.js'
import { resolveSha } from '../../../actions/set-commit-status/src/resolve-sha.js'
import { setCommitStatus } from '../../../actions/set-commit-status/src/set-status.js'
import { waitForCommitStatus } from '../../../actions/set-commit-status/src/wait-for-status.js'
import { parseInputs as parseSync } from '../../../actions/sync-argocd-deploy-repo/src/inputs.js'
import { readManifests } from '../../../actions/sync-argocd-deploy-repo/src/release-files.js'
import { syncToDeployRepo } from '../../../actions/sync-argocd-deploy-repo/src/sync.js'
import { actionFlags } from './action-flags.js'
import type { Io } from './main.js'

/**
 * `status`, `publish` and `sync`: the actions' own functions, driven from a terminal. Exit codes:
 * 0 done, 1 the operation failed, 2 usage or input error.
 */
type Run = (read: (name: string) => string, io: Io) => Promise<number>

const silent = (io: Io) => ({
  debug: () => {},
  info: () => {},
  warn: (m: string) => io.stderr.write(`${m}\n`),
})
const noEnv = {} as NodeJS.ProcessEnv

const status: Run = async (read, io) => {
  const inputs = parseStatus(read, noEnv)
  const octokit = createGitHubClient({
    token: inputs.token,
    baseUrl: inputs.apiUrl,
    userAgent: 'argocd-actions-cli',
    log: silent(io),
  })
  const sha = await resolveSha(octokit, inputs.repository, inputs.ref)
  if (inputs.mode === 'set') {
    const s = await setCommitStatus(octokit, inputs.repository, sha, inputs)
    io.stdout.write(
      `${s.context} is '${s.state}' on ${inputs.repository.owner}/${inputs.repository.repo}@${sha} (status ${s.id})\n`,
    )
    return 0
  }
  const r = await waitForCommitStatus(octokit, inputs.repository, sha, inputs, {
    log: (m) => io.stdout.write(`${m}\n`),
  })
  io.stdout.write(
    `${r.status.context} reached '${r.status.state}' after ${r.waitedSeconds} s${r.status.targetUrl ? `: ${r.status.targetUrl}` : ''}\n`,
  )
  return 0
}

const publish: Run = async (read, io) => {
  const inputs = await parsePublish(read, {
    AWS_REGION: io.env.AWS_REGION,
    AWS_DEFAULT_REGION: io.env.AWS_DEFAULT_REGION,
    GITHUB_API_URL: io.env.GITHUB_API_URL,
  })
  let policies: string | undefined
  if (inputs.validation) {
    const v = await validateFirst(inputs, io.cwd, (m) => io.stderr.write(`${m}\n`))
    if (inputs.expirationNoticeDays && v.expiresAt)
      policies = expirationPolicies(v.expiresAt, inputs.expirationNoticeDays)
  }
  const results = await publishAll(sdkClients, inputs, {
    policies,
    deadline: Date.now() + 5 * 60_000,
    log: (t, m) => io.stderr.write(`${t.label}: ${m}\n`),
  })
  for (const r of results) {
    io.stdout.write(
      `${r.error ? 'FAILED' : inputs.dryRun ? 'DRY-RUN' : r.changed ? 'WRITTEN' : 'UNCHANGED'} ${r.account || '?'} ${r.region} ${r.name}${r.version ? ` v${r.version}` : ''}${r.error ? `: ${r.error}` : ''}\n`,
    )
  }
  return results.some((r) => r.error) ? 1 : 0
}

const sync: Run = async (read, io) => {
  const inputs = parseSync(read, noEnv)
  const manifests = inputs.manifests ? await readManifests(io.cwd, inputs.manifests) : undefined
  const r = await syncToDeployRepo(inputs, manifests, {
    log: (m) => io.stderr.write(`${m}\n`),
  })
  if (r.diff !== undefined) io.stdout.write(r.diff)
  for (const f of r.files) io.stdout.write(`${f.status} ${f.path}\n`)
  io.stdout.write(
    `${r.changed ? (inputs.dryRun ? 'would commit on' : 'committed') : 'unchanged at'} ${r.sha} (attempts: ${r.attempts})\n`,
  )
  return 0
}

const COMMANDS: Record<string, { action: string; run: Run; help?: string }> = {
  status: { action: 'set-commit-status', run: status },
  publish: {
    action: 'publish-ssm-token',
    run: publish,
    help: 'AWS credentials come from the standard chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...).',
  },
  sync: {
    action: 'sync-argocd-deploy-repo',
    run: sync,
    help: '--manifests is read relative to the current directory; pass --app-commit (a full SHA).',
  },
}
export const COMMAND_NAMES = Object.keys(COMMANDS)

export async function runCommand(
  command: string,
  argv: string[],
  io: Io,
): Promise<number | undefined> {
  const c = COMMANDS[command]
  if (!c) return undefined
  const flags = await actionFlags(c.action, command, c.help)
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(flags.help)
    return 0
  }
  if (argv.some((a) => a === '--token' || a.startsWith('--token='))) {
    io.stderr.write(
      'argocd-actions: a token on the command line ends up in shell history and process lists; pass it through --token-env or standard input\n',
    )
    return 2
  }
  try {
    return await c.run(await flags.read(argv, io), io)
  } catch (error) {
    const message = errorMessage(error).replace(/^Input '([^']+)'/, '--$1')
    io.stderr.write(`argocd-actions ${command}: ${message}\n`)
    return isUserError(error) || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
      ? 2
      : 1
  }
}
