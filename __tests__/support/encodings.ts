/** Test helper: one secret written in each encoding a service, a proxy or a flow might echo it in. */

/** The secret in every encoding a service, proxy or flow might echo it back in. */
export function encodings(secret: string): Record<string, string> {
  const upper = encodeURIComponent(secret).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  )
  const allPercent = [...Buffer.from(secret)]
    .map((b) => `%${b.toString(16).padStart(2, '0')}`)
    .join('')
  return {
    raw: secret,
    // Sent raw in a query, read back as a form: every `+` becomes a space.
    'plus as space': secret.replace(/\+/g, ' '),
    'percent upper': upper,
    'percent lower': upper.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    'percent every char': allPercent,
    'percent twice': encodeURIComponent(upper),
    base64: Buffer.from(secret).toString('base64'),
    'base64 inside base64': Buffer.from(`id:${secret}`).toString('base64'),
    'base64 shifted by two': Buffer.from(`ab${secret}`).toString('base64'),
    base64url: Buffer.from(secret).toString('base64url'),
    'html named': secret
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;'),
    'html decimal': [...secret].map((c) => `&#${c.charCodeAt(0)};`).join(''),
    'html hex': [...secret].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join(''),
    'html hex upper': [...secret]
      .map((c) => `&#X${c.charCodeAt(0).toString(16).toUpperCase()};`)
      .join(''),
    'json escaped': JSON.stringify(secret).slice(1, -1).replace(/\//g, '\\/'),
    'json unicode': [...secret]
      .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join('')
  }
}
