#!/usr/bin/env node
/**
 * The bench's one command: runs the sections, prints markdown tables to stdout (progress goes to
 * stderr), writes the results JSON and, for a full run, docs/benchmarks.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BenchConfig, FULL, SECTION_IDS, type SectionId, SMOKE } from './config.js';
import { renderDocs } from './report/docs.js';
import { renderMarkdown } from './report/markdown.js';
import type { BenchResults } from './results.js';
import { runBench } from './run.js';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_JSON = resolve(PACKAGE_ROOT, 'results/latest.json');
const SMOKE_JSON = resolve(PACKAGE_ROOT, 'results/smoke.json');
const DEFAULT_DOCS = resolve(PACKAGE_ROOT, '../../docs/benchmarks.md');

const HELP = `surrograd bench: fused activations, four ways to write one, an MLP training step, matmul,
dispatch overhead, saved bytes, a CNN training step and a spiking layer over time, against tfjs 4.22, jax-js 0.1.25 and the bandwidth limit.

  node dist/cli.js [options]

  --smoke              tiny sizes, 1-2 runs (CI): checks the bench works, measures nothing
  --sections a,b       only these sections: ${SECTION_IDS.join(', ')}
  --software-gpu       let webgpu use SwiftShader when no GPU driver is configured (numbers marked †)
  --out FILE           results JSON (default results/latest.json; results/smoke.json with --smoke)
  --docs FILE          also write the docs page there (default for a full run: docs/benchmarks.md)
  --no-docs            write no docs page
  --docs-only          run nothing: rewrite the docs page from the results JSON
  --help               this text

The wasm backend runs its relaxed-SIMD kernels (fused multiply-add in matmul) where the runtime has
relaxed SIMD (Node 22+, current browsers); Node 20 needs a flag for them:
  node --experimental-wasm-relaxed-simd dist/cli.js
`;

function parseSections(value: string | undefined): SectionId[] {
  if (!value) return [...SECTION_IDS];
  const ids = value.split(',').map((s) => s.trim());
  for (const id of ids) {
    if (!(SECTION_IDS as readonly string[]).includes(id)) {
      throw new Error(`--sections: unknown section '${id}'; sections are ${SECTION_IDS.join(', ')}`);
    }
  }
  return ids as SectionId[];
}

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      sections: { type: 'string' },
      'software-gpu': { type: 'boolean', default: false },
      out: { type: 'string' },
      docs: { type: 'string' },
      'no-docs': { type: 'boolean', default: false },
      'docs-only': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const out = values.out ? resolve(values.out) : values.smoke ? SMOKE_JSON : DEFAULT_JSON;
  const docs = values['no-docs'] ? null : values.docs ? resolve(values.docs) : values.smoke ? null : DEFAULT_DOCS;
  if (values['docs-only']) {
    const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
    write(docs ?? DEFAULT_DOCS, renderDocs(results));
    process.stderr.write(`wrote ${docs ?? DEFAULT_DOCS} from ${out}\n`);
    return;
  }
  const base = values.smoke ? SMOKE : FULL;
  const config: BenchConfig = { ...base, sections: parseSections(values.sections), softwareGpu: values['software-gpu'] };
  const results = await runBench(config, (m) => process.stderr.write(`[bench] ${m}\n`), process.argv.slice(2));
  write(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(renderMarkdown(results));
  process.stderr.write(`[bench] wrote ${out}\n`);
  if (docs) {
    write(docs, renderDocs(results));
    process.stderr.write(`[bench] wrote ${docs}\n`);
  }
}

main().then(
  // Backends (wasm workers, Dawn) can keep the event loop alive: the run is over, so exit.
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
