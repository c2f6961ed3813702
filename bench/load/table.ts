/** The load bench's printout: one row per figure, floor beside each product mode, with ratios and targets. */

export type Cell = number | string | null | undefined;

export interface Row {
  metric: string;
  floor: Cell;
  postgres: Cell;
  embedded: Cell;
  /** Print product ÷ floor beside each mode. */
  ratio?: boolean;
  /** The issue's must-reach value for each mode ('' when it sets none). */
  targetPostgres?: string;
  targetEmbedded?: string;
}

export function fmt(value: Cell, digits?: number): string {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return '—';
  if (typeof value === 'string') return value;
  const d = digits ?? (Number.isInteger(value) || Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

const ratio = (product: Cell, floor: Cell) =>
  typeof product === 'number' && typeof floor === 'number' && floor !== 0 && Number.isFinite(product) && Number.isFinite(floor)
    ? `${(product / floor).toFixed(2)}×`
    : '';

export function printTable(title: string, rows: Row[]): void {
  const header = ['metric', 'floor', 'postgres+redis', '×floor', 'must reach', 'embedded', '×floor', 'must reach'];
  const body = rows.map((r) => [
    r.metric,
    fmt(r.floor),
    fmt(r.postgres),
    r.ratio ? ratio(r.postgres, r.floor) : '',
    r.targetPostgres ?? '',
    fmt(r.embedded),
    r.ratio ? ratio(r.embedded, r.floor) : '',
    r.targetEmbedded ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const b of body) console.log(line(b));
}

/** `{a: 2, b: 1}` → "a 2, b 1"; "0" when empty. */
export const counts = (record: Record<string, number>) =>
  Object.keys(record).length === 0
    ? '0'
    : Object.entries(record)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
