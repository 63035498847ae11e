/**
 * Section 5: per-op overhead on tiny tensors, where the arithmetic is nothing and the time is
 * dispatch: validation, the kernel lookup, allocation and disposal, and for the gradient op the
 * tape. Ops run on tensors that require no grad (as tfjs ops outside tf.grad), except that one.
 * Each timed run is a batch of ops (each result disposed), reported per op; a plain Float32Array
 * loop gives the floor.
 */
import { matmul, type Tensor, tensor, tidy } from '@surrograd/core';
import { tf } from '../contenders/tfjs.js';
import type { BenchContext } from '../context.js';
import { uniformArray } from '../data.js';
import { scaleStats } from '../measure/stats.js';
import { type Contender, timeInterleaved } from '../measure/timer.js';
import type { DispatchRow, DispatchSection } from '../results.js';

interface OpSpec {
  op: string;
  ours: (a: Tensor, b: Tensor, m: Tensor) => void;
  tfjs: (a: tf.Tensor, b: tf.Tensor, m: tf.Tensor2D) => void;
  /** The same op as a plain JavaScript loop into a new Float32Array: the floor no library reaches. */
  plain?: (a: Float32Array, b: Float32Array) => Float32Array;
  /** Whether the op records a graph: its first operand requires grad (the others run on plain tensors, as tfjs ops outside tf.grad). */
  records?: boolean;
}

/** The plain loop's contender id in the dispatch table. */
export const PLAIN_LOOP = 'Float32Array loop';

const OPS: readonly OpSpec[] = [
  {
    op: 'add',
    ours: (a, b) => a.add(b).dispose(),
    tfjs: (a, b) => tf.add(a, b).dispose(),
    plain: (a, b) => {
      const out = new Float32Array(a.length);
      for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) + (b[i] as number);
      return out;
    },
  },
  { op: 'mul by scalar', ours: (a) => a.mul(2).dispose(), tfjs: (a) => tf.mul(a, 2).dispose() },
  { op: 'relu', ours: (a) => a.relu().dispose(), tfjs: (a) => tf.relu(a).dispose() },
  { op: 'sum', ours: (a) => a.sum().dispose(), tfjs: (a) => tf.sum(a).dispose() },
  { op: 'matmul 2×2', ours: (_a, _b, m) => matmul(m, m).dispose(), tfjs: (_a, _b, m) => tf.matMul(m, m).dispose() },
  {
    op: 'grad of sum(a·b)',
    records: true,
    // tidy frees the product and the sum, as tf.grad does inside; a.grad outlives it until reset.
    ours: (a, b) => {
      tidy(() => a.mul(b).sum().backward());
      a.grad = null;
    },
    tfjs: (a, b) =>
      tf
        .grad((v: tf.Tensor) => tf.sum(tf.mul(v, b)))(a)
        .dispose(),
  },
];

export async function runDispatch(ctx: BenchContext): Promise<DispatchSection> {
  const { tinyElements: n, opsPerBatch: k } = ctx.config;
  const av = uniformArray(n, 11);
  const bv = uniformArray(n, 12);
  const mv = uniformArray(4, 13);
  const rows: DispatchRow[] = [];
  for (const spec of OPS) {
    ctx.log(`dispatch: ${spec.op}`);
    const cleanup: (() => void)[] = [];
    const contenders: Contender[] = [];
    for (const b of ctx.ours) {
      let t: [Tensor, Tensor, Tensor] | null = null;
      contenders.push({
        id: b.label,
        async prepare() {
          await b.use();
          t ??= [tensor(av, { requiresGrad: spec.records === true }), tensor(bv), tensor(mv, { shape: [2, 2] })];
        },
        async run() {
          const [a, bt, m] = t as [Tensor, Tensor, Tensor];
          for (let i = 0; i < k; i++) spec.ours(a, bt, m);
          await b.sync();
        },
      });
      cleanup.push(() => {
        for (const x of t ?? []) x.dispose();
      });
    }
    for (const peer of ctx.tfPeers) {
      let t: [tf.Tensor, tf.Tensor, tf.Tensor2D] | null = null;
      contenders.push({
        id: peer.label,
        async prepare() {
          await peer.use();
          t ??= [tf.tensor1d(av), tf.tensor1d(bv), tf.tensor2d(mv, [2, 2])];
        },
        run() {
          const [a, bt, m] = t as [tf.Tensor, tf.Tensor, tf.Tensor2D];
          for (let i = 0; i < k; i++) spec.tfjs(a, bt, m);
        },
      });
      cleanup.push(() => {
        for (const x of t ?? []) x.dispose();
      });
    }
    const plain = spec.plain;
    if (plain) {
      // A checksum keeps the loop's result alive, so the JIT cannot drop the work.
      let sink = 0;
      contenders.push({
        id: PLAIN_LOOP,
        run() {
          for (let i = 0; i < k; i++) sink += plain(av, bv)[0] as number;
          if (sink === Number.NEGATIVE_INFINITY) ctx.log('unreachable');
        },
      });
    }
    const outcomes = await timeInterleaved(contenders, ctx.config.dispatchReps);
    for (const dispose of cleanup) dispose();
    for (const c of contenders) {
      const o = outcomes.get(c.id);
      const stats = o?.stats ? scaleStats(o.stats, 1 / k) : null;
      rows.push({
        contender: c.id,
        op: spec.op,
        stats,
        error: o?.error,
        usPerOp: stats ? stats.medianMs * 1000 : null,
        software: ctx.ours.find((b) => b.label === c.id)?.software || undefined,
      });
    }
  }
  return { elements: n, opsPerBatch: k, rows };
}
