import {
  InputError,
  clip,
  explained,
  getRepository,
  type GitHubClient,
  type InputReader,
} from '@argocd-actions/core'
import { parse } from 'yaml'
import { relativePathProblem } from './inputs.js'
import { isObject, unexpectedAnswer } from '@argocd-actions/core'

/**
 * The environment map in the infra repository (seed 000: the release token may read infra-repo):
 *
 *   environments:
 *     dev:
 *       repository: acme/argocd-deploy-non-prod
 *       cluster: plat/use2-dev        # apps go under <cluster>/apps (or give `path` itself)
 *       namespace: web                # optional
 *       branch: main                  # optional
 *
 * so a workflow needs only `environment`. Returns input values to use where inputs are empty.
 */
export const DEFAULT_INFRA_FILE = '.github/environments/argocd.yml'

export interface EnvironmentMapRequest {
  infra: { owner: string; repo: string }
  file: string
  environment: string
}

export function parseEnvironmentRequest(
  read: InputReader,
  env: NodeJS.ProcessEnv,
): EnvironmentMapRequest | undefined {
  const environment = read('environment').trim()
  if (!environment) return undefined
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(environment)) {
    throw new InputError('environment', `is not an environment name: '${clip(environment)}'`, 'dev')
  }
  const owner = (env.GITHUB_REPOSITORY ?? '').split('/')[0]
  const infra = getRepository(read, 'infra-repository', owner ? `${owner}/infra-repo` : undefined)
  const file = read('infra-file').trim() || DEFAULT_INFRA_FILE
  if (
    file.length > 1024 ||
    !/^[A-Za-z0-9._\-/]+$/.test(file) ||
    file.startsWith('/') ||
    file.split('/').some((p) => p === '..' || p === '')
  ) {
    throw new InputError(
      'infra-file',
      `must be a path inside the infra repository, not '${clip(file)}'`,
      DEFAULT_INFRA_FILE,
    )
  }
  return { infra, file, environment }
}

export async function readEnvironmentMap(
  octokit: GitHubClient,
  req: EnvironmentMapRequest,
): Promise<Record<string, string>> {
  const where = `${req.infra.owner}/${req.infra.repo}:${req.file}`
  const { data } = await explained(
    octokit,
    { action: `read the environment map ${where}`, permission: 'contents=read' },
    () => octokit.rest.repos.getContent({ ...req.infra, path: req.file }),
  )
  const content = mapFileContent(
    data,
    `GET /repos/${req.infra.owner}/${req.infra.repo}/contents/${req.file}`,
    where,
  )
  let doc: unknown
  try {
    doc = parse(content)
  } catch (error) {
    throw new InputError(
      'infra-file',
      `${where} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
      DEFAULT_INFRA_FILE,
    )
  }
  const environments = (doc as { environments?: Record<string, unknown> } | null)?.environments
  if (!environments || typeof environments !== 'object') {
    throw new InputError('infra-file', `${where} has no 'environments:' map`, DEFAULT_INFRA_FILE)
  }
  const entry = environments[req.environment]
  if (!entry || typeof entry !== 'object') {
    throw new InputError(
      'environment',
      `'${req.environment}' is not in ${where}; known: ${Object.keys(environments).join(', ')}`,
      Object.keys(environments)[0] ?? 'dev',
    )
  }
  const e = entry as Record<string, unknown>
  const text = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : undefined)
  const values: Record<string, string> = {}
  if (text('repository')) values.repository = text('repository')!
  if (text('branch')) values.branch = text('branch')!
  if (text('path')) values.path = text('path')!
  else if (text('cluster')) values.path = `${text('cluster')!.replace(/\/+$/, '')}/apps`
  if (text('namespace')) values.namespace = text('namespace')!
  // Named here, not as 'path': the value comes from the map, not from the workflow.
  const problem = values.path && relativePathProblem(values.path)
  if (problem) {
    throw new InputError(
      'infra-file',
      `${where}: environment '${req.environment}': ${text('path') ? 'path' : 'cluster'} ${problem}`,
      DEFAULT_INFRA_FILE,
    )
  }
  if (!values.repository || !values.path) {
    throw new InputError(
      'infra-file',
      `${where}: environment '${req.environment}' needs repository and cluster (or path)`,
      DEFAULT_INFRA_FILE,
    )
  }
  return values
}

/**
 * The map's text from the contents API's answer, its shape checked first: a directory, a symbolic
 * link or a submodule at the path is the input's problem; a body of another shape is an
 * unexpected answer (a proxy, a server fault), never "not a file".
 */
function mapFileContent(data: unknown, request: string, where: string): string {
  const listing =
    Array.isArray(data) &&
    data.length > 0 &&
    data.every((e) => isObject(e) && typeof e.type === 'string' && typeof e.path === 'string')
  const kind = listing ? 'dir' : isObject(data) ? data.type : undefined
  if (kind === 'dir' || kind === 'symlink' || kind === 'submodule')
    throw new InputError(
      'infra-file',
      `${where} is a ${kind === 'dir' ? 'directory' : kind}, not a file`,
      DEFAULT_INFRA_FILE,
    )
  if (isObject(data) && kind === 'file' && data.encoding === 'none')
    throw new InputError(
      'infra-file',
      `${where} is over 1 MB, more than GitHub's contents API returns`,
      DEFAULT_INFRA_FILE,
    )
  if (
    !isObject(data) ||
    kind !== 'file' ||
    typeof data.content !== 'string' ||
    data.encoding !== 'base64'
  )
    throw unexpectedAnswer(
      request,
      data,
      'file (type, base64 content)',
      'the environment map cannot be read; nothing was pushed',
    )
  return Buffer.from(data.content, 'base64').toString('utf8')
}
