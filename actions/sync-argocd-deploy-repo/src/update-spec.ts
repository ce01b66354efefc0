import { InputError } from '@argocd-actions/core'
import { checkGitPath } from './git-paths.js'

/** The `update` input: which file of the app directory an image bump edits, and how. */
export type UpdateSpec =
  | { kind: 'kustomize'; file: string }
  | { kind: 'helm-values'; file: string; yamlPath: string[] }
  | { kind: 'argocd-source'; file: string }

export function parseUpdate(value: string, application: string): UpdateSpec {
  const example = 'kustomize:kustomization.yaml'
  const [kind, ...rest] = value.split(':')
  const safe = (file: string | undefined) => {
    if (
      !file ||
      file.startsWith('/') ||
      file.split('/').some((p) => p === '..' || p === '' || p === '.')
    ) {
      throw new InputError(
        'update',
        `needs a file path relative to the app directory, not '${file ?? ''}'`,
        example,
      )
    }
    return checkGitPath('update', file, example)
  }
  if (kind === 'kustomize') return { kind, file: safe(rest.join(':')) }
  if (kind === 'helm-values') {
    if (rest.length !== 2 || !rest[1])
      throw new InputError(
        'update',
        "helm-values needs '<file>:<yaml.path>'",
        'helm-values:values.yaml:image.tag',
      )
    return { kind, file: safe(rest[0]), yamlPath: rest[1].split('.') }
  }
  if (kind === 'argocd-source' && !rest.length)
    return { kind, file: `.argocd-source-${application}.yaml` }
  throw new InputError(
    'update',
    `must be kustomize:<file>, helm-values:<file>:<yaml.path> or argocd-source, not '${value}'`,
    example,
  )
}
