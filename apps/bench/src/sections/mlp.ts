/**
 * Section 3: one SGD training step of an MLP (784-256-256-10, batch 128, ReLU, softmax
 * cross-entropy), written as each library's users write it, every contender in the same rounds.
 * Each step reads its loss back, so asynchronous backends finish the step inside the timing.
 */
import { nn, noGrad, optim, type Tensor, tensor, tidy } from '@surrograd/core';
import { jax } from '../contenders/jax.js';
import type { OurBackend } from '../contenders/ours.js';
import { type TfPeer, tf } from '../contenders/tfjs.js';
import type { BenchContext } from '../context.js';
import { type Contender, timeInterleaved } from '../measure/timer.js';
import type { MlpRow, MlpSection } from '../results.js';
import { type MlpData, makeMlpData, mlpStepFlops, transposed } from './mlp-setup.js';

interface Trainer {
  contender: string;
  kind: 'ours' | 'peer';
  software?: boolean;
  firstLoss: number | null;
  run: Contender;
  dispose(): void;
}

function ourTrainer(b: OurBackend, data: MlpData): Trainer {
  let state: { model: nn.Sequential; opt: optim.SGD; x: Tensor; y: Tensor } | null = null;
  const t: Trainer = {
    contender: b.label,
    kind: 'ours',
    software: b.software || undefined,
    firstLoss: null,
    run: {
      id: b.label,
      async prepare() {
        await b.use();
        if (state) return;
        const layers: nn.Module[] = [];
        data.layers.forEach((l, i) => {
          const linear = new nn.Linear(l.inFeatures, l.outFeatures);
          noGrad(() => {
            linear.weight.assign(tensor(transposed(l.weight, l.inFeatures, l.outFeatures), { shape: [l.outFeatures, l.inFeatures] }));
            linear.bias?.assign(tensor(l.bias));
          });
          layers.push(linear);
          if (i < data.layers.length - 1) layers.push(new nn.ReLU());
        });
        const model = new nn.Sequential(...layers);
        const x = tensor(data.x, { shape: [data.shape.batch, data.shape.dims[0] as number] });
        state = { model, opt: new optim.SGD(model.parameters(), { lr: data.shape.lr }), x, y: tensor(data.labels, { dtype: 'int32' }) };
      },
      async run() {
        const { model, opt, x, y } = state as NonNullable<typeof state>;
        const loss = tidy(() => {
          opt.zeroGrad();
          const l = nn.crossEntropy(model.forward(x), y);
          l.backward();
          opt.step();
          return l.detach();
        });
        const value = (await loss.data())[0] as number;
        loss.dispose();
        t.firstLoss ??= value;
      },
    },
    dispose() {
      if (!state) return;
      state.opt.zeroGrad();
      state.opt.dispose();
      for (const p of state.model.parameters()) p.dispose();
      state.x.dispose();
      state.y.dispose();
    },
  };
  return t;
}

function tfTrainer(peer: TfPeer, data: MlpData): Trainer {
  let state: { vars: tf.Variable[]; opt: tf.SGDOptimizer; x: tf.Tensor2D; oneHot: tf.Tensor2D } | null = null;
  const { batch, dims } = data.shape;
  const loss = () => {
    const { vars, x, oneHot } = state as NonNullable<typeof state>;
    let h: tf.Tensor2D = x;
    for (let i = 0; i < data.layers.length; i++) {
      h = tf.add(tf.matMul(h, vars[2 * i] as tf.Variable), vars[2 * i + 1] as tf.Variable);
      if (i < data.layers.length - 1) h = tf.relu(h);
    }
    return tf.losses.softmaxCrossEntropy(oneHot, h) as tf.Scalar;
  };
  const t: Trainer = {
    contender: peer.label,
    kind: 'peer',
    firstLoss: null,
    run: {
      id: peer.label,
      async prepare() {
        await peer.use();
        if (state) return;
        const vars = data.layers.flatMap((l) => [
          tf.variable(tf.tensor2d(l.weight, [l.inFeatures, l.outFeatures])),
          tf.variable(tf.tensor1d(l.bias)),
        ]);
        state = {
          vars,
          opt: tf.train.sgd(data.shape.lr),
          x: tf.tensor2d(data.x, [batch, dims[0] as number]),
          oneHot: tf.tensor2d(data.oneHot, [batch, data.classes]),
        };
      },
      async run() {
        const s = state as NonNullable<typeof state>;
        const cost = s.opt.minimize(loss, true, s.vars) as tf.Scalar;
        const value = (await cost.data())[0] as number;
        cost.dispose();
        t.firstLoss ??= value;
      },
    },
    dispose() {
      if (!state) return;
      for (const v of state.vars) v.dispose();
      state.opt.dispose();
      state.x.dispose();
      state.oneHot.dispose();
    },
  };
  return t;
}

// A type alias, not an interface: jax-js's pytree type needs the implicit index signature.
type JaxParams = { w: jax.Array; b: jax.Array };

function jaxTrainer(data: MlpData, useJit: boolean): Trainer {
  const { batch, dims, lr } = data.shape;
  const lossFn = (params: JaxParams[], x: jax.Array, oneHot: jax.Array): jax.Array => {
    let h = x;
    params.forEach((p, i) => {
      h = jax.numpy.dot(h, p.w).add(p.b);
      if (i < params.length - 1) h = jax.nn.relu(h);
    });
    return jax.nn
      .logSoftmax(h, -1)
      .mul(oneHot)
      .sum()
      .mul(-1 / batch);
  };
  const stepFn = (params: JaxParams[], x: jax.Array, oneHot: jax.Array): [jax.Array, JaxParams[]] => {
    const [value, grads] = jax.valueAndGrad(lossFn)(jax.tree.ref(params), x, oneHot) as unknown as [jax.Array, JaxParams[]];
    const next = jax.tree.map((p: jax.Array, g: jax.Array) => p.sub(g.mul(lr)), params, grads) as JaxParams[];
    return [value, next];
  };
  let state: { step: typeof stepFn; params: JaxParams[]; x: jax.Array; oneHot: jax.Array } | null = null;
  const label = useJit ? 'jax-js-wasm jit' : 'jax-js-wasm';
  const t: Trainer = {
    contender: label,
    kind: 'peer',
    firstLoss: null,
    run: {
      id: label,
      prepare() {
        if (state) return;
        state = {
          step: useJit ? (jax.jit(stepFn) as unknown as typeof stepFn) : stepFn,
          params: data.layers.map((l) => ({
            w: jax.numpy.array(l.weight).reshape([l.inFeatures, l.outFeatures]),
            b: jax.numpy.array(l.bias),
          })),
          x: jax.numpy.array(data.x).reshape([batch, dims[0] as number]),
          oneHot: jax.numpy.array(data.oneHot).reshape([batch, data.classes]),
        };
      },
      async run() {
        const s = state as NonNullable<typeof state>;
        // The step consumes the parameters it is given and returns the next ones.
        const [loss, next] = s.step(s.params, s.x.ref, s.oneHot.ref);
        s.params = next;
        const value = (await loss.data())[0] as number;
        t.firstLoss ??= value;
      },
    },
    dispose() {
      if (!state) return;
      jax.tree.dispose(state.params);
      state.x.dispose();
      state.oneHot.dispose();
      (state.step as { dispose?: () => void }).dispose?.();
    },
  };
  return t;
}

export async function runMlp(ctx: BenchContext): Promise<MlpSection> {
  const data = makeMlpData(ctx.config.mlp);
  const trainers: Trainer[] = [
    ...ctx.ours.map((b) => ourTrainer(b, data)),
    ...ctx.tfPeers.map((p) => tfTrainer(p, data)),
    ...(ctx.jax ? [jaxTrainer(data, true), jaxTrainer(data, false)] : []),
  ];
  ctx.log(`mlp: ${data.shape.dims.join('-')}, batch ${data.shape.batch}, ${trainers.length} contenders`);
  const outcomes = await timeInterleaved(
    trainers.map((t) => t.run),
    ctx.config.mlpReps,
  );
  for (const t of trainers) t.dispose();
  const rows: MlpRow[] = trainers.map((t) => {
    const o = outcomes.get(t.run.id);
    return {
      contender: t.contender,
      kind: t.kind,
      stats: o?.stats ?? null,
      error: o?.error,
      firstLoss: t.firstLoss,
      vsTfjsCpu: null,
      software: t.software,
    };
  });
  const base = rows.find((r) => r.contender === 'tfjs-cpu')?.stats?.medianMs;
  for (const r of rows) if (r.stats && base) r.vsTfjsCpu = r.stats.medianMs / base;
  return { dims: data.shape.dims, batch: data.shape.batch, flopsPerStep: mlpStepFlops(data.shape), rows };
}
