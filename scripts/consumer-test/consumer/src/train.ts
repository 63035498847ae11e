/**
 * What a stranger writes after `npm install @surrograd/core @surrograd/backend-<name>`: a custom
 * Function, a surrogate activation and a small MLP trained with Adam. Type-checked against the
 * packed .d.ts files (skipLibCheck off), then run; it throws unless the loss falls and memory holds.
 */
import {
  defineFunction,
  type FunctionCtx,
  getBackend,
  memory,
  nn,
  optim,
  reluWithLeakyGrad,
  setBackend,
  surrogate,
  type Tensor,
  tensor,
  tidy,
  where,
} from '@surrograd/core';

// The seed thread's NSReLU, written by hand: relu forward, leaky backward.
const NSReLU = defineFunction({
  name: 'NSReLU',
  forward(ctx: FunctionCtx<{ slope: number }>, x: Tensor, slope: number) {
    ctx.saveForBackward(x);
    ctx.slope = slope;
    return x.relu();
  },
  backward(ctx: FunctionCtx<{ slope: number }>, dy: Tensor) {
    const [x] = ctx.savedTensors as [Tensor];
    return [where(x.lt(0), dy.mul(ctx.slope), dy), null];
  },
});

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`consumer test: ${message}`);
}

/** Two interleaved half-moons-like classes: label = sign of x0·x1, learnable by a small MLP. */
function dataset(n: number): { x: Tensor; labels: number[] } {
  const values: number[] = [];
  const labels: number[] = [];
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  for (let i = 0; i < n; i++) {
    const a = next() * 4;
    const b = next() * 4;
    values.push(a, b);
    labels.push(a * b > 0 ? 1 : 0);
  }
  return { x: tensor(values, { shape: [n, 2] }), labels };
}

export async function trainTiny(backend: string): Promise<void> {
  await setBackend(backend);
  check(getBackend() === backend, `setBackend('${backend}') left '${getBackend()}' current`);

  // The custom Function and the library's fused surrogate agree: forward relu, gradient slope below 0.
  const probe = tensor([-2, 3], { requiresGrad: true });
  NSReLU(probe, 0.25).sum().backward();
  check(JSON.stringify(await probe.grad!.array()) === '[0.25,1]', `NSReLU gradient ${JSON.stringify(await probe.grad!.array())}`);
  probe.grad = null;
  reluWithLeakyGrad(probe, { slope: 0.25 }).sum().backward();
  check(
    JSON.stringify(await probe.grad!.array()) === '[0.25,1]',
    `reluWithLeakyGrad gradient ${JSON.stringify(await probe.grad!.array())}`,
  );
  probe.dispose();

  const spike = surrogate({ forward: 'heaviside', backward: 'atan', params: { alpha: 2 } });
  const model = new nn.Sequential(
    new nn.Linear(2, 16, { seed: 1 }),
    new nn.ReLUWithLeakyGrad({ slope: 0.05 }),
    new nn.Linear(16, 16, { seed: 3 }),
    new nn.Tanh(),
    new nn.Linear(16, 2, { seed: 5 }),
  );
  const { x, labels } = dataset(128);
  const opt = new optim.Adam(model.parameters(), { lr: 0.03 });
  const losses: number[] = [];
  let steadyBytes = -1;
  for (let step = 0; step < 60; step++) {
    const loss = tidy(() => {
      opt.zeroGrad();
      const l = nn.crossEntropy(model.forward(x), labels);
      l.backward();
      opt.step();
      return l;
    });
    losses.push((await loss.data())[0] as number);
    loss.dispose();
    if (step === 5) steadyBytes = memory().numBytes;
    if (step > 5) check(memory().numBytes === steadyBytes, `memory grew from ${steadyBytes} to ${memory().numBytes} bytes at step ${step}`);
  }
  const first = losses[0] as number;
  const last = losses[losses.length - 1] as number;
  check(Number.isFinite(last) && last < 0.5 * first, `loss did not halve: ${first.toFixed(4)} → ${last.toFixed(4)}`);

  const spikes = tidy(() => spike(tensor([-1, 0.5])));
  check(JSON.stringify(await spikes.array()) === '[0,1]', `heaviside spikes ${JSON.stringify(await spikes.array())}`);
  spikes.dispose();
  x.dispose();
  console.log(`consumer ${backend}: loss ${first.toFixed(4)} → ${last.toFixed(4)} in ${losses.length} Adam steps`);
}
