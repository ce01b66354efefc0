import path from 'node:path/posix'

/**
 * How Argo CD reads the manifests directory, so a release is judged the way it will be used
 * (Argo CD's repo server detects the source type of a directory the same way):
 * - a directory with `kustomization.yaml`, `kustomization.yml` or `Kustomization` is a
 *   kustomization: that file needs no apiVersion or kind, and the files it names may be patches
 *   or generator inputs, so they must only be valid YAML (or any text);
 * - a directory with `Chart.yaml` is a Helm chart: `templates/` holds Go templates (not YAML,
 *   written as they are); `Chart.yaml`, values files and the rest must be valid YAML, except
 *   `crds/`, which are plain manifests;
 * - `.argocd-source.yaml` and `.argocd-source-<app>.yaml` are Argo CD's parameter overrides;
 * - anything else is a plain manifest: every document needs apiVersion and kind.
 * The nearest such directory above a file decides. Non-YAML files are written inside a chart or a
 * kustomization (helpers, generator inputs) and left out elsewhere, as Argo CD ignores them there.
 */
export type ManifestRole =
  /** Every document needs apiVersion and kind. */
  | 'manifest'
  /** Must be valid YAML: a kustomization, chart metadata, values, patches, overrides. */
  | 'yaml'
  /** Written as it is (a template or a non-YAML file of a chart or kustomization). */
  | 'text'
  /** Not part of what Argo CD reads: not written. */
  | 'skip'

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
const YAML = /\.(ya?ml|json)$/i
const ARGOCD_SOURCE = /^\.argocd-source(-.+)?\.ya?ml$/

/** The role of each file, given every file of the directory (relative, '/'-separated). */
export function manifestRoles(files: string[]): Map<string, ManifestRole> {
  const dirs = (names: string[]) =>
    new Set(files.filter((f) => names.includes(path.basename(f))).map((f) => path.dirname(f)))
  const charts = dirs(['Chart.yaml'])
  const kustomizations = dirs(KUSTOMIZATION_FILES)
  const roles = new Map<string, ManifestRole>()
  for (const file of files) {
    const base = path.basename(file)
    let role: ManifestRole = YAML.test(base) ? 'manifest' : 'skip'
    if (ARGOCD_SOURCE.test(base)) role = 'yaml'
    // The nearest chart or kustomization directory above the file decides.
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      if (charts.has(dir)) {
        const inside = path.relative(dir, file).split('/')[0]
        role =
          inside === 'templates'
            ? 'text'
            : inside === 'crds' && YAML.test(base)
              ? 'manifest'
              : /\.ya?ml$/i.test(base)
                ? 'yaml'
                : 'text'
        break
      }
      if (kustomizations.has(dir)) {
        role = YAML.test(base) || KUSTOMIZATION_FILES.includes(base) ? 'yaml' : 'text'
        break
      }
      if (dir === '.') break
    }
    roles.set(file, role)
  }
  return roles
}
