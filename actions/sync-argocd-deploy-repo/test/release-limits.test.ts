import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { bumpImage, parseUpdate } from '../src/image-bump.js'
import { relativePathProblem } from '../src/inputs.js'
import { urlProblem } from '../src/names.js'
import { readManifests } from '../src/release-files.js'

let ws: string
beforeAll(async () => {
  ws = await mkdtemp(path.join(tmpdir(), 'release-limits-'))
})
afterAll(() => rm(ws, { recursive: true, force: true }))

async function dir(name: string, files: Record<string, string | Buffer>): Promise<string> {
  for (const [f, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(ws, name, f)), { recursive: true })
    await writeFile(path.join(ws, name, f), content)
  }
  return name
}

test('helm-values refuses a map or a list, naming what is there', () => {
  const values = 'image:\n  repository: r\n  tag: v1\nports:\n  - 80\n  - 443\n'
  expect(() =>
    bumpImage(parseUpdate('helm-values:values.yaml:image', 'a'), values, 'r', 'v2'),
  ).toThrow('values.yaml: image is a map (repository, tag), not a value: name the tag itself')
  expect(() =>
    bumpImage(parseUpdate('helm-values:values.yaml:ports', 'a'), values, 'r', 'v2'),
  ).toThrow('ports is a list of 2')
  expect(bumpImage(parseUpdate('helm-values:values.yaml:image.tag', 'a'), values, 'r', 'v2')).toBe(
    values.replace('tag: v1', 'tag: v2'),
  )
})

test('URLs: core check, and no spaces or line breaks', () => {
  expect(urlProblem('https://web.acme.test')).toBeUndefined()
  expect(urlProblem('ftp://x')).toContain('http or https')
  expect(urlProblem('https://a.test/\nx: y')).toContain('spaces or line breaks')
})

test('repository paths', () => {
  expect(relativePathProblem('plat/use2-dev/apps/')).toBeUndefined()
  expect(relativePathProblem('plat/.Git')).toContain('which git reads as .git')
  expect(relativePathProblem('plat/a b')).toContain('relative directory')
})

test('the size limit is checked before a file is read, and names the file', async () => {
  const name = await dir('big', { 'a.yaml': `# ${'x'.repeat(3000)}\napiVersion: v1\nkind: A\n` })
  await expect(readManifests(ws, name, 2048)).rejects.toThrow('a.yaml is 0 MiB, over the limit')
  await expect(readManifests(ws, name, 4096)).resolves.toMatchObject({
    files: { 'a.yaml': expect.any(String) },
  })
})

test('binary files in a chart are refused; outside a chart or kustomization they are left out', async () => {
  const chart = await dir('chart', {
    'Chart.yaml': 'apiVersion: v2\nname: c\n',
    'charts/sub.tgz': Buffer.from([0x1f, 0x8b, 0xff, 0x00]),
  })
  await expect(readManifests(ws, chart)).rejects.toThrow('charts/sub.tgz is not UTF-8 text')
  const plain = await dir('plain', {
    'a.yaml': 'apiVersion: v1\nkind: A\n',
    'logo.png': Buffer.from([0x89, 0xff]),
  })
  expect(Object.keys((await readManifests(ws, plain)).files)).toEqual(['a.yaml'])
})
