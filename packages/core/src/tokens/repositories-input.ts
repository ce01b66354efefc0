import { parse } from 'yaml'
import { InputError } from '../errors.js'
import { parseYamlMap } from '../yaml-input.js'

/** `repositories`: a YAML map `slot: owner/repo` (flow or block style). */
export function parseRepositories(text: string, input = 'repositories'): Record<string, string> {
  const example = '{ deploy: my-org/argocd-deploy-non-prod, infra: my-org/infra-repo }'
  if (!text.trim()) return {}
  const doc = parseYamlMap(parse, input, text, { entry: 'slot: owner/repo', example })
  const out: Record<string, string> = {}
  for (const [slot, value] of Object.entries(doc)) {
    if (typeof value !== 'string') {
      throw new InputError(
        input,
        `slot '${slot}' must map to one repository as text, like owner/repo`,
        example,
      )
    }
    out[slot] = value.trim()
  }
  return out
}
