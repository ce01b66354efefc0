import { InputError } from '../errors.js'
import { clip } from '../inputs.js'

/**
 * The Argo CD counterpart of `repositories`: the project and the applications a CI token acts on.
 * Names are Kubernetes object names (RFC 1123 subdomains: lower case, digits, '-' and '.'), which
 * also keeps '/', ',' and glob characters out of the RBAC objects asked about.
 */
const NAME = /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/
const NAMESPACE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
const PROJECT_EXAMPLE = 'my-proj'
const APPS_EXAMPLE = 'nonprod.web, nonprod.worker'

/** `argocd-project`: one project name; undefined when empty. */
export function parseArgoCdProject(text: string, input = 'argocd-project'): string | undefined {
  const value = text.trim()
  if (!value) return undefined
  if (!NAME.test(value))
    throw new InputError(
      input,
      `must be an Argo CD project name (lower-case letters, digits, '-' and '.'), not '${clip(value)}'`,
      PROJECT_EXAMPLE,
    )
  return value
}

/**
 * `argocd-applications`: application names separated by commas, spaces or lines; an application
 * outside Argo CD's own namespace as `<namespace>/<name>`. Duplicates are dropped.
 */
export function parseArgoCdApplications(text: string, input = 'argocd-applications'): string[] {
  const items = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)
  if (items.length > 50)
    throw new InputError(input, `lists ${items.length} applications; at most 50`, APPS_EXAMPLE)
  for (const item of items) {
    const [first, second, ...rest] = item.split('/')
    const ok =
      rest.length === 0 &&
      (second === undefined ? NAME.test(first) : NAMESPACE.test(first) && NAME.test(second))
    if (!ok)
      throw new InputError(
        input,
        `has '${clip(item)}', which is not an application name (lower-case letters, digits, '-' and '.'; '<namespace>/<name>' for an application outside Argo CD's namespace)`,
        APPS_EXAMPLE,
      )
  }
  return [...new Set(items)]
}
