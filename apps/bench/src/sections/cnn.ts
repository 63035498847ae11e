/**
 * Section 7: convolutional networks. One SGD step of LeNet-5 (batch 64) written as each library's
 * users write it, every contender in the same rounds and from the same weights; then conv2d
 * forward and forward+backward on a LeNet layer and a VGG block on our backends, in GFLOP/s next
 * to a matmul of the same size (the GEMM im2col reduces the conv to).
 */
import { conv2d, matmul, maxPool2d, nn, noGrad, optim, type Tensor, tensor, tidy } from '@surrograd/core';
import type { ConvLayerShape } from '../config.js';
import { jax } from '../contenders/jax.js';
import { type TfPeer, tf } from '../contenders/tfjs.js';
import type { BenchContext } from '../context.js';
import { uniformArray } from '../data.js';
import { type Contender, timeInterleaved } from '../measure/timer.js';
import type { CnnSection, ConvRow } from '../results.js';
import { type CnnData, hwio, lenetStepFlops, makeCnnData } from './cnn-setup.js';
import { transposed } from './mlp-setup.js';
import { type OurStep, ourTrainer, type Trainer, timeSteps } from './step-trainers.js';

class LeNet extends nn.Module {
  conv1 = new nn.Conv2d(1, 6, 5, { padding: 2 });
  conv2 = new nn.Conv2d(6, 16, 5);
  fc = [new nn.Linear(400, 120), new nn.Linear(120, 84), new nn.Linear(84, 10)];
  forward(x: Tensor): Tensor {
    let h = maxPool2d(this.conv1.forward(x).relu(), 2);
    h = maxPool2d(this.conv2.forward(h).relu(), 2).flatten(1);
    this.fc.forEach((layer, i) => {
      h = layer.forward(h);
      if (i < this.fc.length - 1) h = h.relu();
    });
    return h;
  }
}

/** surrograd's LeNet-5 with the shared weights. */
function ourLeNet(data: CnnData): OurStep {
  const p = data.params;
  const model = new LeNet();
  noGrad(() => {
    model.conv1.weight.assign(tensor(p.conv1.w, { shape: [6, 1, 5, 5] }));
    model.conv1.bias?.assign(tensor(p.conv1.b));
    model.conv2.weight.assign(tensor(p.conv2.w, { shape: [16, 6, 5, 5] }));
    model.conv2.bias?.assign(tensor(p.conv2.b));
    p.fc.forEach((l, i) => {
      const layer = model.fc[i] as nn.Linear;
      layer.weight.assign(tensor(transposed(l.w, l.inFeatures, l.outFeatures), { shape: [l.outFeatures, l.inFeatures] }));
      layer.bias?.assign(tensor(l.b));
    });
  });
  const x = tensor(data.x, { shape: [data.shape.batch, 1, 28, 28] });
  return { model, opt: new optim.SGD(model.parameters(), { lr: data.shape.lr }), x, y: tensor(data.labels, { dtype: 'int32' }) };
}

function tfTrainer(peer: TfPeer, data: CnnData): Trainer {
  let state: { vars: tf.Variable[]; opt: tf.SGDOptimizer; x: tf.Tensor4D; oneHot: tf.Tensor2D } | null = null;
  const p = data.params;
  const n = data.shape.batch;
  const loss = () => {
    const { vars, x, oneHot } = state as NonNullable<typeof state>;
    const [c1w, c1b, c2w, c2b, ...fc] = vars as tf.Variable[];
    const conv = (input: tf.Tensor4D, w: tf.Variable, b: tf.Variable, pad: number) =>
      tf.relu(
        tf.add(
          tf.conv2d(
            input,
            w as tf.Tensor4D,
            1,
            pad
              ? [
                  [0, 0],
                  [pad, pad],
                  [pad, pad],
                  [0, 0],
                ]
              : 'valid',
          ),
          b,
        ),
      ) as tf.Tensor4D;
    let h = tf.maxPool(conv(x, c1w as tf.Variable, c1b as tf.Variable, 2), 2, 2, 'valid') as tf.Tensor4D;
    h = tf.maxPool(conv(h, c2w as tf.Variable, c2b as tf.Variable, 0), 2, 2, 'valid') as tf.Tensor4D;
    // NHWC → NCHW before flattening, so the first linear layer sees PyTorch's feature order.
    let z: tf.Tensor2D = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [n, 400]);
    for (let i = 0; i < 3; i++) {
      z = tf.add(tf.matMul(z, fc[2 * i] as tf.Variable), fc[2 * i + 1] as tf.Variable);
      if (i < 2) z = tf.relu(z);
    }
    return tf.losses.softmaxCrossEntropy(oneHot, z) as tf.Scalar;
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
        const nchw = tf.tensor4d(data.x, [n, 1, 28, 28]);
        state = {
          vars: [
            tf.variable(tf.tensor4d(hwio(p.conv1.w, 6, 1, 5), [5, 5, 1, 6])),
            tf.variable(tf.tensor1d(p.conv1.b)),
            tf.variable(tf.tensor4d(hwio(p.conv2.w, 16, 6, 5), [5, 5, 6, 16])),
            tf.variable(tf.tensor1d(p.conv2.b)),
            ...p.fc.flatMap((l) => [tf.variable(tf.tensor2d(l.w, [l.inFeatures, l.outFeatures])), tf.variable(tf.tensor1d(l.b))]),
          ],
          opt: tf.train.sgd(data.shape.lr),
          x: tf.transpose(nchw, [0, 2, 3, 1]) as tf.Tensor4D,
          oneHot: tf.tensor2d(data.oneHot, [n, 10]),
        };
        nchw.dispose();
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

type JaxLeNet = { c1w: jax.Array; c1b: jax.Array; c2w: jax.Array; c2b: jax.Array; fc: { w: jax.Array; b: jax.Array }[] };

function jaxTrainer(data: CnnData, useJit: boolean): Trainer {
  const { batch: n, lr } = data.shape;
  const np = jax.numpy;
  // Max pooling 2×2 as JAX users write it without a pooling op: a reshape and a max.
  const pool = (h: jax.Array, c: number, size: number) => h.reshape([n, c, size / 2, 2, size / 2, 2]).max([3, 5]);
  const lossFn = (p: JaxLeNet, x: jax.Array, oneHot: jax.Array): jax.Array => {
    let h = jax.nn.relu(
      jax.lax
        .conv(
          x,
          p.c1w,
          [1, 1],
          [
            [2, 2],
            [2, 2],
          ],
        )
        .add(p.c1b.reshape([1, 6, 1, 1])),
    );
    h = pool(h, 6, 28);
    h = jax.nn.relu(jax.lax.conv(h, p.c2w, [1, 1], 'VALID').add(p.c2b.reshape([1, 16, 1, 1])));
    let z = pool(h, 16, 10).reshape([n, 400]);
    p.fc.forEach((l, i) => {
      z = np.dot(z, l.w).add(l.b);
      if (i < p.fc.length - 1) z = jax.nn.relu(z);
    });
    return jax.nn
      .logSoftmax(z, -1)
      .mul(oneHot)
      .sum()
      .mul(-1 / n);
  };
  const stepFn = (params: JaxLeNet, x: jax.Array, oneHot: jax.Array): [jax.Array, JaxLeNet] => {
    const [value, grads] = jax.valueAndGrad(lossFn)(jax.tree.ref(params), x, oneHot) as unknown as [jax.Array, JaxLeNet];
    const next = jax.tree.map((w: jax.Array, g: jax.Array) => w.sub(g.mul(lr)), params, grads) as JaxLeNet;
    return [value, next];
  };
  let state: { step: typeof stepFn; params: JaxLeNet; x: jax.Array; oneHot: jax.Array } | null = null;
  const label = useJit ? 'jax-js-wasm jit' : 'jax-js-wasm';
  const p = data.params;
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
          params: {
            c1w: np.array(p.conv1.w).reshape([6, 1, 5, 5]),
            c1b: np.array(p.conv1.b),
            c2w: np.array(p.conv2.w).reshape([16, 6, 5, 5]),
            c2b: np.array(p.conv2.b),
            fc: p.fc.map((l) => ({ w: np.array(l.w).reshape([l.inFeatures, l.outFeatures]), b: np.array(l.b) })),
          },
          x: np.array(data.x).reshape([n, 1, 28, 28]),
          oneHot: np.array(data.oneHot).reshape([n, 10]),
        };
      },
      async run() {
        const s = state as NonNullable<typeof state>;
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

/** 2·N·O·(C·k²)·L: the multiply-adds of one conv forward, counted as the GEMM im2col makes of it. */
function convFlops(l: ConvLayerShape): number {
  const out = l.size + 2 * l.padding - l.kernel + 1;
  return 2 * l.batch * l.outChannels * l.inChannels * l.kernel * l.kernel * out * out;
}

/** Conv forward, forward+backward (both gradients) and the same-size GEMM, on each of our backends. */
async function convRows(ctx: BenchContext): Promise<ConvRow[]> {
  const rows: ConvRow[] = [];
  for (const layer of ctx.config.convLayers) {
    const out = layer.size + 2 * layer.padding - layer.kernel + 1;
    const ck = layer.inChannels * layer.kernel * layer.kernel;
    const m = layer.outChannels;
    const nl = layer.batch * out * out;
    const contenders: Contender[] = [];
    const cleanups: (() => void)[] = [];
    for (const b of ctx.ours) {
      let s: { x: Tensor; w: Tensor; a: Tensor; c: Tensor } | null = null;
      const prepare = async () => {
        await b.use();
        if (s) return;
        s = {
          x: tensor(uniformArray(layer.batch * layer.inChannels * layer.size * layer.size, 7), {
            shape: [layer.batch, layer.inChannels, layer.size, layer.size],
            requiresGrad: true,
          }),
          w: tensor(uniformArray(m * ck, 8, -0.1, 0.1), { shape: [m, layer.inChannels, layer.kernel, layer.kernel], requiresGrad: true }),
          a: tensor(uniformArray(m * ck, 9), { shape: [m, ck] }),
          c: tensor(uniformArray(ck * nl, 10), { shape: [ck, nl] }),
        };
        cleanups.push(() => {
          const t = s as NonNullable<typeof s>;
          for (const v of [t.x, t.w, t.a, t.c]) {
            v.grad?.dispose();
            v.dispose();
          }
        });
      };
      const read = async (v: Tensor) => {
        await v.data();
        v.dispose();
      };
      contenders.push(
        {
          id: `${b.label}\u0000forward`,
          prepare,
          run: async () => {
            const t = s as NonNullable<typeof s>;
            await read(noGrad(() => conv2d(t.x, t.w, null, { padding: layer.padding })));
          },
        },
        {
          id: `${b.label}\u0000forward+backward`,
          prepare,
          run: async () => {
            const t = s as NonNullable<typeof s>;
            t.x.grad = null;
            t.w.grad = null;
            tidy(() => conv2d(t.x, t.w, null, { padding: layer.padding }).sum().backward());
            await (t.w.grad as Tensor | null)?.data();
          },
        },
        {
          id: `${b.label}\u0000GEMM [${m}, ${ck}]·[${ck}, ${nl}]`,
          prepare,
          run: async () => {
            const t = s as NonNullable<typeof s>;
            await read(matmul(t.a, t.c));
          },
        },
      );
    }
    ctx.log(`cnn: conv ${layer.name}, ${contenders.length} timings`);
    const outcomes = await timeInterleaved(contenders, ctx.config.cnnReps);
    // Peak tensor bytes of one forward+backward per backend (the composite holds the unfolded batch).
    const peaks = new Map<string, number>();
    for (const b of ctx.ours) {
      const c = contenders.find((k) => k.id === `${b.label}\u0000forward+backward`);
      if (!c || outcomes.get(c.id)?.error) continue;
      await c.prepare?.();
      b.peak.begin();
      await c.run();
      peaks.set(b.label, b.peak.end());
    }
    for (const c of cleanups) c();
    const flops = convFlops(layer);
    const gemm = new Map<string, number>();
    for (const c of contenders) {
      const [who, pass] = c.id.split('\u0000') as [string, string];
      const o = outcomes.get(c.id);
      const work = pass === 'forward+backward' ? 3 * flops : flops;
      const gflops = o?.stats ? work / (o.stats.medianMs * 1e6) : null;
      if (pass.startsWith('GEMM') && gflops !== null) gemm.set(who, gflops);
      const peakBytes = pass === 'forward+backward' ? (peaks.get(who) ?? null) : undefined;
      rows.push({ layer: layer.name, contender: who, pass, stats: o?.stats ?? null, error: o?.error, gflops, ofGemm: null, peakBytes });
    }
    for (const r of rows)
      if (r.layer === layer.name && r.gflops !== null && gemm.has(r.contender)) r.ofGemm = r.gflops / (gemm.get(r.contender) as number);
  }
  return rows;
}

export async function runCnn(ctx: BenchContext): Promise<CnnSection> {
  const data = makeCnnData(ctx.config.cnn);
  const trainers: Trainer[] = [
    ...ctx.ours.map((b) => ourTrainer(b, () => ourLeNet(data))),
    ...ctx.tfPeers.map((p) => tfTrainer(p, data)),
    ...(ctx.jax ? [jaxTrainer(data, true), jaxTrainer(data, false)] : []),
  ];
  ctx.log(`cnn: LeNet-5, batch ${data.shape.batch}, ${trainers.length} contenders`);
  const steps = await timeSteps(trainers, ctx.config.cnnReps);
  return { batch: data.shape.batch, flopsPerStep: lenetStepFlops(data.shape.batch), steps, conv: await convRows(ctx) };
}
