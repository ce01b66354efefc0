import * as core from '@actions/core'

/**
 * Every form a token can take on its way to a server: raw, the basic-auth header git uses
 * (base64 of `x-access-token:<token>`), plain base64 and URL-encoding. Each is registered with the
 * runner so that none of them can appear in a log, even through a library's debug output.
 */
export function derivedForms(secret: string): string[] {
  const forms = [
    secret,
    Buffer.from(`x-access-token:${secret}`, 'utf8').toString('base64'),
    Buffer.from(secret, 'utf8').toString('base64'),
    encodeURIComponent(secret),
  ]
  return [...new Set(forms.filter((f) => f.length > 0))]
}

const registered = new Set<string>()

/** Masks a secret in the runner's logs and remembers it so failure messages can be scrubbed. */
export function maskSecret(secret: string, setSecret: (s: string) => void = core.setSecret): void {
  if (!secret) return
  registered.add(secret)
  for (const form of derivedForms(secret)) setSecret(form)
}

/** Scrubs every secret masked so far (and its derived forms) from a text. */
export function redactMasked(text: string): string {
  return redact(text, [...registered])
}

/** Replaces every derived form of each secret in text: for messages built from server replies. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    if (!secret) continue
    for (const form of derivedForms(secret)) out = out.split(form).join('***')
  }
  return out
}
