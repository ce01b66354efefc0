import { InputError } from './errors.js'

/** `parse` from the `yaml` package: passed in, so a caller can load yaml only when it needs it. */
export type YamlParse = (text: string) => unknown

/** Parses a YAML input; a syntax error becomes an InputError naming the input, with an example. */
export function parseYamlInput(
  parse: YamlParse,
  input: string,
  text: string,
  example: string,
): unknown {
  try {
    return parse(text)
  } catch (error) {
    throw new InputError(
      input,
      `is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
      example,
    )
  }
}

/** Parses a YAML input that must be a map; `entry` shows one entry, as in "slot: owner/repo". */
export function parseYamlMap(
  parse: YamlParse,
  input: string,
  text: string,
  { entry, example }: { entry: string; example: string },
): Record<string, unknown> {
  const doc = parseYamlInput(parse, input, text, example)
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new InputError(input, `must be a YAML map of ${entry}`, example)
  }
  return doc as Record<string, unknown>
}
