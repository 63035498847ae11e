/**
 * The worker's whole program, as source text: Node runs it with `new Worker(source, { eval: true })`
 * and browsers from a Blob URL, so no file has to be found or bundled. It instantiates the kernels
 * on the shared memory, then loops: wait for GEN to move (spinning a while, then sleeping), take
 * the call's tasks (its own block first, then any still free), counting each in DONE and waking
 * the host after the last.
 */
import { ACTIVE, ARGS_BYTE, COUNT, DONE, ERROR, FLAGS, GEN, KERNEL, runTasks, SLOT, SPIN_MS, STOP } from './control.js';

export const WORKER_SOURCE = `'use strict';
const runTasks = ${runTasks.toString()};
const node = typeof process === 'object' && process !== null && !!(process.versions && process.versions.node);
const port = node ? require('node:worker_threads').parentPort : self;
function listen(handler) {
  if (node) port.once('message', handler);
  else self.onmessage = (event) => { self.onmessage = null; handler(event.data); };
}
listen(async (init) => {
  const { module, memory, control, index, names } = init;
  let instance;
  try {
    instance = await WebAssembly.instantiate(module, {
      env: {
        memory,
        abort(_message, _file, line, column) {
          throw new Error('backend-wasm worker: a kernel aborted at line ' + line + ':' + column);
        },
      },
    });
  } catch (err) {
    port.postMessage({ error: String(err && err.message ? err.message : err) });
    return;
  }
  const fns = names.map((name) => instance.exports[name]);
  const ctl = new Int32Array(control);
  const args = new Float64Array(control, ${ARGS_BYTE});
  let seen = Atomics.load(ctl, ${GEN});
  port.postMessage({ ready: true });
  for (;;) {
    // Spin a while before sleeping: a training step calls the pool every few hundred microseconds,
    // and waking a sleeping thread costs 50-150 µs, as much as a layer's share of the work.
    const until = performance.now() + ${SPIN_MS};
    while (Atomics.load(ctl, ${GEN}) === seen) {
      let spin = 0;
      while (spin < 1024 && Atomics.load(ctl, ${GEN}) === seen) spin++;
      if (performance.now() > until) break;
    }
    if (Atomics.load(ctl, ${GEN}) === seen) Atomics.wait(ctl, ${GEN}, seen);
    seen = Atomics.load(ctl, ${GEN});
    if (Atomics.load(ctl, ${STOP}) !== 0) break;
    // A parked worker (setThreads lowered the count, or the machine is busy) takes no task, and
    // sleeps until the count takes it in again: polling, it would take a core from those working.
    const active = Atomics.load(ctl, ${ACTIVE});
    // Back in, it looks at the latest call at once (the one that brought it back may have begun).
    if (index + 1 >= active) {
      let now = active;
      while (now <= index + 1 && Atomics.load(ctl, ${STOP}) === 0) {
        Atomics.wait(ctl, ${ACTIVE}, now);
        now = Atomics.load(ctl, ${ACTIVE});
      }
      if (Atomics.load(ctl, ${STOP}) !== 0) break;
      continue;
    }
    // A late worker may read a later call's count: its flags then refuse this generation.
    const total = Atomics.load(ctl, ${COUNT});
    runTasks(ctl, ${FLAGS}, seen, total, active, index + 1, (task) => {
      const base = task * ${SLOT};
      const count = args[base];
      // A task without arguments (count −1) only wakes this worker.
      if (count >= 0) {
        try {
          const fn = fns[Atomics.load(ctl, ${KERNEL})];
          const a = [];
          for (let i = 1; i <= count; i++) a.push(args[base + i]);
          fn.apply(null, a);
        } catch (err) {
          Atomics.store(ctl, ${ERROR}, 1);
        }
      }
      if (Atomics.add(ctl, ${DONE}, 1) + 1 === total) Atomics.notify(ctl, ${DONE});
    });
  }
  if (node) port.close();
  else self.close();
});
`;
