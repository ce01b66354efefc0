import * as core from '@actions/core'
import { getToken, maskSecret, readActionInput, writeSummaryMarkdown } from '@argocd-actions/core'
import { parseInputs } from './inputs.js'

export async function run(): Promise<void> {
  // Mask first: the token and the basic-auth header git sends.
  maskSecret(core.getInput('token'))
  // With `environment`, the infra repository's map fills the deploy repo, path and namespace.
  const { parseEnvironmentRequest } = await import('./environment-map.js')
  const envRequest = parseEnvironmentRequest(readActionInput, process.env)
  let read = readActionInput
  if (envRequest) {
    const { readEnvironmentMap } = await import('./environment-map.js')
    const { createGitHubClient } = await import('@argocd-actions/core/github')
    const apiUrl =
      core.getInput('github-api-url') || process.env.GITHUB_API_URL || 'https://api.github.com'
    const octokit = createGitHubClient({
      token: getToken(readActionInput, 'token'),
      baseUrl: apiUrl,
    })
    const mapped = await readEnvironmentMap(octokit, envRequest)
    core.info(`Environment '${envRequest.environment}': ${mapped.repository} ${mapped.path}`)
    read = (name) => readActionInput(name).trim() || mapped[name] || ''
  }
  const inputs = parseInputs(read)
  // Loaded once inputs are valid: the YAML parser and git plumbing are not needed to fail fast.
  // One chunk for both (the name is webpack's): sync.ts imports release-files.ts too, and two
  // chunks would each carry a copy of it.
  const { readManifests } = await import(/* webpackChunkName: "sync" */ './release-files.js')
  const { commitMessage, syncToDeployRepo } = await import(
    /* webpackChunkName: "sync" */ './sync.js'
  )
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
  const manifests = inputs.manifests
    ? await readManifests(workspace, inputs.manifests, inputs.maxManifestBytes)
    : undefined
  const repo = `${inputs.repository.owner}/${inputs.repository.repo}`
  const appName = `${inputs.namespace}.${inputs.application}`
  const result = await syncToDeployRepo(inputs, manifests, {
    log: (m) => core.info(m),
    debug: (m) => core.debug(m),
  })
  let pullRequestUrl = ''
  if (inputs.mode === 'pull-request' && result.changed && !inputs.dryRun) {
    const { createGitHubClient } = await import('@argocd-actions/core/github')
    const { openPullRequest } = await import('./pull-request.js')
    const octokit = createGitHubClient({
      token: inputs.token,
      baseUrl: inputs.apiUrl,
      userAgent: 'argocd-actions/sync-argocd-deploy-repo',
    })
    const [subject, ...rest] = commitMessage(inputs).split('\n')
    const pr = await openPullRequest(octokit, inputs, subject, rest.join('\n').trim())
    pullRequestUrl = pr.url
    core.info(`Pull request ${pr.url}${pr.merged ? ` merged as ${pr.mergeSha}` : ' opened'}`)
    if (pr.merged && pr.mergeSha) result.sha = pr.mergeSha
  }
  const commitUrl =
    result.changed && !inputs.dryRun
      ? `${inputs.serverUrl.replace(/\/+$/, '')}/${repo}/commit/${result.sha}`
      : ''
  core.setOutput('sha', result.sha)
  core.setOutput('commit-url', commitUrl)
  core.setOutput('changed', String(result.changed))
  core.setOutput('files', JSON.stringify(result.files))
  core.setOutput('app-name', appName)
  core.setOutput('status-context', `continuous-delivery/${appName}`)
  core.setOutput('pushed-at', result.pushedAt ?? '')
  core.setOutput('pull-request-url', pullRequestUrl)
  if (result.diff !== undefined) {
    core.startGroup('dry run: the change that would be pushed')
    core.info(result.diff)
    core.endGroup()
  }
  const esc = (s: string) => s.replace(/\|/g, '\\|')
  const title = inputs.dryRun
    ? 'Deploy repo: dry run, nothing pushed'
    : result.changed
      ? `${inputs.operation === 'destroy' ? 'Removed' : 'Released'} ${appName}`
      : `${appName} already up to date`
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
  await writeSummaryMarkdown(`${lines.join('\n')}\n`)
  core.info(
    result.changed
      ? `${title}: ${commitUrl || result.sha} (attempt ${result.attempts})`
      : `${title} at ${result.sha}.`,
  )
}
