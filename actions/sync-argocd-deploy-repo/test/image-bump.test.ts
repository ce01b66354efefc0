import { bumpImage, parseUpdate } from '../src/image-bump.js'
import { renderConfig } from '../src/release-files.js'
import { commitMessage } from '../src/sync.js'
import { DEFAULT_MESSAGE, type SyncInputs } from '../src/inputs.js'

describe('image bumps keep comments and key order', () => {
  test('kustomize images: entry', () => {
    const before = [
      '# managed by the release workflow',
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - deployment.yaml # the app',
      'images:',
      '  - name: ghcr.io/acme/web-app',
      '    newTag: v1.0.0 # bumped by CI',
      '  - name: nginx',
      '    newTag: "1.27"',
      '',
    ].join('\n')
    const after = bumpImage(
      parseUpdate('kustomize:kustomization.yaml', 'web-app'),
      before,
      'ghcr.io/acme/web-app',
      'v1.4.2',
    )
    expect(after).toBe(
      before.replace('newTag: v1.0.0 # bumped by CI', 'newTag: v1.4.2 # bumped by CI'),
    )
  })

  test('helm values at a YAML path', () => {
    const before = [
      'replicaCount: 2',
      'image:',
      '  # the registry',
      '  repository: ghcr.io/acme/web-app',
      '  tag: v1.0.0',
      'service: {}',
      '',
    ].join('\n')
    const after = bumpImage(
      parseUpdate('helm-values:values.yaml:image.tag', 'web-app'),
      before,
      'ghcr.io/acme/web-app',
      'v2.0.0',
    )
    expect(after).toBe(before.replace('tag: v1.0.0', 'tag: v2.0.0'))
  })

  test('argocd-source file: created, then updated in place', () => {
    const spec = parseUpdate('argocd-source', 'web-app')
    expect(spec.file).toBe('.argocd-source-web-app.yaml')
    const created = bumpImage(spec, undefined, 'ghcr.io/acme/web-app', 'v1')
    expect(created).toBe('kustomize:\n  images:\n    - ghcr.io/acme/web-app:v1\n')
    const updated = bumpImage(
      spec,
      `# written by argocd-image-updater\n${created}`,
      'ghcr.io/acme/web-app',
      'v2',
    )
    expect(updated).toBe(
      '# written by argocd-image-updater\nkustomize:\n  images:\n    - ghcr.io/acme/web-app:v2\n',
    )
  })

  test.each([
    ['kustomize:', 'needs a file path'],
    ['kustomize:../x.yaml', 'needs a file path'],
    ['helm-values:values.yaml', "helm-values needs '<file>:<yaml.path>'"],
    ['sed:x', 'must be kustomize:<file>'],
  ])('%s is refused', (value, message) => {
    expect(() => parseUpdate(value, 'web-app')).toThrow(message)
  })

  test('an image that is not in the list is named', () => {
    expect(() =>
      bumpImage(
        parseUpdate('kustomize:k.yaml', 'a'),
        'images:\n  - name: other\n',
        'ghcr.io/acme/web-app',
        'v1',
      ),
    ).toThrow("'ghcr.io/acme/web-app' is not in the images: list of k.yaml")
  })
})

test('config.yaml has exactly the six keys, in order', () => {
  expect(
    renderConfig({
      app_repository: 'acme/web-app',
      app_commit: 'a'.repeat(40),
      app_hostname: 'https://web.test',
      name: 'web.web-app',
      namespace: 'web',
      manifests: 'plat/use2-dev/apps/web/web-app/manifests',
    }),
  ).toBe(
    `app_repository: acme/web-app\napp_commit: ${'a'.repeat(40)}\napp_hostname: https://web.test\nname: web.web-app\nnamespace: web\nmanifests: plat/use2-dev/apps/web/web-app/manifests\n`,
  )
})

test('commit message: the template, then machine-readable trailers', () => {
  const inputs = {
    commitMessage: DEFAULT_MESSAGE,
    application: 'web-app',
    namespace: 'web',
    appRepository: 'acme/web-app',
    appCommit: 'b'.repeat(40),
    operation: 'deploy',
    runUrl: 'https://github.com/acme/web-app/actions/runs/1',
  } as SyncInputs
  expect(commitMessage(inputs)).toBe(
    `Deploy acme/web-app@${'b'.repeat(40)} to web.web-app\n\nArgocd-App: web.web-app\nArgocd-Operation: deploy\nApp-Repository: acme/web-app\nApp-Commit: ${'b'.repeat(40)}\nRun-Url: https://github.com/acme/web-app/actions/runs/1\n`,
  )
})
