// Validates response bodies against GitHub's published OpenAPI description (@octokit/openapi).
// OpenAPI 3.0 is not JSON Schema: `nullable` becomes a type union, and example/x-* keys go.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { Ajv, type ValidateFunction } from 'ajv'
import formats from 'ajv-formats'

type Json = unknown
type SchemaObject = Record<string, unknown>

const require = createRequire(import.meta.url)
const DESCRIPTION = require.resolve('@octokit/openapi/generated/api.github.com.deref.json')

/** Keys whose values are data, not schemas: copied as they are. */
const DATA_KEYS = new Set(['enum', 'default', 'const', 'required'])

export function toJsonSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toJsonSchema)
  if (!schema || typeof schema !== 'object') return schema
  const src = schema as SchemaObject
  const out: SchemaObject = {}
  for (const [key, value] of Object.entries(src)) {
    if (key === 'nullable' || key === 'example' || key === 'examples' || key.startsWith('x-'))
      continue
    if (DATA_KEYS.has(key)) out[key] = value
    else if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(
        Object.entries(value as SchemaObject).map(([k, v]) => [k, toJsonSchema(v)]),
      )
    } else out[key] = toJsonSchema(value)
  }
  if (src['nullable'] !== true) return out
  if (typeof out['type'] === 'string') {
    out['type'] = [out['type'], 'null']
    if (Array.isArray(out['enum']) && !out['enum'].includes(null))
      out['enum'] = [...out['enum'], null]
    return out
  }
  // nullable next to oneOf/allOf without a type: null, or the schema.
  return { anyOf: [{ type: 'null' }, out] }
}

export interface OpenApi {
  /** Response schema of `method path` for `status`, as JSON Schema; throws if the description has none. */
  schema(method: string, path: string, status: number): SchemaObject
  /** Compiled validator for a response (cached). */
  validator(method: string, path: string, status: number): ValidateFunction
  /** Compiled validator for an arbitrary JSON Schema (e.g. a shared error shape). */
  compile(schema: SchemaObject): ValidateFunction
}

export function loadOpenApi(): OpenApi {
  const spec = JSON.parse(readFileSync(DESCRIPTION, 'utf8')) as {
    paths: Record<
      string,
      Record<string, { responses: Record<string, { content?: Record<string, { schema?: Json }> }> }>
    >
  }
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false })
  formats.default(ajv)
  // Formats GitHub uses that are not JSON Schema formats; accept any value.
  ajv.addFormat('timestamp', true)
  ajv.addFormat('repo.nwo', true)
  const cache = new Map<string, ValidateFunction>()

  const schema = (method: string, path: string, status: number): SchemaObject => {
    const op = spec.paths[path]?.[method.toLowerCase()]
    if (!op) throw new Error(`no operation ${method} ${path} in the OpenAPI description`)
    const raw = op.responses[String(status)]?.content?.['application/json']?.schema
    if (!raw) throw new Error(`${method} ${path} defines no JSON body for ${status}`)
    return toJsonSchema(raw) as SchemaObject
  }
  return {
    schema,
    validator(method, path, status) {
      const key = `${method} ${path} ${status}`
      let v = cache.get(key)
      if (!v) {
        v = ajv.compile(schema(method, path, status))
        cache.set(key, v)
      }
      return v
    },
    compile(s) {
      return ajv.compile(s)
    },
  }
}

/** Readable validation errors for a failed expectation. */
export function describeErrors(v: ValidateFunction): string {
  return (v.errors ?? [])
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('\n')
}
