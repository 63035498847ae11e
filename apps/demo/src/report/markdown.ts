/** A GitHub-flavoured markdown table; pipes inside cells are escaped. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[], alignRight: readonly number[] = []): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rule = header.map((_, i) => (alignRight.includes(i) ? '---:' : '---'));
  return [header, rule, ...rows].map((r) => `| ${r.map((c) => (r === rule ? c : cell(c ?? ''))).join(' | ')} |`).join('\n');
}
