/**
 * Picks the content coding of a response from the request's Accept-Encoding (RFC 9110 §12.5.3).
 * Koa's `ctx.acceptsEncodings` (negotiator 0.6) breaks ties by the client's order, and Chromium
 * sends `gzip, deflate, br, zstd`: it would pick gzip. Here ties go to the server's order instead
 * (`offered` is best first), so brotli wins whenever the client rates it as high as gzip.
 */
export type ContentCoding = 'br' | 'gzip' | 'identity';

/** The best of `offered` (best first, `identity` last) that the header accepts; `identity` if none is. */
export function pickEncoding(header: string | undefined, offered: readonly ContentCoding[]): ContentCoding {
  const q = qualities(header ?? '');
  // Unnamed identity is acceptable but ranks below every coding the client named; and a client
  // that refuses every offered coding still gets the bytes rather than a 406.
  let best: ContentCoding = 'identity';
  let bestQ = 0;
  for (const coding of offered) {
    const quality = q.get(coding) ?? q.get('*') ?? 0;
    if (quality > bestQ) {
      best = coding;
      bestQ = quality;
    }
  }
  return best;
}

/** `gzip;q=0.8, br` → gzip: 0.8, br: 1 (names lower-cased, `x-gzip` as gzip, malformed q as 0). */
function qualities(header: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawName = '', ...params] = part.split(';');
    const name = rawName.trim().toLowerCase();
    if (!name) continue;
    let quality = 1;
    for (const param of params) {
      const [key, value] = param.split('=').map((s) => s.trim());
      if (key?.toLowerCase() === 'q') quality = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value ?? '') ? Number(value) : 0;
    }
    map.set(name === 'x-gzip' ? 'gzip' : name, quality);
  }
  return map;
}
