/**
 * The page side of a browser kit run: declare the kit's tests (runConformance, through the vitest
 * shim), run them all, and leave the results on window.__conformance, one console line per test
 * for the runner to stream.
 */
import type { KitPageState } from './harness.js';
import { runAll } from './vitest-shim.js';

/** Runs `declare` (which calls runConformance and says where the page runs), then every test it declared. */
export async function runKitInThisPage(declare: () => string | Promise<string>): Promise<void> {
  const state: KitPageState = { done: false, results: [] };
  (window as unknown as { __conformance: KitPageState }).__conformance = state;
  try {
    state.info = await declare();
    await runAll((r) => {
      state.results.push(r);
      console.log(`[conformance] ${r.status} ${r.id} ${r.ms.toFixed(0)}ms${r.error ? `\n${r.error}` : ''}`);
    });
  } catch (err) {
    state.error = String((err as Error)?.stack ?? err);
  } finally {
    state.done = true;
  }
}
