/** table[key], or an error naming the kernel, the unknown key and the known ones. */
export function pick<T>(kernel: string, what: string, table: Readonly<Record<string, T>>, key: unknown): T {
  if (typeof key === 'string' && Object.hasOwn(table, key)) return table[key] as T;
  throw new Error(`${kernel}: unknown ${what} ${JSON.stringify(key)}; known: ${Object.keys(table).join(', ')}`);
}
