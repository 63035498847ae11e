/**
 * The TypeScript on docs/snn.md and in this package's README runs as written: each ```ts block is
 * written to a module next to this test (so its imports resolve as a user's would, the package by
 * its own name) and imported.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const DOCS = [
  ['docs/snn.md', new URL('../../../docs/snn.md', import.meta.url)],
  ['packages/snn/README.md', new URL('../README.md', import.meta.url)],
] as const;
const dir = fileURLToPath(new URL('./.doc-blocks/', import.meta.url));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

for (const [name, url] of DOCS) {
  describe(name, () => {
    const blocks = [...readFileSync(url, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    it('has TypeScript examples', () => expect(blocks.length).toBeGreaterThan(0));
    blocks.forEach((code, i) => {
      it(`example ${i + 1} runs`, async () => {
        mkdirSync(dir, { recursive: true });
        const file = `${dir}${name.replace(/[/.]/g, '-')}-${i + 1}.ts`;
        writeFileSync(file, `${code}\nexport {};\n`);
        await import(file);
      }, 120_000);
    });
  });
}
