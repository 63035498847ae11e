import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI; `onStart` gets the child (e.g. to send it SIGINT). */
export function runCli(args: string[], onStart?: (child: ChildProcess) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    onStart?.(child);
  });
}

/** The JSON object on the last line of stdout. */
export function lastJson(run: CliRun): Record<string, unknown> {
  const lines = run.stdout.trim().split('\n');
  const last = lines.at(-1) ?? '';
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`last stdout line is not JSON: '${last}'\nstderr:\n${run.stderr}`);
  }
}

/** The summary without the fields that measure time. */
export function withoutTimes(summary: Record<string, unknown>): Record<string, unknown> {
  const { msPerStep: _m, trainSeconds: _t, ...rest } = summary;
  return rest;
}
