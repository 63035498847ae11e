/**
 * Section 3: one SGD training step of an MLP (784-256-256-10, batch 128, ReLU, softmax
 * cross-entropy), written as each library's users write it, every contender in the same rounds.
 * Each step reads its loss back, so asynchronous backends finish the step inside the timing.
 */
import { nn, noGrad, optim, tensor } from '@surrograd/core';
import { jax } from '../contenders/jax.js';
import { type TfPeer, tf } from '../contenders/tfjs.js';
import type { BenchContext } from '../context.js';
import type { MlpSection } from '../results.js';
import { type MlpData, makeMlpData, mlpStepFlops, transposed } from './mlp-setup.js';
import { type OurStep, ourTrainer, type Trainer, timeSteps } from './step-trainers.js';

/** surrograd's MLP with the shared weights (PyTorch's layout). */
export function ourMlp(data: MlpData): OurStep {
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
  return { model, opt: new optim.SGD(model.parameters(), { lr: data.shape.lr }), x, y: tensor(data.labels, { dtype: 'int32' }) };
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

export function jaxTrainer(data: MlpData, useJit: boolean): Trainer {
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
    ...ctx.ours.map((b) => ourTrainer(b, () => ourMlp(data))),
    ...ctx.tfPeers.map((p) => tfTrainer(p, data)),
    ...(ctx.jax ? [jaxTrainer(data, true), jaxTrainer(data, false)] : []),
  ];
  ctx.log(`mlp: ${data.shape.dims.join('-')}, batch ${data.shape.batch}, ${trainers.length} contenders`);
  const rows = await timeSteps(trainers, ctx.config.mlpReps);
  return { dims: data.shape.dims, batch: data.shape.batch, flopsPerStep: mlpStepFlops(data.shape), rows };
}
