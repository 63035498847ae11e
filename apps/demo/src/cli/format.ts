/** Plain-text tables and numbers for the terminal. */

export function pct(v: number, digits = 2): string {
  return `${(v * 100).toFixed(digits)}%`;
}

export function perLayer(values: readonly number[], digits = 1): string {
  return values.map((v) => pct(v, digits)).join(' / ');
}

/** Columns right-aligned except the first; a rule under the header. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
