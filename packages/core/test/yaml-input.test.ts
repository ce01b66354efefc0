import { parse } from 'yaml'
import { InputError, parseYamlInput, parseYamlMap } from '../src/index.js'

const caught = (f: () => unknown): InputError => {
  try {
    f()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('no InputError')
}

describe('parseYamlInput', () => {
  it('returns the document', () => {
    expect(parseYamlInput(parse, 'tags', 'team: platform', '{ team: platform }')).toEqual({
      team: 'platform',
    })
  })

  it('names the input, the first line of the YAML error and an example', () => {
    const e = caught(() => parseYamlInput(parse, 'targets', '[unclosed', '[{ name: /a }]'))
    expect(e.input).toBe('targets')
    expect(e.message).toMatch(/^Input 'targets' is not valid YAML: [^\n]+/)
    expect(e.message).toContain('[{ name: /a }]')
  })
})

describe('parseYamlMap', () => {
  it.each([['- a'], ['just text'], ['null']])('refuses %j: not a map', (text) => {
    const e = caught(() =>
      parseYamlMap(parse, 'repositories', text, {
        entry: 'slot: owner/repo',
        example: '{ a: o/r }',
      }),
    )
    expect(e.message).toContain("'repositories' must be a YAML map of slot: owner/repo")
  })

  it('returns the map', () => {
    expect(parseYamlMap(parse, 'tags', '{ a: 1 }', { entry: 'key: value', example: '' })).toEqual({
      a: 1,
    })
  })
})
