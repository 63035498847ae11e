/**
 * nn.Module hooks, as PyTorch's: forward pre-hooks (see and may replace the inputs), forward hooks
 * (see the inputs and the output, may replace the output) and full backward hooks (see the
 * gradients of the module's input and output, may replace the input's). Inputs are arrays, as
 * PyTorch's tuples: one tensor for most layers, more for a module whose forward takes more (a
 * spiking neuron's input and membrane). Full backward hooks need one tensor in and one out.
 */
import { aliasOf } from '../autograd/alias.js';
import { atBackwardPassEnd } from '../autograd/backward.js';
import { defineFunction } from '../autograd/function.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { HookList, type RemovableHandle } from '../autograd/hook-list.js';
import { untrack } from '../scope.js';
import { Tensor } from '../tensor.js';
import type { AnyModule, Module } from './module.js';

/**
 * Runs before forward with its inputs; may return replacement inputs (all of them as an array, or
 * for a module of one input, that tensor).
 */
export type ForwardPreHook<M extends AnyModule = Module, In extends unknown[] = [Tensor]> = (
  module: M,
  inputs: In,
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook may return nothing
) => In | (In extends [Tensor] ? Tensor : never) | undefined | void;
/** Runs after forward with its inputs and output; may return a replacement output. */
export type ForwardHook<M extends AnyModule = Module, In extends unknown[] = [Tensor], Out = Tensor> = (
  module: M,
  inputs: In,
  output: Out,
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook may return nothing
) => Out | undefined | void;
/**
 * Runs when the gradient of the module's input is computed (or, if the input needs none, when its
 * output's is), with both; may return a replacement for the input's gradient.
 */
export type FullBackwardHook<M extends AnyModule = Module> = (
  module: M,
  gradInput: [Tensor | null],
  gradOutput: [Tensor],
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook may return nothing
) => [Tensor | null] | undefined | void;

/** A module's hooks, created on first registration. */
export class ModuleHooks {
  readonly pre = new HookList<ForwardPreHook<AnyModule, unknown[]>>();
  readonly post = new HookList<ForwardHook<AnyModule, unknown[], unknown>>();
  readonly backward = new HookList<FullBackwardHook<AnyModule>>();

  get empty(): boolean {
    return this.pre.size === 0 && this.post.size === 0 && this.backward.size === 0;
  }
}

interface BackwardState {
  module: AnyModule;
  hooks: ModuleHooks;
  gradOutput: Tensor | null;
}

function callBackwardHooks(state: BackwardState, gradInput: Tensor | null, gradOutput: Tensor): Tensor | null {
  let g = gradInput;
  for (const hook of state.hooks.backward.list()) {
    const r = hook(state.module, [g], [gradOutput]);
    if (r === undefined || r === null) continue;
    if (!Array.isArray(r) || r.length !== 1 || !(r[0] === null || r[0] instanceof Tensor)) {
      throw new TypeError(
        `registerFullBackwardHook: a hook of ${state.module.constructor.name} returned ${typeof r}; expected [gradInput] or nothing`,
      );
    }
    g = r[0];
  }
  return g;
}

/** At the module's output: records the output's gradient for the input's hook (or calls the hooks now if the input needs no gradient). */
const BackwardHookOut = defineFunction({
  name: 'BackwardHook',
  forward(ctx, y: Tensor, state: BackwardState, inputNeedsGrad: boolean) {
    ctx.state = state;
    ctx.inputNeedsGrad = inputNeedsGrad;
    return y;
  },
  backward(ctx, dy: Tensor) {
    const state = ctx.state as BackwardState;
    if (ctx.inputNeedsGrad) {
      state.gradOutput?.dispose();
      const held = aliasOf(dy, false);
      untrack(held);
      state.gradOutput = held;
      // A pass that stops inside the module (gradients() of an inner tensor) never reaches the input's node.
      atBackwardPassEnd(() => {
        if (state.gradOutput !== held) return;
        held.dispose();
        state.gradOutput = null;
      });
    } else callBackwardHooks(state, null, dy);
    return [dy, null, null];
  },
  jvp: (_ctx, t) => t,
});

/** At the module's input: calls the backward hooks with both gradients. */
const BackwardHookIn = defineFunction({
  name: 'BackwardHook',
  forward(ctx, x: Tensor, state: BackwardState) {
    ctx.state = state;
    return x;
  },
  backward(ctx, dx: Tensor) {
    const state = ctx.state as BackwardState;
    const gradOutput = state.gradOutput;
    state.gradOutput = null;
    try {
      return [gradOutput ? callBackwardHooks(state, dx, gradOutput) : dx, null];
    } finally {
      gradOutput?.dispose();
    }
  },
  jvp: (_ctx, t) => t,
});

/** Calls `forward` on one tensor `x` with `module`'s hooks around it, backward hooks included. */
function forwardOneWithHooks(module: AnyModule, hooks: ModuleHooks, forward: (x: Tensor) => Tensor, x: Tensor): Tensor {
  let input = x;
  for (const hook of hooks.pre.list()) {
    const r = hook(module, [input]) as unknown;
    if (r === undefined || r === null) continue;
    const next = Array.isArray(r) ? r[0] : r;
    if (!(next instanceof Tensor))
      throw new TypeError(
        `registerForwardPreHook: a hook of ${module.constructor.name} returned ${typeof r}; expected a Tensor, [Tensor] or nothing`,
      );
    input = next;
  }
  const inputs: [Tensor] = [input];
  const recordBackward = hooks.backward.size > 0 && isGradEnabled();
  const state: BackwardState = { module, hooks, gradOutput: null };
  const inputNeedsGrad = recordBackward && input.requiresGrad;
  // The wrappers' own tensor objects are not the caller's: freed here, their graph stays.
  const inner = inputNeedsGrad ? BackwardHookIn(input, state) : input;
  let output = forward(inner);
  if (inner !== input) inner.dispose();
  if (recordBackward && output.requiresGrad) {
    const wrapped = BackwardHookOut(output, state, inputNeedsGrad);
    output.dispose();
    output = wrapped;
  }
  for (const hook of hooks.post.list()) {
    const r = hook(module, inputs, output) as unknown;
    if (r === undefined || r === null) continue;
    if (!(r instanceof Tensor))
      throw new TypeError(`registerForwardHook: a hook of ${module.constructor.name} returned ${typeof r}; expected a Tensor or nothing`);
    output = r;
  }
  return output;
}

/**
 * Calls `forward` with `module`'s hooks around it: one tensor in and out takes the full path
 * (backward hooks too); any other signature gets the forward hooks, whose inputs are the arguments.
 */
export function forwardWithHooks(
  module: AnyModule,
  hooks: ModuleHooks,
  forward: (...args: unknown[]) => unknown,
  args: unknown[],
): unknown {
  if (args.length === 1 && args[0] instanceof Tensor) {
    return forwardOneWithHooks(
      module,
      hooks,
      (x) => {
        const y = forward(x);
        if (!(y instanceof Tensor) && hooks.backward.size > 0) throw backwardHooksNeedOneTensor(module);
        return y as Tensor;
      },
      args[0],
    );
  }
  if (hooks.backward.size > 0 && isGradEnabled()) throw backwardHooksNeedOneTensor(module);
  let inputs = args;
  for (const hook of hooks.pre.list()) {
    const r = hook(module, inputs) as unknown;
    if (r === undefined || r === null) continue;
    if (!Array.isArray(r) || r.length !== inputs.length) {
      throw new TypeError(
        `registerForwardPreHook: a hook of ${module.constructor.name} returned ${typeof r}; expected an array of ${inputs.length} inputs or nothing`,
      );
    }
    inputs = r;
  }
  let output = forward(...inputs);
  for (const hook of hooks.post.list()) {
    const r = hook(module, inputs, output) as unknown;
    if (r !== undefined && r !== null) output = r;
  }
  return output;
}

function backwardHooksNeedOneTensor(module: AnyModule): TypeError {
  return new TypeError(
    `registerFullBackwardHook: ${module.constructor.name}'s forward does not take one tensor and return one; full backward hooks need that (forward hooks work on any module)`,
  );
}

export type { RemovableHandle };
