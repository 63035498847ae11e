/**
 * Section 2: ReLU forward with a leaky gradient, written the four ways a user can: our fused
 * call; the straight-through and detach patterns; tf.customGrad on the matching tfjs backend;
 * jax-js's stopGradient pattern. Time for forward + backward, and the temporary memory it takes.
 */
import { leakyRelu, reluWithLeakyGrad, straightThrough, type Tensor, tensor, tidy } from '@surrograd/core';
import { jax } from '../contenders/jax.js';
import type { OurBackend } from '../contenders/ours.js';
import type { PeakProbe } from '../contenders/peak.js';
import { type TfPeer, tf, tfPeak, tfReluWithLeakyGrad } from '../contenders/tfjs.js';
import type { BenchContext } from '../context.js';
import { uniformArray } from '../data.js';
import { type Contender, errorMessage, timeInterleaved } from '../measure/timer.js';
import type { FourWay, FourWaysRow, FourWaysSection } from '../results.js';
import { SLOPE } from './featured.js';
import { checkAgainstCpu } from './reference.js';

interface Way {
  id: string;
  runsOn: string;
  way: FourWay;
  code: string;
  group: string;
  software?: boolean;
  note?: string;
  contender: Contender;
  /** Peak bytes of one more call, or null where the library has no counter. */
  memory: () => Promise<number | null>;
  dispose: () => void;
}

const OUR_WAYS: readonly { way: FourWay; code: string; fn: (x: Tensor) => Tensor }[] = [
  { way: 'fused', code: `reluWithLeakyGrad(x, { slope: ${SLOPE} })`, fn: (x) => reluWithLeakyGrad(x, { slope: SLOPE }) },
  {
    way: 'straightThrough',
    code: `straightThrough(x.relu(), leakyRelu(x, { slope: ${SLOPE} }))`,
    fn: (x) => tidy(() => straightThrough(x.relu(), leakyRelu(x, { slope: SLOPE }))),
  },
  {
    way: 'detach',
    code: 'xb.add(xf.sub(xb).detach()), xf = x.relu(), xb = leakyRelu(x)',
    fn: (x) =>
      tidy(() => {
        const xf = x.relu();
        const xb = leakyRelu(x, { slope: SLOPE });
        return xb.add(xf.sub(xb).detach());
      }),
  },
];

async function peakOf(probe: PeakProbe, call: () => Promise<void>): Promise<number> {
  probe.begin();
  await call();
  return probe.end();
}

function ourWays(b: OurBackend, xs: Float32Array, dys: Float32Array): Way[] {
  return OUR_WAYS.map(({ way, code, fn }) => {
    let x: Tensor | null = null;
    let dy: Tensor | null = null;
    const call = async () => {
      const xt = x as Tensor;
      const y = fn(xt);
      y.backward(dy as Tensor);
      await b.sync();
      y.dispose();
      xt.grad = null;
    };
    return {
      id: `${b.label}|${way}`,
      runsOn: b.label,
      way,
      code,
      group: b.label,
      software: b.software || undefined,
      contender: {
        id: `${b.label}|${way}`,
        async prepare() {
          await b.use();
          if (!x) {
            const problem = await checkAgainstCpu(b, fn);
            if (problem) throw new Error(`wrong result: ${problem}`);
            x = tensor(xs, { requiresGrad: true });
            dy = tensor(dys);
          }
        },
        run: call,
      },
      memory: async () => {
        await b.use();
        return peakOf(b.peak, call);
      },
      dispose: () => {
        x?.dispose();
        dy?.dispose();
      },
    };
  });
}

function tfWay(peer: TfPeer, group: string, xs: Float32Array, dys: Float32Array): Way {
  const f = tfReluWithLeakyGrad(SLOPE);
  const valueAndGrad = tf.valueAndGrad(f);
  let x: tf.Tensor | null = null;
  let dy: tf.Tensor | null = null;
  const call = async () => {
    const { value, grad } = valueAndGrad(x as tf.Tensor, dy as tf.Tensor);
    value.dispose();
    grad.dispose();
  };
  return {
    id: `${peer.label}|customGrad`,
    runsOn: peer.label,
    way: 'tfjs customGrad',
    code: 'tf.valueAndGrad(tf.customGrad((x, save) => { save([x]); return { value: tf.relu(x), gradFunc: … tf.where(x > 0, dy, dy·slope) } }))',
    group,
    contender: {
      id: `${peer.label}|customGrad`,
      async prepare() {
        await peer.use();
        x ??= tf.tensor1d(xs);
        dy ??= tf.tensor1d(dys);
      },
      run: call,
    },
    memory: async () => {
      await peer.use();
      return peakOf(tfPeak(), call);
    },
    dispose: () => {
      x?.dispose();
      dy?.dispose();
    },
  };
}

type JaxFn = (x: jax.Array, dy: jax.Array) => jax.Array[];

/** jax-js's straight-through pattern: leaky + stopGradient(relu − leaky). */
const jaxStraightThrough = (x: jax.Array): jax.Array => {
  const xb = jax.nn.leakyRelu(x.ref, SLOPE);
  const xf = jax.nn.relu(x);
  return xb.ref.add(jax.lax.stopGradient(xf.sub(xb)));
};

const jaxValueAndGrad: JaxFn = (x, dy) => {
  const [y, back] = jax.vjp(jaxStraightThrough, [x]);
  const [dx] = back(dy) as [jax.Array];
  back.dispose();
  return [y, dx];
};

const jaxGradOnly: JaxFn = (x, dy) => [jax.grad((v: jax.Array, d: jax.Array) => jaxStraightThrough(v).mul(d).sum())(x, dy)];

function jaxWays(ctx: BenchContext, group: string, xs: Float32Array, dys: Float32Array): Way[] {
  const variants: { label: string; fn: () => JaxFn; note?: string }[] = [
    { label: 'jax-js-wasm jit', fn: () => jax.jit(jaxValueAndGrad) as unknown as JaxFn },
    { label: 'jax-js-wasm', fn: () => jaxValueAndGrad, note: 'no jit' },
    {
      label: 'jax-js-wasm jit, dx only',
      fn: () => jax.jit(jaxGradOnly) as unknown as JaxFn,
      note: 'grad of sum(y·dy): y is fused away, never written',
    },
  ];
  const code = 'xb = nn.leakyRelu(x.ref); xb.ref.add(lax.stopGradient(nn.relu(x).sub(xb))), through vjp';
  return variants.map(({ label, fn, note }) => {
    let f: JaxFn | null = null;
    let x: jax.Array | null = null;
    let dy: jax.Array | null = null;
    const call = async () => {
      const out = (f as JaxFn)((x as jax.Array).ref, (dy as jax.Array).ref);
      await jax.blockUntilReady(out);
      jax.tree.dispose(out);
    };
    return {
      id: `${label}|stopGradient`,
      runsOn: label,
      way: 'jax-js stopGradient' as const,
      code,
      group,
      note,
      contender: {
        id: `${label}|stopGradient`,
        prepare() {
          f ??= fn();
          x ??= jax.numpy.array(xs);
          dy ??= jax.numpy.array(dys);
        },
        run: call,
      },
      memory: async () => (ctx.jax?.peak ? peakOf(ctx.jax.peak, call) : null),
      dispose: () => {
        x?.dispose();
        dy?.dispose();
        (f as { dispose?: () => void } | null)?.dispose?.();
      },
    };
  });
}

export async function runFourWays(ctx: BenchContext): Promise<FourWaysSection> {
  const n = ctx.config.activationElements;
  const xs = uniformArray(n, 3);
  const dys = uniformArray(n, 4, 0.5, 1.5);
  const ways: Way[] = [];
  for (const b of ctx.ours) ways.push(...ourWays(b, xs, dys));
  const groupFor = (tfName: string) => ctx.ours.find((b) => b.name !== 'tfjs' && b.matchingTf === tfName)?.label ?? '';
  for (const peer of ctx.tfPeers) ways.push(tfWay(peer, groupFor(peer.backend), xs, dys));
  if (ctx.jax) ways.push(...jaxWays(ctx, groupFor('wasm') || groupFor('cpu'), xs, dys));
  ctx.log(`four ways: ${n} elements, ${ways.length} contenders`);
  const outcomes = await timeInterleaved(
    ways.map((w) => w.contender),
    ctx.config.activationReps,
  );
  const rows: FourWaysRow[] = [];
  for (const w of ways) {
    const outcome = outcomes.get(w.id);
    let tempBytes: number | null = null;
    let error = outcome?.error;
    if (outcome?.stats) {
      try {
        await w.contender.prepare?.();
        tempBytes = await w.memory();
      } catch (err) {
        error = `memory: ${errorMessage(err)}`;
      }
    }
    w.dispose();
    rows.push({
      runsOn: w.runsOn,
      way: w.way,
      code: w.code,
      group: w.group,
      stats: outcome?.stats ?? null,
      error,
      tempBytes,
      vsFused: null,
      software: w.software,
      note: w.note,
    });
  }
  for (const r of rows) {
    const fused = rows.find((f) => f.runsOn === r.group && f.way === 'fused');
    if (r.stats && fused?.stats) r.vsFused = r.stats.medianMs / fused.stats.medianMs;
  }
  return { elements: n, slope: SLOPE, rows };
}
