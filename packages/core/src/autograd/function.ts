/**
 * The custom differentiable Function: `forward(ctx, ...args)` and `backward(ctx, ...grads)` joined by
 * ctx, as torch.autograd.Function. Every built-in differentiable op is defined with it too.
 */
import type { Backend } from '../backend.js';
import { describe } from '../describe.js';
import { isFloat } from '../dtype.js';
import { zerosLike } from '../ops/creation.js';
import { broadcastTo } from '../ops/shape-ops.js';
import { onBackend, swapPinnedBackend } from '../registry.js';
import { beginScope, endScope, untrack } from '../scope.js';
import { fmt, shapesEqual, tryBroadcastShapes } from '../shape.js';
import { peekNextTensorId, Tensor } from '../tensor.js';
import { aliasOf } from './alias.js';
import { FunctionContext, type FunctionCtx } from './context.js';
import { attachTangent, tangentAt, tangentLevels, withTangentsBelow } from './forward-ad.js';
import { isGradEnabled, isInferenceMode, swapGradMode } from './grad-mode.js';
import { type Edge, Node, type TensorMeta } from './node.js';

/**
 * What a Function's forward returns: one tensor, or an array for several outputs, which may also
 * hold non-tensor values (they pass through to the caller; backward gets gradients for the
 * tensors only, in order).
 */
export type Outputs = Tensor | readonly unknown[];
/** The default type of the state forward stores on ctx for backward: any attributes, as on PyTorch's ctx. */
// biome-ignore lint/suspicious/noExplicitAny: state defaults to PyTorch's untyped ctx attributes
export type AnyState = Record<string, any>;

/** The definition {@link defineFunction} takes: a name, a forward and a backward joined by ctx, as the static methods of a `torch.autograd.Function`. */
export interface FunctionSpec<Args extends unknown[], Out extends Outputs, State extends object = AnyState> {
  /** Shown in errors and graph dumps. */
  name: string;
  /** Runs with gradient recording off. Return a tensor or an array of tensors. */
  forward(ctx: FunctionCtx<State>, ...args: Args): Out;
  /**
   * One gradient per forward output in; one gradient per forward argument out (a single tensor
   * when forward takes one argument), null for non-tensor or non-differentiable arguments.
   * A gradient of a shape the input broadcasts to is summed down to the input's shape.
   */
  backward(ctx: FunctionCtx<State>, ...grads: Tensor[]): Tensor | null | undefined | readonly (Tensor | null | undefined)[];
  /** Make double backward through this function an error (PyTorch's @once_differentiable). */
  onceDifferentiable?: boolean;
  /** Forward mode, as PyTorch's `Function.jvp`: see {@link JvpRule}. Without it, `jvp` through this Function is an error naming it. */
  jvp?: JvpRule<State>;
  /** false: as `ctx.setMaterializeGrads(false)` from the start (backward gets null for outputs without a gradient, jvp null for inputs without a tangent). */
  materializeGrads?: boolean;
}

/**
 * A Function's forward-mode rule, as PyTorch's `Function.jvp(ctx, *tangents)`: one tangent per
 * forward argument in (zeros for a tensor input without one — null with `setMaterializeGrads(false)`
 * — and null for non-tensor arguments), the tangent of each tensor output out (a single tensor for
 * one output; null for a zero tangent). It runs right after forward with the same ctx, so it reads
 * what forward left there: `savedTensors` (from `saveForForward`, else `saveForBackward`) and
 * attributes. A tangent of a shape that broadcasts to its output's shape is broadcast to it.
 */
export type JvpRule<State extends object = AnyState> = (
  ctx: FunctionCtx<State>,
  ...tangents: (Tensor | null)[]
) => Tensor | null | undefined | readonly (Tensor | null | undefined)[];

/**
 * The torch 2.x style of {@link defineFunction}: `forward(...args)` computes the outputs without
 * ctx, and `setupContext(ctx, inputs, output)` then saves what backward needs.
 */
export interface FunctionSpecWithSetup<Args extends unknown[], Out extends Outputs, State extends object = AnyState> {
  /** Shown in errors and graph dumps. */
  name: string;
  /** Runs with gradient recording off. */
  forward(...args: Args): Out;
  /** Runs right after forward, recording still off: fill ctx from the inputs and the output. */
  setupContext(ctx: FunctionCtx<State>, inputs: Args, output: Out): void;
  /** As {@link FunctionSpec.backward}. */
  backward(ctx: FunctionCtx<State>, ...grads: Tensor[]): Tensor | null | undefined | readonly (Tensor | null | undefined)[];
  /** Make double backward through this function an error (PyTorch's @once_differentiable). */
  onceDifferentiable?: boolean;
  /** As {@link FunctionSpec.jvp}. */
  jvp?: JvpRule<State>;
  /** As {@link FunctionSpec.materializeGrads}. */
  materializeGrads?: boolean;
}

/** A Function made by {@link defineFunction}: call it (or `.apply`) with tensors to run forward and record it for backward. */
export type DifferentiableFunction<Args extends unknown[], Out extends Outputs> = ((...args: Args) => Out) & {
  /** The spec's name, as shown in errors. */
  readonly functionName: string;
  /** Same as calling it; for code ported from PyTorch. */
  apply(...args: Args): Out;
};

/** Defines a differentiable function, torch 2.x style: a forward without ctx, a setupContext and a backward. */
export function defineFunction<Args extends unknown[], Out extends Outputs, State extends object = AnyState>(
  spec: FunctionSpecWithSetup<Args, Out, State>,
): DifferentiableFunction<Args, Out>;
/** Defines a differentiable function from a forward and a backward joined by ctx. */
export function defineFunction<Args extends unknown[], Out extends Outputs, State extends object = AnyState>(
  spec: FunctionSpec<Args, Out, State>,
): DifferentiableFunction<Args, Out>;
export function defineFunction<Args extends unknown[], Out extends Outputs, State extends object = AnyState>(
  spec: FunctionSpec<Args, Out, State> | FunctionSpecWithSetup<Args, Out, State>,
): DifferentiableFunction<Args, Out> {
  if (!spec || typeof spec.name !== 'string' || typeof spec.forward !== 'function' || typeof spec.backward !== 'function') {
    throw new TypeError(
      'defineFunction: expected { name: string, forward(ctx, ...args), backward(ctx, ...grads) } or { name, forward(...args), setupContext(ctx, inputs, output), backward }',
    );
  }
  const call = (...args: Args): Out => applyFunction(spec as unknown as AnySpec, args) as Out;
  Object.defineProperty(call, 'name', { value: spec.name });
  return Object.assign(call, { functionName: spec.name, apply: call }) as DifferentiableFunction<Args, Out>;
}

/**
 * The class style, for code ported from PyTorch:
 * `class Exp extends AutogradFunction { static forward(ctx, x) {…} static backward(ctx, dy) {…} }`
 * then `Exp.apply(x)`.
 */
export abstract class AutogradFunction {
  /** Set true in a subclass to make double backward through it an error (PyTorch's @once_differentiable). */
  static onceDifferentiable = false;
  /**
   * Override: `forward(ctx, ...args)` computes the outputs (recording off), saving on ctx what
   * backward needs; or, with a static `setupContext(ctx, inputs, output)`, `forward(...args)`.
   */
  // biome-ignore lint/suspicious/noExplicitAny: subclasses declare their own signatures
  static forward(..._args: any[]): any {
    throw new Error(`${this.name}: static forward(ctx, ...args) is not defined`);
  }
  /** Override: one gradient per forward output in, one per forward argument out (null where none). */
  // biome-ignore lint/suspicious/noExplicitAny: subclasses declare their own signatures
  static backward(_ctx: FunctionCtx, ..._grads: any[]): any {
    throw new Error(`${this.name}: static backward(ctx, ...grads) is not defined`);
  }
  /**
   * Optional: define a static `jvp(ctx, ...tangents)` for forward mode (PyTorch's `Function.jvp`);
   * see {@link JvpRule}. Left undefined, `jvp` through the Function is an error naming it.
   */
  static jvp: JvpRule | undefined = undefined;
  /** Runs forward on `args` and records the call for backward, as `torch.autograd.Function.apply`; typed from the subclass's static forward. */
  static apply<T extends typeof AutogradFunction>(this: T, ...args: ApplyArgs<T>): ReturnType<T['forward']> {
    // torch 2.x style: a subclass that defines setupContext has a forward without ctx.
    const setup = (this as unknown as { setupContext?: AnySpec['setupContext'] }).setupContext;
    return applyFunction(
      {
        name: this.name,
        forward: setup ? (...a: unknown[]) => (this.forward as (...b: unknown[]) => unknown)(...a) : (ctx, ...a) => this.forward(ctx, ...a),
        setupContext: setup ? (ctx, inputs, output) => setup.call(this, ctx, inputs, output) : undefined,
        backward: (ctx, ...g) => this.backward(ctx, ...g),
        onceDifferentiable: this.onceDifferentiable,
        jvp: this.jvp ? (ctx, ...t) => (this.jvp as JvpRule).call(this, ctx, ...t) : undefined,
      },
      args,
    ) as ReturnType<T['forward']>;
  }
}

/** A Function class with a static `setupContext` (torch 2.x style). */
export interface HasSetupContext {
  /** The static setupContext(ctx, inputs, output). */
  // biome-ignore lint/suspicious/noExplicitAny: matching any subclass's signature
  setupContext: (...args: any[]) => unknown;
}

/** A Function class's static forward, taking `A`. */
export interface ForwardTaking<A extends unknown[]> {
  /** The static forward. */
  forward: (...args: A) => unknown;
}

/** A Function class's static forward taking ctx, then `A`. */
export interface ForwardWithCtxTaking<A extends unknown[]> {
  /** The static forward(ctx, ...args). */
  // biome-ignore lint/suspicious/noExplicitAny: ctx's type is the subclass's choice
  forward: (ctx: any, ...args: A) => unknown;
}

/** The arguments `apply` takes: forward's after ctx, or all of them with a setupContext. */
export type ApplyArgs<T> = T extends HasSetupContext
  ? T extends ForwardTaking<infer A>
    ? A
    : never
  : T extends ForwardWithCtxTaking<infer R>
    ? R
    : never;

interface AnySpec {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: (ctx, ...args), or (...args) with setupContext
  forward(...args: any[]): unknown;
  setupContext?: ((ctx: FunctionContext, inputs: unknown[], output: unknown) => void) | undefined;
  backward(ctx: FunctionContext, ...grads: (Tensor | null)[]): unknown;
  onceDifferentiable?: boolean;
  jvp?: ((ctx: FunctionContext, ...tangents: (Tensor | null)[]) => unknown) | undefined;
  materializeGrads?: boolean;
}

function applyFunction(spec: AnySpec, args: unknown[]): Outputs {
  const name = spec.name;
  let backend: Backend | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!(a instanceof Tensor)) continue;
    a.assertAlive(name);
    if (backend === null) backend = a.backend;
    else if (a.backend !== backend) {
      throw new Error(`${name}: input ${i} is on backend '${a.backend.name}' but an earlier input is on '${backend.name}'; move it first`);
    }
  }
  const ctx = new FunctionContext(name);
  if (spec.materializeGrads === false) ctx.materializeGrads = false;
  const inference = isInferenceMode();
  let needsGraph = false;
  const recording = isGradEnabled();
  if (recording) for (const a of args) if (a instanceof Tensor && a.requiresGrad) needsGraph = true;
  ctx.needsInputGrad = needsGraph ? args.map((a) => a instanceof Tensor && a.requiresGrad) : noGrads(args.length);
  // Forward mode: the levels whose tangents some input carries (null outside jvp: one check).
  const levels = inference ? null : tangentLevels(args);
  if (levels !== null) {
    if (!spec.jvp) {
      throw new Error(
        `${name}: forward-mode AD (jvp, jacfwd, hessian) reached this Function, which defines no jvp; ` +
          "give it jvp(ctx, ...tangents) returning the tangent of each output (PyTorch's Function.jvp)",
      );
    }
    ctx.needsInputTangent = args.map((a) => a instanceof Tensor && levels.some((l) => tangentAt(a, l) !== null));
  }
  // Without a node or tangents nothing reads the saved tensors after forward: no buffer retained, no version noted.
  if (inference || (!needsGraph && levels === null)) ctx.noBackward = true;

  const firstNewId = peekNextTensorId();
  const scope = beginScope();
  let result: unknown;
  let outputs: Tensor[];
  try {
    // Inside forward the ops are the Function's own business: its jvp rule gives the tangents.
    result = levels === null ? runForward(spec, ctx, args, backend) : withTangentsBelow(0, () => runForward(spec, ctx, args, backend));
    outputs = asOutputs(name, result);
  } catch (err) {
    endScope(scope);
    ctx.freeSaved();
    throw err;
  }
  try {
    if (ctx.dirty) checkDirty(name, ctx.dirty, args, outputs, recording);
  } catch (err) {
    endScope(scope);
    ctx.freeSaved();
    throw err;
  }
  // An output that existed before forward (an input returned as is, or returned twice) becomes a
  // new tensor sharing its buffer, so the graph never rewires a tensor the caller already holds —
  // unless forward marked it dirty: then it is that tensor, rewired (PyTorch's mark_dirty).
  const originals = outputs;
  const kept = (t: Tensor, i: number) => (t.id >= firstNewId || ctx.dirty?.has(t)) && originals.indexOf(t) === i;
  if (!outputs.every(kept)) outputs = outputs.map((t, i) => (kept(t, i) ? t : aliasOf(t, false)));
  // As PyTorch's mark_dirty, the version moves even if forward changed the values some other way.
  if (ctx.dirty) for (const t of ctx.dirty) if (!t.isInference) t.version++;
  if (inference) {
    // Nothing reads ctx after forward: the scope frees what forward left on it.
    endScope(scope, outputs);
    return shaped(result, outputs);
  }
  const returned = outputs;
  // Without a node or tangents nothing reads ctx again: its attributes go with forward's scope.
  if (needsGraph || levels !== null) {
    ctx.captureAttributes(
      (t) => t.id >= firstNewId,
      (t) => returned.includes(t) || originals.includes(t),
      untrack,
    );
  }
  if (needsGraph) {
    const stale = ctx.savedEntries.find((s) => s?.original.isInference);
    if (stale) {
      endScope(scope);
      ctx.freeSaved();
      throw new Error(
        `${name}: tensor #${stale.original.id} (shape ${fmt(stale.original.shape)}) was made inside inferenceMode and can't be saved for backward; ` +
          'clone it outside inferenceMode first (inference tensors carry no version to check)',
      );
    }
  }
  const node = needsGraph ? recordNode(spec, ctx, args, outputs) : null;
  // Forward mode runs after the node is wired (so a tangent built from a saved output stays
  // differentiable through it: reverse over forward) and inside forward's scope (so what forward
  // made for saveForForward is still alive).
  if (levels !== null) {
    try {
      const run = () => propagateTangents(spec, ctx, args, outputs, levels);
      if (backend) onBackend(backend, run);
      else run();
    } catch (err) {
      endScope(scope);
      ctx.freeSaved();
      throw err;
    }
    for (const s of ctx.savedEntries) if (s && s.original.tangents !== null && outputs.includes(s.original)) s.captureTangents(false);
  }
  endScope(scope, outputs);
  if (node === null) {
    ctx.freeSaved();
  } else if (outputs.every((t) => t.gradFn !== node)) {
    // A node that made only non-differentiable outputs is unreachable: free it now.
    node.retain();
    node.release();
  }
  return shaped(result, outputs);
}

/** ctx.needsInputGrad when nothing records: one shared all-false array per arity, frozen (forward only reads it). */
const NO_GRADS: boolean[][] = [];
function noGrads(n: number): boolean[] {
  NO_GRADS[n] ??= Object.freeze(new Array<boolean>(n).fill(false)) as boolean[];
  return NO_GRADS[n];
}

/**
 * Runs forward with recording off and its inputs' backend current (withGradMode and onBackend,
 * without their closures: every op in core comes through here).
 */
function runForward(spec: AnySpec, ctx: FunctionContext, args: unknown[], backend: Backend | null): unknown {
  const grad = swapGradMode(false);
  const pinned = backend ? swapPinnedBackend(backend) : null;
  try {
    const setup = spec.setupContext;
    if (!setup) return spec.forward(ctx, ...args);
    const out = spec.forward(...args);
    setup(ctx, args, out);
    return out;
  } finally {
    if (backend) swapPinnedBackend(pinned);
    swapGradMode(grad);
  }
}

/** Records the call in the graph: a node whose edges lead to the inputs' places, and the outputs rewired to it. */
function recordNode(spec: AnySpec, ctx: FunctionContext, args: unknown[], outputs: Tensor[]): Node {
  const inputs: (TensorMeta | null)[] = args.map((a) =>
    a instanceof Tensor ? { shape: a.shape, dtype: a.dtype, backendName: a.backend.name, backend: a.backend } : null,
  );
  const edges: (Edge | null)[] = args.map((a, i) => {
    if (!ctx.needsInputGrad[i]) return null;
    const t = a as Tensor;
    return t.gradFn ? { node: t.gradFn, outputIndex: t.outputIndex, leaf: null } : { node: null, outputIndex: 0, leaf: t };
  });
  const node = new Node(
    spec.name,
    ctx,
    edges,
    inputs,
    outputs.map((t) => ({ shape: t.shape, dtype: t.dtype, backendName: t.backend.name, backend: t.backend })),
    spec.backward as Node['backwardFn'],
    spec.onceDifferentiable ?? false,
  );
  outputs.forEach((t, i) => {
    if (ctx.nonDifferentiable?.has(t)) return;
    node.retain();
    // A dirty input leaves its old place in the graph (the node's edge now holds that place).
    const old = t.gradFn;
    t.gradFn = node;
    t.outputIndex = i;
    old?.release();
  });
  // Saved outputs point back at this node without holding it (no reference cycle).
  for (const s of ctx.savedEntries) {
    const i = s ? outputs.indexOf(s.original) : -1;
    if (s && i >= 0) {
      s.outputOf = node;
      s.outputIndex = i;
    }
  }
  return node;
}

/** Computes and attaches the outputs' tangents at each level; while a level's rule runs, it and the levels above it are hidden. */
function propagateTangents(spec: AnySpec, ctx: FunctionContext, args: unknown[], outputs: Tensor[], levels: number[]): void {
  ctx.inJvp = true;
  try {
    for (const level of levels) {
      const tangents = withTangentsBelow(level, () => outputTangents(spec, ctx, args, outputs, level));
      tangents.forEach((t, i) => {
        if (t !== null) attachTangent(outputs[i] as Tensor, level, t);
      });
    }
  } finally {
    ctx.inJvp = false;
  }
}

/** One level's output tangents by the Function's jvp rule, checked and owned by no one else (null: zero). */
function outputTangents(spec: AnySpec, ctx: FunctionContext, args: unknown[], outputs: Tensor[], level: number): (Tensor | null)[] {
  const name = spec.name;
  const firstNewId = peekNextTensorId();
  const tangents = args.map((a) => {
    if (!(a instanceof Tensor)) return null;
    return tangentAt(a, level) ?? (ctx.materializeGrads && isFloat(a.dtype) ? zerosLike(a) : null);
  });
  const returned = (spec.jvp as NonNullable<AnySpec['jvp']>)(ctx, ...tangents);
  const list: unknown[] = Array.isArray(returned) ? returned : [returned];
  if (list.length !== outputs.length) {
    throw new Error(`${name}: jvp returned ${list.length} tangents, but forward has ${outputs.length} tensor outputs`);
  }
  const used = new Set<Tensor>();
  return list.map((t, i) => {
    const out = outputs[i] as Tensor;
    if (t === null || t === undefined || ctx.nonDifferentiable?.has(out)) return null;
    if (!(t instanceof Tensor)) throw new TypeError(`${name}: jvp returned ${describe(t)} for output ${i}; expected a Tensor or null`);
    t.assertAlive(`${name} jvp`);
    let tangent = t;
    if (!shapesEqual(t.shape, out.shape)) {
      const b = tryBroadcastShapes(t.shape, out.shape);
      if (b === null || !shapesEqual(b, out.shape)) {
        throw new Error(`${name}: jvp returned a tangent of shape ${fmt(t.shape)} for output ${i} of shape ${fmt(out.shape)}`);
      }
      tangent = broadcastTo(t, out.shape);
    }
    if (tangent.dtype !== out.dtype)
      throw new Error(`${name}: jvp returned a ${tangent.dtype} tangent for output ${i}, which is ${out.dtype}`);
    // A tensor the rule did not make (an input's tangent passed through), or one it returned twice, is aliased: each tangent has one owner.
    if (tangent.id < firstNewId || used.has(tangent)) tangent = aliasOf(tangent, true);
    used.add(tangent);
    return tangent;
  });
}

/** PyTorch's rules for markDirty: inputs only, each returned, and no leaf that requires grad while recording. */
function checkDirty(name: string, dirty: Set<Tensor>, args: unknown[], outputs: Tensor[], recording: boolean): void {
  for (const t of dirty) {
    const index = args.indexOf(t);
    if (index < 0)
      throw new Error(`${name}: markDirty was given tensor #${t.id} (shape ${fmt(t.shape)}), which is not an input of the Function`);
    if (!outputs.includes(t)) {
      throw new Error(
        `${name}: input ${index} was marked dirty but forward did not return it; a Function that modifies an input in place must return it`,
      );
    }
    if (recording && t.isLeaf && t.requiresGrad) {
      throw new Error(
        `${name}: input ${index} is a leaf that requires grad and was modified in place (markDirty) while gradients are recorded; pass a clone, or run it under noGrad`,
      );
    }
  }
}

/** The tensor outputs of forward's result: itself, or the tensors of an array (other values pass through). */
function asOutputs(name: string, result: unknown): Tensor[] {
  if (result instanceof Tensor) return [result];
  if (Array.isArray(result)) {
    const tensors = result.filter((r): r is Tensor => r instanceof Tensor);
    if (tensors.length > 0) return tensors;
  }
  throw new TypeError(`${name}: forward must return a Tensor or an array holding at least one Tensor, got ${describe(result)}`);
}

/** forward's result with its tensors replaced by the recorded outputs, in order. */
function shaped(result: unknown, outputs: Tensor[]): Outputs {
  if (!Array.isArray(result)) return outputs[0] as Tensor;
  let next = 0;
  return result.map((r) => (r instanceof Tensor ? outputs[next++] : r));
}
