/** Runs the selected sections with every contender that starts, and collects the results. */
import { findBackend } from '@surrograd/core';
import type { BenchConfig, SectionId } from './config.js';
import { jaxPeak, loadJax } from './contenders/jax.js';
import { loadOurBackends } from './contenders/ours.js';
import { loadTfPeers } from './contenders/tfjs.js';
import type { BenchContext } from './context.js';
import { evaluateGoals } from './goals.js';
import { currentLoad, describeMachine } from './machine.js';
import { errorMessage } from './measure/timer.js';
import { type BenchResults, RESULTS_SCHEMA } from './results.js';
import { runActivations } from './sections/activations.js';
import { runCnn } from './sections/cnn.js';
import { runDispatch } from './sections/dispatch.js';
import { runFourWays } from './sections/four-ways.js';
import { runMatmul } from './sections/matmul.js';
import { runMlp } from './sections/mlp.js';
import { runSavedBytes } from './sections/saved-bytes.js';
import { runSnn } from './sections/snn.js';
import { runThreads } from './sections/threads.js';
import { packageVersion } from './versions.js';

const SECTIONS: Record<SectionId, (ctx: BenchContext) => Promise<unknown>> = {
  activations: runActivations,
  fourWays: runFourWays,
  mlp: runMlp,
  matmul: runMatmul,
  dispatch: runDispatch,
  savedBytes: runSavedBytes,
  cnn: runCnn,
  snn: runSnn,
  threads: runThreads,
};

export async function runBench(config: BenchConfig, log: (m: string) => void, argv: string[] = []): Promise<BenchResults> {
  const started = performance.now();
  const machine = describeMachine();
  const tfjs = await loadTfPeers();
  const jaxStatus = await loadJax();
  const jax = jaxStatus.status === 'ok' ? { peak: await jaxPeak() } : null;
  const ours = await loadOurBackends({ softwareGpu: config.softwareGpu });
  for (const s of ours.status) log(`backend ${s.label}: ${s.status}${s.reason ? ` (${s.reason})` : ''}`);
  const tfVersion = packageVersion('@tensorflow/tfjs-core');
  const peers = [
    ...tfjs.status.map((s) => ({ ...s, version: packageVersion(`@tensorflow/tfjs-backend-${s.label.slice('tfjs-'.length)}`) })),
    { ...jaxStatus, version: packageVersion('@jax-js/jax') },
  ];
  log(`peers: tfjs-core ${tfVersion}; ${peers.map((p) => `${p.label} ${p.version} ${p.status}`).join('; ')}`);
  // wasm starts on every core; sections 1–8 measure it on one (their goals say one core), and
  // section 9 compares thread counts.
  await (findBackend('wasm') as { setThreads?: (n: number) => Promise<number> } | undefined)?.setThreads?.(1);
  const ctx: BenchContext = { config, ours: ours.backends, tfPeers: tfjs.peers, jax, log };
  const results: BenchResults = {
    schema: RESULTS_SCHEMA,
    mode: config.mode,
    argv,
    date: new Date().toISOString(),
    machine,
    config,
    backends: ours.status,
    peers,
    sections: {},
    goals: [],
    durationS: 0,
  };
  for (const id of config.sections) {
    try {
      (results.sections as Record<string, unknown>)[id] = await SECTIONS[id](ctx);
    } catch (err) {
      log(`section ${id} failed: ${errorMessage(err)}`);
      throw err;
    }
  }
  results.goals = evaluateGoals(results);
  results.machine.loadEnd = currentLoad();
  results.durationS = Math.round((performance.now() - started) / 100) / 10;
  return results;
}
