/**
 * The tape's backward pass: walks the recorded nodes from the outputs in topological order, calls
 * each Function's backward, checks and sums what it returns, and accumulates into leaves.
 */

import { describe } from '../describe.js';
import { isFloat } from '../dtype.js';
import * as ops from '../ops/index.js';
import { onBackend } from '../registry.js';
import { beginScope, endScope } from '../scope.js';
import { fmt, shapesEqual, tryBroadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { aliasOf } from './alias.js';
import { isGradEnabled, withGradMode } from './grad-mode.js';
import { runGradHooks } from './hooks.js';
import type { Node, TensorMeta } from './node.js';
import { onceDifferentiableGuard } from './once-differentiable.js';
import { sumGradientTo } from './sum-gradient.js';

/** Options of `tensor.backward()`, as PyTorch's `retain_graph` and `create_graph`. */
export interface BackwardOptions {
  /** Keep saved tensors so that backward can run through this graph again. */
  retainGraph?: boolean;
  /** Record the backward pass itself, for gradients of gradients. Implies retainGraph. */
  createGraph?: boolean;
}

/** Options of {@link gradients}, as the keyword arguments of `torch.autograd.grad`. */
export interface GradientsOptions extends BackwardOptions {
  /** Cotangents for non-scalar outputs. */
  gradOutputs?: (Tensor | null)[];
  /** Return null for an input the outputs don't depend on, instead of throwing. */
  allowUnused?: boolean;
}

/** `tensor.backward()`: accumulates into the `.grad` of every leaf that requires it. */
export function backward(roots: Tensor[], rootGrads: (Tensor | null)[], options: BackwardOptions = {}): void {
  const createGraph = options.createGraph ?? false;
  const leafGrads = run(roots, rootGrads, options.retainGraph ?? createGraph, createGraph, null);
  withGradMode(createGraph, () => {
    for (const [leaf, g] of leafGrads) {
      if (leaf.isDisposed) {
        g.dispose();
        continue;
      }
      const old = leaf.grad;
      if (old === null) leaf.grad = g;
      else if (!createGraph && old.gradFn === null) {
        // In place, as PyTorch: references to the old `.grad` see the sum.
        const sum = ops.add(old, g);
        old.assign(sum);
        sum.dispose();
        g.dispose();
      } else {
        const sum = ops.add(old, g);
        g.dispose();
        leaf.grad = sum;
      }
    }
  });
  for (const leaf of leafGrads.keys()) {
    if (!leaf.isDisposed && leaf.postAccumulateHooks) for (const hook of leaf.postAccumulateHooks.list()) hook(leaf);
  }
}

/**
 * The gradients of `outputs` with respect to `inputs` (PyTorch's torch.autograd.grad), returned
 * rather than accumulated. Inputs may be leaves or intermediate tensors.
 */
export function gradients(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], options: GradientsOptions = {}): (Tensor | null)[] {
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  ins.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`gradients: input ${i} is ${describe(t)}, expected a Tensor`);
    t.assertAlive('gradients');
    if (!t.requiresGrad) throw new Error(`gradients: input ${i} (shape ${fmt(t.shape)}) does not require grad`);
  });
  const grads = options.gradOutputs ?? outs.map(() => null);
  if (grads.length !== outs.length) {
    throw new Error(`gradients: got ${grads.length} gradOutputs for ${outs.length} outputs`);
  }
  const createGraph = options.createGraph ?? false;
  const captured = run(outs, grads, options.retainGraph ?? createGraph, createGraph, ins);
  return ins.map((t, i) => {
    const g = captured.get(t) ?? null;
    if (g === null && !options.allowUnused) {
      for (const c of captured.values()) c.dispose();
      throw new Error(
        `gradients: input ${i} (shape ${fmt(t.shape)}) was not used to compute the outputs; pass allowUnused: true to get null`,
      );
    }
    return g;
  });
}

type GradSlots = (Tensor | undefined)[];

// Dense (`fill` writes every slot; holes would be skipped by map and some). Array.from with a
// mapper did the same at ~0.27 µs a call against ~0.03 (Node 20): 5–10 µs of an MLP step.
const emptySlots = (node: Node): GradSlots => new Array<Tensor | undefined>(node.outputs.length).fill(undefined);

/**
 * Runs the graph backward. With `targets` null, returns every leaf's gradient; otherwise the
 * gradients reaching exactly the target tensors (leaves or intermediate).
 */
/** Callbacks of the backward pass running now (innermost), run when it ends however it ends. */
let passEnd: (() => void)[] | null = null;

/**
 * Runs `fn` when the backward pass now running ends, as PyTorch's `queue_callback`: for state a
 * node leaves for a later node that the pass may never reach (it can stop at a target first).
 * Outside a pass, does nothing.
 */
export function atBackwardPassEnd(fn: () => void): void {
  passEnd?.push(fn);
}

function run(
  roots: Tensor[],
  rootGrads: (Tensor | null)[],
  retainGraph: boolean,
  createGraph: boolean,
  targets: Tensor[] | null,
): Map<Tensor, Tensor> {
  const outerPassEnd = passEnd;
  passEnd = [];
  try {
    return runPass(roots, rootGrads, retainGraph, createGraph, targets);
  } finally {
    const callbacks = passEnd;
    passEnd = outerPassEnd;
    for (const fn of callbacks) fn();
  }
}

function runPass(
  roots: Tensor[],
  rootGrads: (Tensor | null)[],
  retainGraph: boolean,
  createGraph: boolean,
  targets: Tensor[] | null,
): Map<Tensor, Tensor> {
  const scope = beginScope();
  const results = new Map<Tensor, Tensor>();
  const buffers = new Map<Node, GradSlots>();
  const retained: Node[] = [];
  try {
    const rec = createGraph;
    // Gradients flowing into a target intermediate tensor are captured at its (node, output) slot.
    const targetSlots = new Map<Node, Map<number, Tensor>>();
    const targetLeaves = new Set<Tensor>();
    for (const t of targets ?? []) {
      if (t.gradFn) {
        let m = targetSlots.get(t.gradFn);
        if (!m) targetSlots.set(t.gradFn, (m = new Map()));
        m.set(t.outputIndex, t);
      } else targetLeaves.add(t);
    }

    const addLeaf = (leaf: Tensor, g: Tensor) => {
      if (targets && !targetLeaves.has(leaf)) {
        g.dispose();
        return;
      }
      const old = results.get(leaf);
      results.set(leaf, old ? accumulate(old, g, rec) : g);
    };
    const addSlot = (node: Node, index: number, g: Tensor) => {
      let slots = buffers.get(node);
      if (!slots) buffers.set(node, (slots = emptySlots(node)));
      const old = slots[index];
      slots[index] = old ? accumulate(old, g, rec) : g;
    };

    roots.forEach((root, i) => {
      if (!(root instanceof Tensor)) throw new TypeError(`backward: output ${i} is ${describe(root)}, expected a Tensor`);
      root.assertAlive('backward');
      if (!root.requiresGrad) {
        throw new Error(`backward: output ${i} (shape ${fmt(root.shape)}) does not require grad and has no gradFn`);
      }
      const seed = seedGrad(root, rootGrads[i] ?? null, i, createGraph);
      if (root.gradFn) addSlot(root.gradFn, root.outputIndex, seed);
      else addLeaf(root, seed);
    });

    // Count, for each reachable node, how many reachable edges lead into it.
    const pending = new Map<Node, number>();
    const stack: Node[] = [];
    for (const r of roots) {
      if (r.gradFn && !pending.has(r.gradFn)) {
        pending.set(r.gradFn, 0);
        stack.push(r.gradFn);
      }
    }
    const order: Node[] = [];
    while (stack.length) {
      const n = stack.pop() as Node;
      order.push(n);
      for (const e of n.edges) {
        if (!e?.node) continue;
        const c = pending.get(e.node);
        if (c === undefined) {
          pending.set(e.node, 1);
          stack.push(e.node);
        } else pending.set(e.node, c + 1);
      }
    }
    for (const n of order) {
      n.retain();
      retained.push(n);
    }
    // With targets, skip nodes from which no target can be reached.
    const useful = targets ? usefulNodes(order, targetSlots, targetLeaves) : null;

    const ready = roots.map((r) => r.gradFn).filter((n, i, a): n is Node => n !== null && pending.get(n) === 0 && a.indexOf(n) === i);
    while (ready.length) {
      ready.sort((a, b) => a.seq - b.seq);
      const node = ready.pop() as Node;
      const slots = buffers.get(node) ?? emptySlots(node);
      buffers.delete(node);
      for (const [index, hooks] of node.hooks ?? []) {
        const g = slots[index];
        if (!g || hooks.size === 0) continue;
        const hooked = withGradMode(rec, () => runGradHooks(hooks, g, `output ${index} of ${node.name}`));
        if (hooked !== g) {
          g.dispose();
          slots[index] = hooked;
        }
      }

      // Like leaves' .grad, retained gradients are filled by backward(), not by gradients().
      for (const [index, t] of targets ? [] : node.retainedOutputs) {
        const g = slots[index];
        if (g && !t.isDisposed) t.grad = withGradMode(rec, () => (t.grad ? ops.add(t.grad, g) : share(g)));
      }
      const captures = targetSlots.get(node);
      if (captures) {
        for (const [index, t] of captures) {
          const g = slots[index];
          if (g)
            results.set(
              t,
              withGradMode(rec, () => share(g)),
            );
        }
      }

      const hasGrad = slots.some((g) => g !== undefined);
      if (hasGrad && (useful === null || useful.has(node))) {
        const grads = onBackend((node.outputs[0] as TensorMeta).backend, () => callBackward(node, slots, rec));
        for (let i = 0; i < node.edges.length; i++) {
          const e = node.edges[i];
          const g = grads[i];
          if (!g) continue;
          if (e?.node) addSlot(e.node, e.outputIndex, g);
          else if (e?.leaf) addLeaf(e.leaf, g);
          else g.dispose();
        }
      }
      for (const g of slots) g?.dispose();
      if (!retainGraph) node.ctx.freeSaved();

      for (const e of node.edges) {
        if (!e?.node) continue;
        const c = (pending.get(e.node) as number) - 1;
        pending.set(e.node, c);
        if (c === 0) ready.push(e.node);
      }
    }
    // A leaf's hooks see its whole gradient of this pass, before it is accumulated or returned.
    for (const [leaf, g] of results) {
      if (leaf.gradFn !== null || !leaf.leafHooks || leaf.leafHooks.size === 0) continue;
      const hooked = withGradMode(rec, () => runGradHooks(leaf.leafHooks as NonNullable<Tensor['leafHooks']>, g, `tensor #${leaf.id}`));
      if (hooked !== g) {
        g.dispose();
        results.set(leaf, hooked);
      }
    }
  } catch (err) {
    for (const g of results.values()) g.dispose();
    results.clear();
    throw err;
  } finally {
    for (const slots of buffers.values()) for (const g of slots) g?.dispose();
    endScope(scope, results.values());
    for (const n of retained) n.release();
  }
  return results;
}

function usefulNodes(order: Node[], targetSlots: Map<Node, unknown>, targetLeaves: Set<Tensor>): Set<Node> {
  const useful = new Set<Node>();
  // `order` lists every node before the nodes it leads to are finished only partially; iterate to a fixed point.
  let changed = true;
  while (changed) {
    changed = false;
    for (const n of order) {
      if (useful.has(n)) continue;
      const leads = n.edges.some(
        (e) => e && ((e.leaf && targetLeaves.has(e.leaf)) || (e.node && (useful.has(e.node) || targetSlots.has(e.node)))),
      );
      if (leads) {
        useful.add(n);
        changed = true;
      }
    }
  }
  return useful;
}

function seedGrad(root: Tensor, grad: Tensor | null, i: number, createGraph: boolean): Tensor {
  if (grad === null) {
    if (root.size !== 1) {
      throw new Error(
        `backward: a gradient can be created implicitly only for a one-element output; output ${i} has shape ${fmt(root.shape)}. Pass a gradient of that shape.`,
      );
    }
    return ops.onesLike(root);
  }
  if (!(grad instanceof Tensor)) throw new TypeError(`backward: gradient ${i} is ${describe(grad)}, expected a Tensor`);
  grad.assertAlive('backward');
  if (!shapesEqual(grad.shape, root.shape)) {
    throw new Error(`backward: gradient ${i} has shape ${fmt(grad.shape)} but the output has shape ${fmt(root.shape)}`);
  }
  if (grad.backend !== root.backend) {
    throw new Error(`backward: gradient ${i} is on backend '${grad.backend.name}', the output on '${root.backend.name}'`);
  }
  return grad.dtype === root.dtype
    ? withGradMode(createGraph, () => share(grad))
    : withGradMode(createGraph, () => ops.cast(grad, root.dtype));
}

/**
 * A new tensor object for the same values and the same place in the graph. A leaf that requires
 * grad is cloned through the graph when recording, so gradients still reach it (aliasing a leaf
 * would make a new, unconnected leaf).
 */
function share(t: Tensor): Tensor {
  return t.gradFn === null && t.requiresGrad && isGradEnabled() ? ops.clone(t) : aliasOf(t, true);
}

function accumulate(a: Tensor, b: Tensor, record: boolean): Tensor {
  const sum = withGradMode(record, () => ops.add(a, b));
  a.dispose();
  b.dispose();
  return sum;
}

/** Calls one node's backward in its own scope, then validates and sum-to-sizes what it returned. */
function callBackward(node: Node, slots: GradSlots, record: boolean): (Tensor | null)[] {
  const scope = beginScope();
  const kept: Tensor[] = [];
  try {
    const gradOutputs = slots.map((g, i) => {
      if (g) return g;
      if (!node.ctx.materializeGrads) return null;
      const meta = node.outputs[i] as (typeof node.outputs)[number];
      return ops.zeros(meta.shape, { dtype: meta.dtype });
    });
    node.ctx.checkAttributes();
    const returned = withGradMode(record, () => node.backwardFn(node.ctx, ...gradOutputs));
    const grads = withGradMode(record, () => checkGradients(node, returned));
    for (const g of grads) if (g) kept.push(g);
    endScope(scope, kept);
    return record && node.onceDifferentiable ? grads.map((g) => (g ? onceDifferentiableGuard(node.name, g) : g)) : grads;
  } catch (err) {
    endScope(scope);
    throw err;
  }
}

function checkGradients(node: Node, returned: unknown): (Tensor | null)[] {
  const name = node.name;
  const n = node.inputs.length;
  let list: unknown[];
  if (Array.isArray(returned)) list = returned;
  else if (n === 1) list = [returned];
  else {
    throw new Error(
      `${name}: backward returned ${describe(returned)} but forward took ${n} arguments; return an array of ${n} gradients (null for non-tensor arguments)`,
    );
  }
  if (list.length < n || list.slice(n).some((g) => g !== null && g !== undefined)) {
    throw new Error(
      `${name}: backward returned ${list.length} gradients, expected ${n} (one per forward argument, null where there is none)`,
    );
  }
  const out: (Tensor | null)[] = [];
  for (let i = 0; i < n; i++) {
    const g = list[i];
    const meta = node.inputs[i];
    if (g === null || g === undefined) {
      out.push(null);
      continue;
    }
    if (!(g instanceof Tensor)) {
      throw new TypeError(`${name}: backward returned ${describe(g)} as the gradient of argument ${i}; expected a Tensor or null`);
    }
    g.assertAlive(`${name} backward`);
    if (!meta) {
      throw new Error(`${name}: backward returned a gradient for argument ${i}, which is not a tensor; return null for it`);
    }
    if (!node.ctx.needsInputGrad[i]) {
      out.push(null);
      continue;
    }
    if (!isFloat(g.dtype)) {
      throw new TypeError(
        `${name}: the gradient of argument ${i} has dtype ${g.dtype}; gradients must be floating point (input is ${meta.dtype})`,
      );
    }
    if (g.backend.name !== meta.backendName) {
      throw new Error(`${name}: the gradient of argument ${i} is on backend '${g.backend.name}', the input on '${meta.backendName}'`);
    }
    let fixed = g;
    if (!shapesEqual(g.shape, meta.shape)) {
      const b = tryBroadcastShapes(meta.shape, g.shape);
      if (b === null || !shapesEqual(b, g.shape)) {
        throw new Error(
          `${name}: the gradient of argument ${i} has shape ${fmt(g.shape)}, which is not the input's shape ${fmt(meta.shape)} ` +
            'nor a shape the input broadcasts to',
        );
      }
      fixed = sumGradientTo(fixed, meta.shape);
    }
    if (fixed.dtype !== meta.dtype) fixed = ops.cast(fixed, meta.dtype);
    // A returned tensor may be a gradOutput or returned twice: hand each edge its own tensor.
    out.push(fixed === g ? share(g) : fixed);
  }
  return out;
}
