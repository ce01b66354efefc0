import * as core from '@actions/core'
import {
  getToken,
  maskSecret,
  readActionInput,
  writeSummaryMarkdown,
  type InputReader,
} from '@argocd-actions/core'
import { parseInputs, releaseToDeployRepo, type SyncInputs, type SyncResult } from './public.js'
import { checkArgoCdWaitFits, parseArgoCdWaitInputs } from './argocd-inputs.js'
import { argoCdOutputs, argoCdSummary, type ArgoCdOutcome } from './argocd-summary.js'

/** The action: inputs (through the environment map), the sync, its pull request, outputs, summary. */
export async function run(): Promise<void> {
  // Mask first: the token and the basic-auth header git sends.
  maskSecret(core.getInput('token'))
  maskSecret(core.getInput('argocd-token'))
  const argocd = parseArgoCdWaitInputs(readActionInput)
  const inputs = parseInputs(await readThroughEnvironmentMap(readActionInput))
  checkArgoCdWaitFits(argocd, inputs)
  const result = await releaseToDeployRepo(inputs, {
    workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
    log: (m) => core.info(m),
    debug: (m) => core.debug(m),
  })
  const pullRequestUrl = await openReleasePullRequest(inputs, result)
  const report = describe(inputs, result, pullRequestUrl)
  setOutputs(report)
  if (result.diff !== undefined) {
    core.startGroup('dry run: the change that would be pushed')
    core.info(result.diff)
    core.endGroup()
  }
  // The release is on the branch Argo CD watches (pushed, merged, or already there): wait for it.
  let argo: ArgoCdOutcome | undefined
  if (argocd && inputs.dryRun) core.info('Dry run: nothing pushed, so no wait for Argo CD.')
  else if (argocd) {
    const { waitForArgoCdRelease } = await import('./argocd-release.js')
    argo = await waitForArgoCdRelease(argocd, inputs, report.appName, result.sha, {
      log: (m) => core.info(m),
    })
  }
  for (const [name, value] of Object.entries(argoCdOutputs(argo))) core.setOutput(name, value)
  await writeSummaryMarkdown(summary(report) + (argo ? `\n${argoCdSummary(argo)}` : ''))
  if (argo?.error) throw argo.error
  core.info(
    result.changed
      ? `${report.title}: ${report.commitUrl || result.sha} (attempt ${result.attempts})`
      : `${report.title} at ${result.sha}.`,
  )
}

/** With `environment`, the infra repository's map fills the deploy repo, path and namespace. */
async function readThroughEnvironmentMap(read: InputReader): Promise<InputReader> {
  const { parseEnvironmentRequest } = await import('./environment-map.js')
  const envRequest = parseEnvironmentRequest(read, process.env)
  if (!envRequest) return read
  const { readEnvironmentMap } = await import('./environment-map.js')
  const { createGitHubClient } = await import('@argocd-actions/core/github')
  const apiUrl = read('github-api-url') || process.env.GITHUB_API_URL || 'https://api.github.com'
  const octokit = createGitHubClient({ token: getToken(read, 'token'), baseUrl: apiUrl })
  const mapped = await readEnvironmentMap(octokit, envRequest)
  core.info(`Environment '${envRequest.environment}': ${mapped.repository} ${mapped.path}`)
  return (name) => read(name).trim() || mapped[name] || ''
}

/**
 * In `pull-request` mode, the pushed release branch's pull request: its URL ('' otherwise). When
 * it was merged at once, the result's sha becomes the merge commit.
 */
async function openReleasePullRequest(inputs: SyncInputs, result: SyncResult): Promise<string> {
  if (inputs.mode !== 'pull-request' || !result.changed || inputs.dryRun) return ''
  const { createGitHubClient } = await import('@argocd-actions/core/github')
  const { openPullRequest } = await import('./pull-request.js')
  const { commitMessage } = await import(/* webpackChunkName: "sync" */ './sync.js')
  const octokit = createGitHubClient({
    token: inputs.token,
    baseUrl: inputs.apiUrl,
    userAgent: 'argocd-actions/sync-argocd-deploy-repo',
  })
  const [subject, ...rest] = commitMessage(inputs).split('\n')
  const pr = await openPullRequest(octokit, inputs, subject, rest.join('\n').trim())
  core.info(`Pull request ${pr.url}${pr.merged ? ` merged as ${pr.mergeSha}` : ' opened'}`)
  if (pr.merged && pr.mergeSha) result.sha = pr.mergeSha
  return pr.url
}

/** What the outputs and the summary say about one run. */
interface Report {
  inputs: SyncInputs
  result: SyncResult
  repo: string
  appName: string
  commitUrl: string
  pullRequestUrl: string
  title: string
}

function describe(inputs: SyncInputs, result: SyncResult, pullRequestUrl: string): Report {
  const repo = `${inputs.repository.owner}/${inputs.repository.repo}`
  const appName = `${inputs.namespace}.${inputs.application}`
  const commitUrl =
    result.changed && !inputs.dryRun
      ? `${inputs.serverUrl.replace(/\/+$/, '')}/${repo}/commit/${result.sha}`
      : ''
  const title = inputs.dryRun
    ? 'Deploy repo: dry run, nothing pushed'
    : result.changed
      ? `${inputs.operation === 'destroy' ? 'Removed' : 'Released'} ${appName}`
      : `${appName} already up to date`
  return { inputs, result, repo, appName, commitUrl, pullRequestUrl, title }
}

function setOutputs({ result, appName, commitUrl, pullRequestUrl }: Report): void {
  core.setOutput('sha', result.sha)
  core.setOutput('commit-url', commitUrl)
  core.setOutput('changed', String(result.changed))
  core.setOutput('files', JSON.stringify(result.files))
  core.setOutput('app-name', appName)
  core.setOutput('status-context', `continuous-delivery/${appName}`)
  core.setOutput('pushed-at', result.pushedAt ?? '')
  core.setOutput('pull-request-url', pullRequestUrl)
  core.setOutput('verified', String(result.verified ?? false))
}

function summary({ inputs, result, repo, appName, commitUrl, pullRequestUrl, title }: Report) {
  const esc = (s: string) => s.replace(/\|/g, '\\|')
  const lines = [
    `### ✅ ${title}`,
    '',
    '| | |',
    '| --- | --- |',
    `| Target | ${repo}@${inputs.branch}: ${inputs.path}/${inputs.namespace}/${inputs.application} |`,
    `| App commit | ${inputs.appRepository}@${inputs.appCommit} |`,
    `| Commit | ${commitUrl || result.sha} |`,
    `| Attempts | ${result.attempts} |`,
    ...(pullRequestUrl ? [`| Pull request | ${pullRequestUrl} |`] : []),
    `| Status context | continuous-delivery/${appName} |`,
  ]
  if (result.files.length) {
    lines.push(
      '',
      '| Change | File |',
      '| --- | --- |',
      ...result.files.map((f) => `| ${f.status} | ${esc(f.path)} |`),
    )
  }
  return `${lines.join('\n')}\n`
}
