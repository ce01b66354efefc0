import * as core from '@actions/core'
import {
  errorMessage,
  maskSecret,
  readActionInput,
  writeSummary,
  type GitHubClient,
} from '@argocd-actions/core'
import { MAX_DESCRIPTION, type FittedDescription } from './description.js'
import { parseInputs, type Inputs, type WaitInputs } from './inputs.js'
import { setOrWaitForStatus, WaitError, type StatusResult } from './public.js'

export async function run(): Promise<void> {
  // Mask first: nothing below may print before the runner knows the secret.
  maskSecret(core.getInput('token'))
  const inputs = parseInputs(readActionInput)
  const { createGitHubClient } = await import('@argocd-actions/core/github')
  const octokit = createGitHubClient({
    token: inputs.token,
    baseUrl: inputs.apiUrl,
    baseUrlSource: "input 'github-api-url'",
    userAgent: 'argocd-actions/set-commit-status',
  })
  const repo = `${inputs.repository.owner}/${inputs.repository.repo}`
  const rows: Array<[string, string]> = [
    ['Repository', repo],
    ['Mode', inputs.mode],
    ['Context', inputs.context],
  ]
  try {
    const outcome = await execute(octokit, inputs, rows)
    await writeSummary({ title: outcome.title, outcome: 'success', rows, notes: outcome.notes })
  } catch (error) {
    if (error instanceof WaitError && error.lastSeen) addStatusRows(rows, error.lastSeen)
    if (error instanceof WaitError) rows.push(['Waited', `${error.waitedSeconds} s`])
    rows.push(['Error', errorMessage(error)])
    await writeSummary({ title: `Commit status ${inputs.mode} failed`, outcome: 'failure', rows })
    throw error
  }
}

async function execute(
  octokit: GitHubClient,
  inputs: Inputs,
  rows: Array<[string, string]>,
): Promise<{ title: string; notes?: string[] }> {
  const changes = inputs.mode === 'set' ? descriptionChanges(inputs.descriptionFitted) : []
  const outcome = await setOrWaitForStatus(octokit, inputs, {
    log: (m) => core.info(m),
    onCommit: (sha) => {
      core.setOutput('sha', sha)
      rows.push(['Commit', inputs.ref === sha ? sha : `${sha} (from '${inputs.ref}')`])
      if (inputs.mode === 'set')
        for (const change of changes) core.warning(`description ${change}.`)
      else announceWait(inputs, sha, rows)
    },
  })

  if (outcome.mode === 'set') {
    const { status, sha } = outcome
    setStatusOutputs(status, 0)
    addStatusRows(rows, status)
    core.info(
      `Set '${status.context}' to '${status.state}' on ${repo(inputs)}@${sha} (status ${status.id}).`,
    )
    return {
      title: `Commit status '${status.state}' set`,
      notes: changes.length ? changes.map((change) => `The description ${change}.`) : undefined,
    }
  }
  setStatusOutputs(outcome.status, outcome.waitedSeconds)
  addStatusRows(rows, outcome.status)
  rows.push(['Waited', `${outcome.waitedSeconds} s (${outcome.polls} polls)`])
  return { title: `Commit status reached '${outcome.status.state}'` }
}

/** Before a wait: what it waits for, and what it ignores. */
function announceWait(inputs: WaitInputs, sha: string, rows: Array<[string, string]>): void {
  const ignoring = [
    inputs.createdAfter && `statuses created before ${inputs.createdAfter.toISOString()}`,
    inputs.expectedTargetUrl &&
      `statuses whose target URL is not under ${inputs.expectedTargetUrl.href}`,
  ].filter(Boolean)
  core.info(
    `Waiting up to ${inputs.timeoutSeconds} s for '${inputs.context}' to be '${inputs.expectedState}' on ${repo(inputs)}@${sha}` +
      (ignoring.length ? `, ignoring ${ignoring.join(' and ')}` : '') +
      '.',
  )
  if (inputs.expectedTargetUrl) rows.push(['Expected target URL', inputs.expectedTargetUrl.href])
}

/** What was changed so that GitHub accepts the description, as sentence ends. */
function descriptionChanges(fitted?: FittedDescription): string[] {
  if (!fitted) return []
  return [
    fitted.replaced &&
      "had emoji or other characters GitHub refuses (4-byte UTF-8): each run of them became '\uFFFD'",
    fitted.flattened && 'had control characters or line breaks: they became spaces',
    fitted.shortened &&
      `is longer than ${MAX_DESCRIPTION} characters, GitHub's limit: it was shortened`,
  ].filter((change): change is string => !!change)
}

const repo = (inputs: Inputs) => `${inputs.repository.owner}/${inputs.repository.repo}`

function setStatusOutputs(status: StatusResult, waitedSeconds: number): void {
  core.setOutput('state', status.state)
  core.setOutput('status-id', String(status.id))
  core.setOutput('target-url', status.targetUrl ?? '')
  core.setOutput('waited-seconds', String(waitedSeconds))
}

function addStatusRows(rows: Array<[string, string]>, status: StatusResult): void {
  rows.push(['State', status.state])
  rows.push(['Status id', String(status.id)])
  if (status.description) rows.push(['Description', status.description])
  if (status.targetUrl) rows.push(['Target URL', status.targetUrl])
  rows.push(['Created at', status.createdAt])
}
