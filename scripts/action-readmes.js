// Regenerates the inputs/outputs tables of every actions/*/README.md from its action.yml, between
// the inputs-outputs markers. With --check, changes nothing and exits 1 when a README is stale.
import { readFile, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'yaml'

const START = '<!-- inputs-outputs:start -->'
const END = '<!-- inputs-outputs:end -->'
const check = process.argv.includes('--check')

const cell = (s) =>
  String(s ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\|/g, '\\|')

export function renderTables(action) {
  const lines = ['## Inputs', '', '| name | description | default |', '| --- | --- | --- |']
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    const dflt = input.default === undefined ? '' : `\`${cell(input.default)}\``
    const req = input.required ? ' **Required.**' : ''
    lines.push(`| \`${name}\` | ${cell(input.description)}${req} | ${dflt} |`)
  }
  lines.push('', '## Outputs', '', '| name | description |', '| --- | --- |')
  for (const [name, output] of Object.entries(action.outputs ?? {})) {
    lines.push(`| \`${name}\` | ${cell(output.description)} |`)
  }
  return lines.join('\n')
}

let stale = 0
for (const dir of (await readdir('actions', { withFileTypes: true })).filter((d) =>
  d.isDirectory(),
)) {
  const base = path.join('actions', dir.name)
  const action = parse(await readFile(path.join(base, 'action.yml'), 'utf8'))
  const readmePath = path.join(base, 'README.md')
  const readme = await readFile(readmePath, 'utf8').catch(() => '')
  const start = readme.indexOf(START)
  const end = readme.indexOf(END)
  if (start < 0 || end < start) {
    console.error(`${readmePath}: missing the ${START} … ${END} markers`)
    stale++
    continue
  }
  const next = `${readme.slice(0, start + START.length)}\n${renderTables(action)}\n${readme.slice(end)}`
  if (next === readme) continue
  stale++
  if (check) console.error(`${readmePath} is stale: run 'npm run readmes' and commit it.`)
  else {
    await writeFile(readmePath, next)
    console.log(`updated ${readmePath}`)
  }
}
if (check && stale) process.exit(1)
