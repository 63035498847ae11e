/**
 * `node:fs` for the conformance kit in a page: its goldens loader reads `../goldens/<file>.json`
 * with readFileSync; here every golden file is bundled as text and looked up by name.
 */
const BUNDLED = import.meta.glob('../goldens/*.json', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const FILES = new Map(Object.entries(BUNDLED).map(([path, text]) => [path.split('/').pop() as string, text]));

export function readFileSync(path: URL | string): string {
  // The bundler rewrites new URL('../goldens/ops.json', import.meta.url) to a hashed asset name.
  const name = (String(path).split('/').pop() as string).replace(/-[\w-]{8}\.json$/, '.json');
  const text = FILES.get(name);
  if (text === undefined) throw new Error(`fs shim: no bundled golden file '${name}' (have ${[...FILES.keys()].join(', ')})`);
  return text;
}
