import { derivedForms, maskSecret, redact, redactMasked } from '../src/index.js'

const canary = 'ghp_CANARY0123456789abcdefghijklmnopqrstuv'

test('derived forms include the basic-auth header git uses', () => {
  const forms = derivedForms(canary)
  expect(forms).toContain(canary)
  expect(forms).toContain(Buffer.from(`x-access-token:${canary}`).toString('base64'))
  expect(forms).toContain(Buffer.from(canary).toString('base64'))
})

test('URL-encoded form is masked when it differs', () => {
  const odd = 'glpat-a+b/c='
  expect(derivedForms(odd)).toContain('glpat-a%2Bb%2Fc%3D')
})

test('maskSecret registers every derived form with the runner', () => {
  const masked: string[] = []
  maskSecret(canary, (s) => masked.push(s))
  expect(masked).toEqual(derivedForms(canary))
})

test('redact removes raw and derived forms', () => {
  const header = Buffer.from(`x-access-token:${canary}`).toString('base64')
  const text = `token ${canary} and AUTHORIZATION: basic ${header}`
  const out = redact(text, [canary])
  expect(out).not.toContain(canary)
  expect(out).not.toContain(header)
  expect(out).toBe('token *** and AUTHORIZATION: basic ***')
})

test('redactMasked scrubs secrets masked earlier', () => {
  maskSecret(canary, () => undefined)
  expect(redactMasked(`oops ${canary}`)).toBe('oops ***')
})
