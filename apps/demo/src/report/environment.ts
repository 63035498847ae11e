/** What a report says about where it ran: the machine, the runtime and the packages' versions. */
import { readFileSync } from 'node:fs';
import { cpus, totalmem, type } from 'node:os';
import { fileURLToPath } from 'node:url';

export interface Environment {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  packages: Record<string, string>;
}

const PACKAGES = ['@surrograd/core', '@surrograd/backend-wasm', '@surrograd/backend-cpu', '@surrograd/snn'];

/** The version of each surrograd package this app resolves (its package.json), or 'not installed'. */
function versions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PACKAGES) {
    try {
      // The packages export no package.json: find it beside the entry they resolve to.
      const entry = fileURLToPath(import.meta.resolve(name));
      const root = entry.slice(0, entry.lastIndexOf('/dist/'));
      out[name] = (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version: string }).version;
    } catch {
      out[name] = 'not installed';
    }
  }
  return out;
}

export function environment(): Environment {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${process.arch}`,
    node: process.version,
    packages: versions(),
  };
}
