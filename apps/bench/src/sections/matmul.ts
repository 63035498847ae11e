/**
 * Section 4: matmul GFLOP/s on the shapes the MLP step runs (with surrograd's Linear layout,
 * weight [out, in]: forward A·Wᵀ, weight gradient dYᵀ·X, input gradient dY·W) and on squares.
 * Transposed operands are read in place where a library can; peers get the same flags.
 */
import { matmul, type Tensor, tensor } from '@surrograd/core';
import type { MlpShape } from '../config.js';
import { jax } from '../contenders/jax.js';
import { tf } from '../contenders/tfjs.js';
import type { BenchContext } from '../context.js';
import { uniformArray } from '../data.js';
import { type Contender, timeInterleaved } from '../measure/timer.js';
import type { MatmulRow, MatmulSection } from '../results.js';

export interface MatmulShape {
  role: string;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
}

/** The products one training step of the MLP runs, in surrograd's layout. */
export function mlpMatmulShapes(shape: MlpShape): MatmulShape[] {
  const out: MatmulShape[] = [];
  const B = shape.batch;
  shape.dims.slice(1).forEach((o, i) => {
    const inF = shape.dims[i] as number;
    const layer = `layer ${i + 1}`;
    out.push({ role: `${layer} forward X·Wᵀ`, m: B, k: inF, n: o, transposeA: false, transposeB: true });
    out.push({ role: `${layer} dW = dYᵀ·X`, m: o, k: B, n: inF, transposeA: true, transposeB: false });
    if (i > 0) out.push({ role: `${layer} dX = dY·W`, m: B, k: o, n: inF, transposeA: false, transposeB: false });
  });
  return out;
}

export const shapeLabel = (s: MatmulShape) => `${s.m}×${s.k}${s.transposeA ? 'ᵀ' : ''}·${s.k}×${s.n}${s.transposeB ? 'ᵀ' : ''}`;

/** Stored dims of A and B: a transposed operand is stored the other way round. */
const storedA = (s: MatmulShape) => (s.transposeA ? [s.k, s.m] : [s.m, s.k]);
const storedB = (s: MatmulShape) => (s.transposeB ? [s.n, s.k] : [s.k, s.n]);

function contenders(ctx: BenchContext, s: MatmulShape, av: Float32Array, bv: Float32Array, cleanup: (() => void)[]): Contender[] {
  const out: Contender[] = [];
  const flags = { transposeA: s.transposeA, transposeB: s.transposeB };
  for (const b of ctx.ours) {
    let a: Tensor | null = null;
    let bt: Tensor | null = null;
    out.push({
      id: b.label,
      async prepare() {
        await b.use();
        a ??= tensor(av, { shape: storedA(s) });
        bt ??= tensor(bv, { shape: storedB(s) });
      },
      async run() {
        const c = matmul(a as Tensor, bt as Tensor, flags);
        await b.sync();
        c.dispose();
      },
    });
    cleanup.push(() => {
      a?.dispose();
      bt?.dispose();
    });
  }
  for (const peer of ctx.tfPeers) {
    let a: tf.Tensor2D | null = null;
    let bt: tf.Tensor2D | null = null;
    out.push({
      id: peer.label,
      async prepare() {
        await peer.use();
        a ??= tf.tensor2d(av, storedA(s) as [number, number]);
        bt ??= tf.tensor2d(bv, storedB(s) as [number, number]);
      },
      run() {
        tf.matMul(a as tf.Tensor2D, bt as tf.Tensor2D, s.transposeA, s.transposeB).dispose();
      },
    });
    cleanup.push(() => {
      a?.dispose();
      bt?.dispose();
    });
  }
  if (ctx.jax) {
    let a: jax.Array | null = null;
    let bt: jax.Array | null = null;
    let f: ((x: jax.Array, y: jax.Array) => jax.Array) | null = null;
    out.push({
      id: 'jax-js-wasm jit',
      prepare() {
        a ??= jax.numpy.array(av).reshape(storedA(s));
        bt ??= jax.numpy.array(bv).reshape(storedB(s));
        f ??= jax.jit((x: jax.Array, y: jax.Array) =>
          jax.numpy.matmul(s.transposeA ? x.transpose() : x, s.transposeB ? y.transpose() : y),
        ) as unknown as (x: jax.Array, y: jax.Array) => jax.Array;
      },
      async run() {
        const c = (f as (x: jax.Array, y: jax.Array) => jax.Array)((a as jax.Array).ref, (bt as jax.Array).ref);
        await c.blockUntilReady();
        c.dispose();
      },
    });
    cleanup.push(() => {
      a?.dispose();
      bt?.dispose();
      (f as { dispose?: () => void } | null)?.dispose?.();
    });
  }
  return out;
}

export async function runMatmul(ctx: BenchContext): Promise<MatmulSection> {
  const shapes: MatmulShape[] = [
    ...mlpMatmulShapes(ctx.config.mlp),
    ...ctx.config.squareSizes.map((n) => ({ role: 'square', m: n, k: n, n, transposeA: false, transposeB: false })),
  ];
  const rows: MatmulRow[] = [];
  for (const s of shapes) {
    ctx.log(`matmul: ${shapeLabel(s)} (${s.role})`);
    const av = uniformArray(s.m * s.k, 7);
    const bv = uniformArray(s.k * s.n, 8);
    const cleanup: (() => void)[] = [];
    const cs = contenders(ctx, s, av, bv, cleanup);
    const outcomes = await timeInterleaved(cs, ctx.config.matmulReps);
    for (const dispose of cleanup) dispose();
    for (const c of cs) {
      const o = outcomes.get(c.id);
      const software = ctx.ours.find((b) => b.label === c.id)?.software || undefined;
      rows.push({
        contender: c.id,
        shape: shapeLabel(s),
        role: s.role,
        m: s.m,
        k: s.k,
        n: s.n,
        transposeA: s.transposeA,
        transposeB: s.transposeB,
        stats: o?.stats ?? null,
        error: o?.error,
        gflops: o?.stats ? (2 * s.m * s.k * s.n) / (o.stats.medianMs * 1e6) : null,
        software,
      });
    }
  }
  return { rows };
}
