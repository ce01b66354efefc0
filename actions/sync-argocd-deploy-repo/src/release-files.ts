import { lstat, readFile, readdir, realpath } from 'node:fs/promises'
import path from 'node:path'
import { InputError } from '@argocd-actions/core'
import { parseAllDocuments, stringify } from 'yaml'

export { checkDnsLabel } from './names.js'

/** What goes into `<path>/<namespace>/<application>/`: config.yaml and the rendered manifests. */

export const WEBAPP_URL_ANNOTATION = 'outputs.platform.cloudposse.com/webapp-url'
export interface Manifests {
  /** Relative path inside manifests/ → content. */
  files: Record<string, string>
  /** From the webapp-url annotation, when a manifest has one. */
  hostname?: string
}

/**
 * Reads the rendered manifests from the workspace: a YAML file or a directory of them. Symlinks
 * and paths outside the workspace are refused; every document must parse and name apiVersion
 * and kind, so Argo CD never receives a half-rendered release.
 */
export async function readManifests(workspace: string, input: string): Promise<Manifests> {
  const example = 'rendered/manifests.yaml'
  const root = await realpath(workspace)
  const target = path.resolve(root, input)
  const rel = path.relative(root, target)
  if (path.isAbsolute(input) || rel.startsWith('..') || rel === '') {
    throw new InputError(
      'manifests',
      `must be a file or directory inside the workspace, not '${input}'`,
      example,
    )
  }
  // Every component of the path must be a real directory or file, never a link.
  let walk = root
  for (const part of rel.split(path.sep)) {
    walk = path.join(walk, part)
    const st = await lstat(walk).catch(() => undefined)
    if (!st) throw new InputError('manifests', `does not exist: '${input}'`, example)
    if (st.isSymbolicLink())
      throw new InputError(
        'manifests',
        `must not be or go through a symbolic link: '${path.relative(root, walk)}'`,
        example,
      )
  }
  const files: Record<string, string> = {}
  const st = await lstat(target)
  if (st.isFile()) files[path.basename(target)] = await readFile(target, 'utf8')
  else {
    for (const entry of await readdir(target, { withFileTypes: true, recursive: true })) {
      const full = path.join(entry.parentPath, entry.name)
      const name = path.relative(target, full)
      if (entry.isSymbolicLink())
        throw new InputError('manifests', `must not contain symbolic links: '${name}'`, example)
      if (entry.isFile() && /\.(ya?ml|json)$/i.test(entry.name))
        files[name.split(path.sep).join('/')] = await readFile(full, 'utf8')
    }
  }
  if (!Object.keys(files).length)
    throw new InputError('manifests', `holds no .yaml, .yml or .json file: '${input}'`, example)
  let hostname: string | undefined
  for (const [name, text] of Object.entries(files)) {
    const docs = parseAllDocuments(text)
    let index = 0
    for (const doc of docs) {
      index++
      if (doc.errors.length) {
        throw new InputError(
          'manifests',
          `${name}, document ${index}: ${doc.errors[0].message.split('\n')[0]}`,
          example,
        )
      }
      const value = doc.toJS() as Record<string, unknown> | null
      if (value === null) continue
      if (typeof value !== 'object' || Array.isArray(value) || !value.apiVersion || !value.kind) {
        throw new InputError(
          'manifests',
          `${name}, document ${index}: a Kubernetes manifest needs apiVersion and kind`,
          example,
        )
      }
      const annotations = (value.metadata as { annotations?: Record<string, string> } | undefined)
        ?.annotations
      hostname ??= annotations?.[WEBAPP_URL_ANNOTATION]
    }
  }
  return { files, hostname }
}

export interface AppConfig {
  app_repository: string
  app_commit: string
  app_hostname: string
  name: string
  namespace: string
  manifests: string
}

/** config.yaml with exactly the keys the ApplicationSet reads, in a fixed order. */
export function renderConfig(c: AppConfig): string {
  return stringify(
    {
      app_repository: c.app_repository,
      app_commit: c.app_commit,
      app_hostname: c.app_hostname,
      name: c.name,
      namespace: c.namespace,
      manifests: c.manifests,
    },
    { lineWidth: 0 },
  )
}
