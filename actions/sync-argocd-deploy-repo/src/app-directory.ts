import { UserError } from '@argocd-actions/core'

/**
 * A release writes only where an app lives. The ApplicationSet makes an app of every
 * `config.yaml` of the layout, so a directory holding one is an app directory:
 * - a deploy may create a new directory, or replace one that is an app directory;
 * - destroy removes only an app directory;
 * - neither reaches inside another app's directory (its manifests are Argo CD's to apply). A
 *   directory above counts as an app only when its config.yaml is the layout's (it names
 *   app_repository, app_commit or manifests): a tenant or cluster directory may hold a
 *   config.yaml of its own, which the ApplicationSet (`<cluster>/apps/<ns>/<app>/config.yaml`)
 *   never reads.
 * So `path: plat`, `namespace: use2-dev`, `application: argocd` cannot replace or delete the
 * cluster's `argocd/` directory that Terraform wrote.
 */
export const APP_MARKER = 'config.yaml'

export interface DirEntry {
  name: string
  type: string
  sha: string
}

/** A config.yaml the layout wrote (or a user wrote for it), told from other config files. */
export const isLayoutConfig = (text: string) =>
  /^(app_repository|app_commit|manifests)\s*:/m.test(text)

export async function checkAppDirectory(
  list: (tree: string) => Promise<DirEntry[]>,
  readText: (blob: string) => Promise<string>,
  rootTree: string,
  segments: string[],
  where: { repo: string; branch: string; operation: 'deploy' | 'destroy' },
): Promise<void> {
  const dir = segments.join('/')
  const marker = (entries: DirEntry[]) =>
    entries.find((e) => e.name === APP_MARKER && e.type === 'blob')
  const isApp = (entries: DirEntry[]) => marker(entries) !== undefined
  let tree = rootTree
  for (let k = 0; k < segments.length; k++) {
    const entries = await list(tree)
    // Below the repository root: a directory on the way that is itself an app. Its config.yaml
    // is read only then (rare), so a release costs no more round trips.
    const config = k > 0 ? marker(entries) : undefined
    if (config && isLayoutConfig(await readText(config.sha))) {
      throw new UserError(
        `${dir} would be inside the app directory ${segments.slice(0, k).join('/')} (it holds ${APP_MARKER}) in ${where.repo}@${where.branch}: check 'path' (the cluster's apps directory, e.g. plat/use2-dev/apps), 'namespace' and 'application'. Nothing was pushed.`,
      )
    }
    const next = entries.find((e) => e.name === segments[k])
    // A new directory (or a file in the way, which the caller refuses): nothing to replace.
    if (next?.type !== 'tree') return
    tree = next.sha
  }
  const entries = await list(tree)
  if (!isApp(entries)) {
    const held = entries.map((e) => (e.type === 'tree' ? `${e.name}/` : e.name))
    throw new UserError(
      `${dir} in ${where.repo}@${where.branch} is not an app directory (it has no ${APP_MARKER}; it holds ${held.slice(0, 5).join(', ')}${held.length > 5 ? ', ...' : ''}): ${where.operation === 'destroy' ? 'destroy removes' : 'a release replaces'} only an app directory. Check 'path' (the cluster's apps directory, e.g. plat/use2-dev/apps), 'namespace' and 'application'. Nothing was pushed.`,
    )
  }
}
