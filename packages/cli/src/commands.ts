import { InputError, clip, errorMessage, isUserError } from '@argocd-actions/core'
import { createGitHubClient } from '@argocd-actions/core/github'
import { parseInputs as parsePublish, publishToken } from '@argocd-actions/publish-ssm-token'
import { parseInputs as parseStatus, setOrWaitForStatus } from '@argocd-actions/set-commit-status'
import {
  parseInputs as parseSync,
  releaseToDeployRepo,
} from '@argocd-actions/sync-argocd-deploy-repo'
import { actionFlags, type FlagOptions } from './action-flags.js'
import { AUDIT_EXCLUDES, auditSsm } from './audit-ssm.js'
import type { Io } from './io.js'
import { validate, VALIDATE_HELP } from './validate.js'

/**
 * The sub-commands: the actions' own functions, driven from a terminal. Exit codes:
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
  const r = await setOrWaitForStatus(octokit, inputs, { log: (m) => io.stdout.write(`${m}\n`) })
  if (r.mode === 'set') {
    const s = r.status
    io.stdout.write(
      `${s.context} is '${s.state}' on ${inputs.repository.owner}/${inputs.repository.repo}@${r.sha} (status ${s.id})\n`,
    )
    return 0
  }
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
  const { results } = await publishToken(inputs, {
    workspace: io.cwd,
    log: (t, m) => io.stderr.write(`${t.label}: ${m}\n`),
    warn: (m) => io.stderr.write(`${m}\n`),
  })
  for (const r of results) {
    io.stdout.write(
      `${r.error ? 'FAILED' : inputs.dryRun ? 'DRY-RUN' : r.changed ? 'WRITTEN' : 'UNCHANGED'} ${r.account || '?'} ${r.region} ${r.name}${r.version ? ` v${r.version}` : ''}${r.changes.length ? ` (${r.changes.join(', ')})` : ''}${r.error ? `: ${r.error}` : ''}\n`,
    )
  }
  return results.some((r) => r.error) ? 1 : 0
}

const sync: Run = async (read, io) => {
  // The Argo CD wait needs a second token, which the CLI has no safe way to take yet: say so
  // rather than release without the wait that was asked for.
  const wait = read('wait').trim()
  if (wait && wait !== 'none')
    throw new InputError(
      'wait',
      `'${clip(wait)}' is not available from the CLI (the action only); the release was not started`,
      'none',
    )
  const inputs = parseSync(read, noEnv)
  const r = await releaseToDeployRepo(inputs, {
    workspace: io.cwd,
    log: (m) => io.stderr.write(`${m}\n`),
  })
  if (r.diff !== undefined) io.stdout.write(r.diff)
  for (const f of r.files) io.stdout.write(`${f.status} ${f.path}\n`)
  io.stdout.write(
    `${r.changed ? (inputs.dryRun ? 'would commit on' : 'committed') : 'unchanged at'} ${r.sha} (attempts: ${r.attempts})\n`,
  )
  return 0
}

/** One sub-command: its line in the overview, its --help text, and what it runs. */
export interface Command {
  summary: string
  help: () => string
  run: (argv: string[], io: Io) => Promise<number>
}

/** A sub-command whose --flags are the inputs of the action of the same name. */
function fromAction(
  action: string,
  name: string,
  summary: string,
  run: Run,
  extraHelp = '',
  opts: FlagOptions = {},
): Command {
  const flags = actionFlags(action, name, extraHelp, opts)
  return {
    summary,
    help: () => flags.help,
    async run(argv, io) {
      // Any token flag (--token, --argocd-token): the value would sit in the command line.
      if (argv.some((a) => /^--(?:[\w-]+-)?token(?:=|$)/.test(a))) {
        io.stderr.write(
          'argocd-actions: a token on the command line ends up in shell history and process lists; pass it through --token-env or standard input\n',
        )
        return 2
      }
      try {
        return await run(await flags.read(argv, io), io)
      } catch (error) {
        const message = errorMessage(error).replace(/^Input '([^']+)'/, '--$1')
        io.stderr.write(`argocd-actions ${name}: ${message}\n`)
        return isUserError(error) || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
          ? 2
          : 1
      }
    },
  }
}

/** Every sub-command, in the order the overview lists them. */
export const COMMANDS: Record<string, Command> = {
  validate: {
    summary: 'check a token against a role profile (as the validate-pat-scopes action)',
    help: () => VALIDATE_HELP,
    run: validate,
  },
  publish: fromAction(
    'publish-ssm-token',
    'publish',
    'validate a token, then store it in AWS SSM (as publish-ssm-token)',
    publish,
    'AWS credentials come from the standard chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...).',
    { exclude: ['mode', 'min-days-left', 'require-same'] },
  ),
  'audit-ssm': fromAction(
    'publish-ssm-token',
    'audit-ssm',
    'audit the tokens stored in AWS SSM, per account, writing nothing (publish-ssm-token mode: audit)',
    auditSsm,
    'Reads the stored tokens (no token is given); AWS credentials come from the standard chain\n(AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO, ...). Exit 1 when the audit fails.',
    { exclude: AUDIT_EXCLUDES, token: false },
  ),
  sync: fromAction(
    'sync-argocd-deploy-repo',
    'sync',
    'write a release into the deploy repository (as sync-argocd-deploy-repo)',
    sync,
    '--manifests is read relative to the current directory; pass --app-commit (a full SHA).',
  ),
  status: fromAction(
    'set-commit-status',
    'status',
    'set a commit status, or wait for one (as set-commit-status)',
    status,
  ),
}
