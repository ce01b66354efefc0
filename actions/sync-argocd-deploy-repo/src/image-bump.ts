import { InputError } from '@argocd-actions/core'
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml'
import type { UpdateSpec } from './update-spec.js'

export { parseUpdate, type UpdateSpec } from './update-spec.js'

/**
 * Image-tag bumps that keep comments and key order: the yaml Document API edits the node in place.
 */
function load(text: string, file: string): Document {
  const doc = parseDocument(text)
  if (doc.errors.length)
    throw new InputError(
      'update',
      `${file} in the deploy repo is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`,
      'kustomize:kustomization.yaml',
    )
  return doc
}

/** Returns the edited file (or a new one for argocd-source when absent). */
export function bumpImage(
  spec: UpdateSpec,
  current: string | undefined,
  image: string,
  tag: string,
): string {
  if (spec.kind === 'argocd-source') {
    // argocd-image-updater's write-back file: helm or kustomize overrides.
    const doc = load(current ?? '', spec.file)
    if (!current || doc.contents === null) {
      return `kustomize:\n  images:\n    - ${image}:${tag}\n`
    }
    if (doc.hasIn(['helm', 'parameters'])) {
      const params = doc.getIn(['helm', 'parameters'])
      if (isSeq(params)) {
        for (const item of params.items) {
          if (isMap(item) && item.get('name') === 'image.tag') item.set('value', tag)
          if (isMap(item) && item.get('name') === 'image.repository') item.set('value', image)
        }
      }
      return doc.toString()
    }
    const images = doc.getIn(['kustomize', 'images'])
    const entry = `${image}:${tag}`
    if (isSeq(images)) {
      const i = images.items.findIndex(
        (n) => String((n as { value?: unknown }).value ?? n).split(/[:@=]/)[0] === image,
      )
      if (i >= 0) images.set(i, entry)
      else images.add(entry)
    } else doc.setIn(['kustomize', 'images'], [entry])
    return doc.toString()
  }
  if (current === undefined)
    throw new InputError(
      'update',
      `${spec.file} does not exist in the app directory of the deploy repo`,
      'kustomize:kustomization.yaml',
    )
  const doc = load(current, spec.file)
  if (spec.kind === 'kustomize') {
    const images = doc.get('images')
    if (!isSeq(images))
      throw new InputError(
        'update',
        `${spec.file} has no images: list`,
        'kustomize:kustomization.yaml',
      )
    const entry = images.items.find(
      (n) => isMap(n) && (n.get('name') === image || n.get('newName') === image),
    )
    if (!entry || !isMap(entry))
      throw new InputError(
        'image',
        `'${image}' is not in the images: list of ${spec.file}`,
        'ghcr.io/acme/web',
      )
    entry.set('newTag', tag)
    return doc.toString()
  }
  if (!doc.hasIn(spec.yamlPath))
    throw new InputError(
      'update',
      `${spec.file} has no ${spec.yamlPath.join('.')}`,
      'helm-values:values.yaml:image.tag',
    )
  // A tag replaces a value, never a map or a list (image: {repository, tag} would be lost).
  const node = doc.getIn(spec.yamlPath, true)
  if (isMap(node) || isSeq(node) || isAlias(node))
    throw new InputError(
      'update',
      `${spec.file}: ${spec.yamlPath.join('.')} is ${
        isMap(node)
          ? `a map (${node.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key)).join(', ')})`
          : isSeq(node)
            ? `a list of ${node.items.length}`
            : 'an alias'
      }, not a value: name the tag itself`,
      `helm-values:${spec.file}:${spec.yamlPath.join('.')}${isMap(node) && node.has('tag') ? '.tag' : ''}`,
    )
  doc.setIn(spec.yamlPath, tag)
  return doc.toString()
}
