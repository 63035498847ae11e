/**
 * nn.Module hooks, as PyTorch's: forward pre-hooks (see and may replace the inputs), forward hooks
 * (see the inputs and the output, may replace the output) and full backward hooks (see the
 * gradients of the module's input and output, may replace the input's). Modules take one tensor,
 * so inputs and gradients are one-element arrays, as PyTorch's tuples.
 */
import { aliasOf } from '../autograd/alias.js';
import { atBackwardPassEnd } from '../autograd/backward.js';
import { defineFunction } from '../autograd/function.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { HookList, type RemovableHandle } from '../autograd/hook-list.js';
import { untrack } from '../scope.js';
import { Tensor } from '../tensor.js';
import type { Module } from './module.js';

/** Runs before forward with its inputs; may return replacement inputs (a tensor or a one-element array). */
// biome-ignore lint/suspicious/noConfusingVoidType: a hook may return nothing
export type ForwardPreHook<M extends Module = Module> = (module: M, inputs: [Tensor]) => Tensor | [Tensor] | undefined | void;
/** Runs after forward with its inputs and output; may return a replacement output. */
// biome-ignore lint/suspicious/noConfusingVoidType: a hook may return nothing
export type ForwardHook<M extends Module = Module> = (module: M, inputs: [Tensor], output: Tensor) => Tensor | undefined | void;
/**
 * Runs when the gradient of the module's input is computed (or, if the input needs none, when its
 * output's is), with both; may return a replacement for the input's gradient.
 */
export type FullBackwardHook<M extends Module = Module> = (
  module: M,
  gradInput: [Tensor | null],
  gradOutput: [Tensor],
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook may return nothing
) => [Tensor | null] | undefined | void;

/** A module's hooks, created on first registration. */
export class ModuleHooks {
  readonly pre = new HookList<ForwardPreHook>();
  readonly post = new HookList<ForwardHook>();
  readonly backward = new HookList<FullBackwardHook>();

  get empty(): boolean {
    return this.pre.size === 0 && this.post.size === 0 && this.backward.size === 0;
  }
}

interface BackwardState {
  module: Module;
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

/** Calls `forward` on `x` with `module`'s hooks around it. */
export function forwardWithHooks(module: Module, hooks: ModuleHooks, forward: (x: Tensor) => Tensor, x: Tensor): Tensor {
  let input = x;
  for (const hook of hooks.pre.list()) {
    const r = hook(module, [input]);
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
    const r = hook(module, inputs, output);
    if (r === undefined || r === null) continue;
    if (!(r instanceof Tensor))
      throw new TypeError(`registerForwardHook: a hook of ${module.constructor.name} returned ${typeof r}; expected a Tensor or nothing`);
    output = r;
  }
  return output;
}

export type { RemovableHandle };
