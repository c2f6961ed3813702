/**
 * The origins a page of `origin` may be opened as. A loopback server (`pnpm start` on a laptop) is
 * reached as http://localhost:<port> and http://127.0.0.1:<port> alike — the demo page must chat
 * under either name — so each loopback name stands for both. Any other origin is only itself.
 */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1'];

export function loopbackAliases(origin: string): string[] {
  const url = new URL(origin);
  if (!LOOPBACK_NAMES.includes(url.hostname)) return [url.origin];
  return LOOPBACK_NAMES.map((name) => {
    url.hostname = name;
    return url.origin;
  });
}
