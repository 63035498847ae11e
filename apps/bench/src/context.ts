/** What every section gets: the configuration and the contenders that started. */
import type { BenchConfig } from './config.js';
import type { OurBackend } from './contenders/ours.js';
import type { PeakProbe } from './contenders/peak.js';
import type { TfPeer } from './contenders/tfjs.js';

export interface BenchContext {
  config: BenchConfig;
  ours: OurBackend[];
  tfPeers: TfPeer[];
  /** jax-js on wasm, if it started; its memory probe if its backend could be reached. */
  jax: { peak: PeakProbe | null } | null;
  /** Progress, to stderr (stdout carries the tables). */
  log(message: string): void;
}
