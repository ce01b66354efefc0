import { lstat, readFile, readdir, realpath } from 'node:fs/promises'
import path from 'node:path'
import { InputError } from '@argocd-actions/core'
import { parseAllDocuments, stringify } from 'yaml'
import { checkGitPath } from './git-paths.js'
import { urlProblem } from './names.js'
import { manifestRoles } from './manifest-rules.js'

export { checkDnsLabel } from './names.js'

/** What goes into `<path>/<namespace>/<application>/`: config.yaml and the rendered manifests. */

export const WEBAPP_URL_ANNOTATION = 'outputs.platform.cloudposse.com/webapp-url'
export interface Manifests {
  /** Relative path inside manifests/ → content. */
  files: Record<string, string>
  /** From the webapp-url annotation, when a manifest has one. */
  hostname?: string
}

/** The default per-file size limit of the rendered manifests (input `max-manifest-mb`). */
export const DEFAULT_MAX_MANIFEST_MB = 10
/** More aliases than this in one document is an alias bomb ("billion laughs"), not a manifest. */
const MAX_ALIASES = 100

/**
 * Reads the rendered manifests from the workspace: a YAML file or a directory of them. Symlinks,
 * paths outside the workspace, names git refuses and files over the size limit are refused; each
 * file is judged as Argo CD reads it (see manifest-rules.ts), so Argo CD never receives a
 * half-rendered release.
 */
export async function readManifests(
  workspace: string,
  input: string,
  maxBytes = DEFAULT_MAX_MANIFEST_MB * 1024 * 1024,
): Promise<Manifests> {
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
  // Relative name ('/'-separated) → path on disk, for every regular file.
  const found = new Map<string, string>()
  const st = await lstat(target)
  if (st.isFile()) found.set(path.basename(target), target)
  else {
    for (const entry of await readdir(target, { withFileTypes: true, recursive: true })) {
      const full = path.join(entry.parentPath, entry.name)
      const name = path.relative(target, full)
      if (entry.isSymbolicLink())
        throw new InputError('manifests', `must not contain symbolic links: '${name}'`, example)
      if (entry.isFile()) found.set(name.split(path.sep).join('/'), full)
    }
  }
  const files: Record<string, string> = {}
  let hostname: string | undefined
  const roles = manifestRoles([...found.keys()])
  for (const [name, full] of [...found].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const role = roles.get(name)!
    if (role === 'skip') continue
    // The name becomes a path in the deploy repository: git must accept it.
    checkGitPath('manifests', name, example, 'the file name ')
    const size = (await lstat(full)).size
    if (size > maxBytes)
      throw new InputError(
        'manifests',
        `${name} is ${mib(size)} MiB, over the limit of ${mib(maxBytes)} MiB per file (raise it with 'max-manifest-mb', up to ${MAX_MANIFEST_MB_LIMIT}; Kubernetes objects are at most about 1.5 MiB each)`,
        example,
      )
    const bytes = await readFile(full)
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch {
      throw new InputError(
        'manifests',
        `${name} is not UTF-8 text (a release writes text files; unpack a packaged chart)`,
        example,
      )
    }
    files[name] = text
    if (role !== 'text') hostname = checkYaml(name, text, role === 'manifest', hostname)
  }
  if (!Object.keys(files).length)
    throw new InputError('manifests', `holds no .yaml, .yml or .json file: '${input}'`, example)
  return { files, hostname }
}

/** The largest `max-manifest-mb`: well under GitHub's 100 MB limit on a file. */
export const MAX_MANIFEST_MB_LIMIT = 50
const mib = (n: number) => (n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')

/**
 * Every document of a file must parse (without an alias bomb); a plain manifest's documents need
 * apiVersion and kind. Returns the webapp-url annotation (the first found), checked as a URL.
 */
function checkYaml(
  name: string,
  text: string,
  manifest: boolean,
  hostname: string | undefined,
): string | undefined {
  const example = 'rendered/manifests.yaml'
  const docs = parseAllDocuments(text)
  let index = 0
  for (const doc of docs) {
    index++
    const where = `${name}, document ${index}`
    if (doc.errors.length)
      throw new InputError(
        'manifests',
        `${where}: ${doc.errors[0].message.split('\n')[0]}`,
        example,
      )
    let value: unknown
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES })
    } catch (error) {
      // The yaml package refuses to expand too many aliases (ReferenceError): a resource bomb.
      throw new InputError(
        'manifests',
        `${where}: ${error instanceof ReferenceError ? `expands too many YAML aliases (more than ${MAX_ALIASES}): refused as an alias bomb` : (error as Error).message.split('\n')[0]}`,
        example,
      )
    }
    if (value === null) continue
    const object =
      typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined
    if (manifest && (!object?.apiVersion || !object.kind)) {
      throw new InputError(
        'manifests',
        `${where}: a Kubernetes manifest needs apiVersion and kind (a kustomization, a Helm chart and .argocd-source files do not: see the README)`,
        example,
      )
    }
    const annotations = (
      object as { metadata?: { annotations?: Record<string, unknown> } } | undefined
    )?.metadata?.annotations
    const url = annotations?.[WEBAPP_URL_ANNOTATION]
    // Every one is checked; the first becomes config.yaml's app_hostname.
    if (url !== undefined) {
      const checked = checkWebappUrl(where, url)
      hostname ??= checked
    }
  }
  return hostname
}

/** The annotation becomes config.yaml's app_hostname: the same check as the `app-hostname` input. */
function checkWebappUrl(where: string, url: unknown): string {
  const problem =
    typeof url !== 'string'
      ? `is a ${url === null ? 'null' : Array.isArray(url) ? 'list' : typeof url}, not a URL`
      : urlProblem(url)
  if (problem)
    throw new InputError(
      'manifests',
      `${where}: the ${WEBAPP_URL_ANNOTATION} annotation ${problem} (it becomes config.yaml's app_hostname, e.g. https://web.use2-dev.acme.test)`,
      'rendered/manifests.yaml',
    )
  return url as string
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
