/**
 * engine.io-client's URI parser (contrib/parseuri.js: a 14-group regex, ~0.6 KB gz) on the
 * browser's own URL instead; vite.config.ts puts it in its place for the app build. The widget
 * hands socket.io one absolute URL (`${origin}/visitor`), and socket.io reads these fields of it.
 * widget/src/app/socket-parseuri.test.ts checks them against the original.
 */
export function parse(uri: string) {
  const url = new URL(uri.includes('://') ? uri : `http://${uri}`);
  return {
    source: uri,
    protocol: url.protocol.slice(0, -1),
    // parseuri gives an IPv6 host without its brackets; socket.io adds them back.
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port,
    path: url.pathname,
    query: url.search.slice(1),
    queryKey: Object.fromEntries(url.searchParams),
  };
}
