import { manifestRoles } from '../src/manifest-rules.js'

describe('manifest roles follow how Argo CD detects a directory', () => {
  test('plain directory: YAML and JSON are manifests, other files are left out', () => {
    expect(
      Object.fromEntries(
        manifestRoles(['a.yaml', 'b.json', 'c/d.yml', 'README.md', '.argocd-source-web.yaml']),
      ),
    ).toEqual({
      'a.yaml': 'manifest',
      'b.json': 'manifest',
      'c/d.yml': 'manifest',
      'README.md': 'skip',
      '.argocd-source-web.yaml': 'yaml',
    })
  })
  test('a kustomization: everything below it is YAML or text, nothing needs a kind', () => {
    expect(
      Object.fromEntries(
        manifestRoles([
          'kustomization.yaml',
          'patch.yaml',
          'app.env',
          'base/Kustomization',
          'base/svc.yaml',
          'other/x.yaml',
        ]),
      ),
    ).toEqual({
      'kustomization.yaml': 'yaml',
      'patch.yaml': 'yaml',
      'app.env': 'text',
      'base/Kustomization': 'yaml',
      'base/svc.yaml': 'yaml',
      'other/x.yaml': 'yaml',
    })
  })
  test('a Helm chart: templates are text, crds are manifests, values are YAML', () => {
    expect(
      Object.fromEntries(
        manifestRoles([
          'chart/Chart.yaml',
          'chart/values.yaml',
          'chart/values-prod.yaml',
          'chart/templates/deploy.yaml',
          'chart/templates/_helpers.tpl',
          'chart/crds/crd.yaml',
          'chart/.helmignore',
          'chart/charts/sub/Chart.yaml',
          'chart/charts/sub/templates/x.yaml',
          'plain.yaml',
        ]),
      ),
    ).toEqual({
      'chart/Chart.yaml': 'yaml',
      'chart/values.yaml': 'yaml',
      'chart/values-prod.yaml': 'yaml',
      'chart/templates/deploy.yaml': 'text',
      'chart/templates/_helpers.tpl': 'text',
      'chart/crds/crd.yaml': 'manifest',
      'chart/.helmignore': 'text',
      'chart/charts/sub/Chart.yaml': 'yaml',
      'chart/charts/sub/templates/x.yaml': 'text',
      'plain.yaml': 'manifest',
    })
  })
})
