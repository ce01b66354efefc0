import { parse as parseYaml } from 'yaml'
import { InputError } from '../errors.js'

/** `repositories`: a YAML map `slot: owner/repo` (flow or block style). */
export function parseRepositories(text: string, input = 'repositories'): Record<string, string> {
  const example = '{ deploy: my-org/argocd-deploy-non-prod, infra: my-org/infra-repo }'
  if (!text.trim()) return {}
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (error) {
    throw new InputError(
      input,
      `is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
      example,
    )
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new InputError(input, 'must be a YAML map of slot: owner/repo', example)
  }
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
