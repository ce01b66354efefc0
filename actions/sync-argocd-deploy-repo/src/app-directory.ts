import { UserError } from '@argocd-actions/core'

/**
 * A release writes only where an app lives. The ApplicationSet makes an app of every
 * `config.yaml` of the layout, so a directory holding one is an app directory:
 * - a deploy may create a new directory, or replace one that is an app directory;
 * - destroy removes only an app directory;
 * - neither reaches inside another app's directory (its manifests are Argo CD's to apply).
 * So `path: plat`, `namespace: use2-dev`, `application: argocd` cannot replace or delete the
 * cluster's `argocd/` directory that Terraform wrote.
 */
export const APP_MARKER = 'config.yaml'

export interface DirEntry {
  name: string
  type: string
  sha: string
}

export async function checkAppDirectory(
  list: (tree: string) => Promise<DirEntry[]>,
  rootTree: string,
  segments: string[],
  where: { repo: string; branch: string; operation: 'deploy' | 'destroy' },
): Promise<void> {
  const dir = segments.join('/')
  const isApp = (entries: DirEntry[]) =>
    entries.some((e) => e.name === APP_MARKER && e.type === 'blob')
  let tree = rootTree
  for (let k = 0; k < segments.length; k++) {
    const entries = await list(tree)
    // Below the repository root: a directory on the way that is itself an app.
    if (k > 0 && isApp(entries)) {
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
