/**
 * Activation and ActivationGrad for every kind registered in core, generated from the kinds'
 * expressions (activations/wgsl-emitter.ts). Pipelines are cached per kind object, so re-registering
 * a kind in core compiles its new expression. Parameters are f32 uniforms.
 *
 * With `mask` (a derivative kind that reads a mask), the forward kernel also packs that kind's
 * predicate of x, 32 bits per int32 word (bit i % 32 of word i / 32, as the cpu backend): each
 * workgroup ORs its bits into workgroup memory, then writes its words once.
 */
import {
  type ActivationAttrs,
  type ActivationGradAttrs,
  activationGradKind,
  activationKinds,
  type DerivativeKind,
  evalExpr,
  type ForwardKind,
  fmt,
  type KernelFn,
  sizeOf,
  type TensorInfo,
} from '@surrograd/core';
import { emitWgsl, paramUniform } from '../activations/wgsl-emitter.js';
import type { WebGpuBackend } from '../backend.js';
import { gridFor } from '../wgsl/program.js';
import { UniformLayout } from '../wgsl/uniforms.js';
import { donatedOperand, elementwise } from './elementwise.js';

type Params = Readonly<Record<string, number>>;

/** Words of a bit mask of n elements. */
export const maskWords = (n: number) => Math.ceil(n / 32);

// A kind replaced in core is a new object: a new id, so a new pipeline key.
const kindIds = new WeakMap<object, number>();
let nextKindId = 1;
function kindId(kind: object): number {
  let id = kindIds.get(kind);
  if (id === undefined) kindIds.set(kind, (id = nextKindId++));
  return id;
}

function paramScalars(kernel: string, kindName: string, names: readonly string[], params: Params) {
  return names.map((name) => {
    const value = params?.[name];
    if (typeof value !== 'number') {
      throw new TypeError(`${kernel} '${kindName}': params.${name} must be a number, got ${JSON.stringify(value)}`);
    }
    return [paramUniform(name), 'f32', value] as const;
  });
}

function forwardKernel(backend: WebGpuBackend, kind: ForwardKind, x: TensorInfo, params: Params, donated: number | undefined): TensorInfo {
  const { parts, helpers } = emitWgsl([[kind.expr, 't']]);
  const [fwd] = parts as [{ prelude: string; result: string }];
  return elementwise(backend, {
    key: `Activation:${kind.name}#${kindId(kind)}`,
    operands: [{ data: backend.dataOf(x, 'Activation'), shape: x.shape, type: 'f32' }],
    outShape: x.shape,
    outDType: x.dtype,
    outType: 'f32',
    prelude: `  let x = no_flush(v0);\n${fwd.prelude}`,
    expr: fwd.result,
    helpers,
    scalars: paramScalars('Activation', kind.name, kind.params, params),
    donated,
  });
}

function forwardWithMask(backend: WebGpuBackend, kind: ForwardKind, der: DerivativeKind, x: TensorInfo, params: Params): TensorInfo[] {
  const n = sizeOf(x.shape);
  const words = maskWords(n);
  const y = backend.makeOutput(x.shape, x.dtype, 'Activation');
  const mask = backend.makeOutput([words], 'int32', 'Activation');
  if (n === 0) return [y.info, mask.info];
  const { parts, helpers } = emitWgsl([
    [kind.expr, 't'],
    [der.predicate as NonNullable<DerivativeKind['predicate']>, 'q'],
  ]);
  const [fwd, pred] = parts as [{ prelude: string; result: string }, { prelude: string; result: string }];
  const names = [...new Set([...kind.params, ...der.params])];
  const scalars = paramScalars('Activation', kind.name, names, params);
  const wg = backend.limits.workgroupSize;
  backend.run(
    {
      key: `ActivationMask:${kind.name}#${kindId(kind)}:${der.name}#${kindId(der)}|wg${wg}`,
      storage: [
        { name: 'xs', type: 'f32', access: 'read' },
        { name: 'ys', type: 'f32', access: 'write' },
        { name: 'mask', type: 'u32', access: 'write' },
      ],
      uniforms: new UniformLayout([['size', 'u32'], ['words', 'u32'], ...scalars.map(([name]) => [name, 'f32'] as const)]),
      workgroupSize: [wg, 1, 1],
      helpers: `${helpers}\nvar<workgroup> bits: array<atomic<u32>, ${wg / 32}>;`,
      body: `  if (index < u.size) {
    let x = no_flush(xs[index]);
${fwd.prelude}
    ys[index] = ${fwd.result};
${pred.prelude}
    if (f_ne(${pred.result}, 0.0)) { atomicOr(&bits[lidx >> 5u], 1u << (lidx & 31u)); }
  }
  workgroupBarrier();
  if (lidx < WG_SIZE / 32u) {
    let w = ((index - lidx) >> 5u) + lidx;
    if (w < u.words) { mask[w] = atomicLoad(&bits[lidx]); }
  }`,
    },
    [backend.dataOf(x, 'Activation'), y.data, mask.data],
    Object.fromEntries([['size', n], ['words', words], ...scalars.map(([name, , value]) => [name, value])]),
    gridFor(Math.ceil(n / wg), backend.limits.maxWorkgroupsPerDimension),
  );
  return [y.info, mask.info];
}

/** [x] → y (dtype of x); with `mask`, [y, int32 bit mask of the derivative kind's predicate]. */
export const activation: KernelFn<WebGpuBackend, ActivationAttrs & { mask?: string }> = (args) => {
  const { inputs, attrs, backend } = args;
  const [x] = inputs as [TensorInfo];
  const { forward: kind, mask: der } = activationKinds(attrs);
  if (x.dtype !== 'float32') throw new TypeError(`Activation '${kind.name}': x must be float32 on webgpu, got ${x.dtype}`);
  if (der === null) return forwardKernel(backend, kind, x, attrs.params, donatedOperand(args, x.shape, x.dtype));
  return forwardWithMask(backend, kind, der, x, attrs.params);
};

function maskGradKernel(backend: WebGpuBackend, kind: DerivativeKind, dy: TensorInfo, saved: TensorInfo, params: Params): TensorInfo {
  const n = sizeOf(dy.shape);
  if (saved.dtype !== 'int32' || sizeOf(saved.shape) !== maskWords(n)) {
    throw new RangeError(
      `ActivationGrad '${kind.name}': expected an int32 mask of ${maskWords(n)} words for dy ${fmt(dy.shape)}, got ${saved.dtype} ${fmt(saved.shape)}`,
    );
  }
  paramScalars('ActivationGrad', kind.name, kind.params, params);
  // g reads only the bit: a two-entry table, evaluated here (in float64, as the cpu backend does).
  const g0 = evalExpr(kind.expr, { ...params, m: 0 });
  const g1 = evalExpr(kind.expr, { ...params, m: 1 });
  const dx = backend.makeOutput(dy.shape, dy.dtype, 'ActivationGrad');
  if (n === 0) return dx.info;
  const wg = backend.limits.workgroupSize;
  backend.run(
    {
      key: `ActivationGradMask|wg${wg}`,
      storage: [
        { name: 'dy', type: 'f32', access: 'read' },
        { name: 'mask', type: 'u32', access: 'read' },
        { name: 'dx', type: 'f32', access: 'write' },
      ],
      uniforms: new UniformLayout([
        ['size', 'u32'],
        ['g0', 'f32'],
        ['g1', 'f32'],
      ]),
      workgroupSize: [wg, 1, 1],
      body: `  if (index >= u.size) { return; }
  let bit = (mask[index >> 5u] >> (index & 31u)) & 1u;
  dx[index] = dy[index] * select(u.g0, u.g1, bit != 0u);`,
    },
    [backend.dataOf(dy, 'ActivationGrad'), backend.dataOf(saved, 'ActivationGrad'), dx.data],
    { size: n, g0, g1 },
    gridFor(Math.ceil(n / wg), backend.limits.maxWorkgroupsPerDimension),
  );
  return dx.info;
}

/** [dy, saved] → dy · g(saved), one pass; saved is x, y or the bit mask, per the derivative kind. */
export const activationGrad: KernelFn<WebGpuBackend, ActivationGradAttrs> = ({ inputs, attrs, backend }) => {
  const [dy, saved] = inputs as [TensorInfo, TensorInfo];
  const kind = activationGradKind(attrs);
  if (kind.from === 'mask') return maskGradKernel(backend, kind, dy, saved, attrs.params);
  if (kind.from === 'none') {
    throw new Error(`ActivationGrad '${kind.name}': a derivative that reads nothing needs no kernel (core multiplies dy by the constant)`);
  }
  if (sizeOf(saved.shape) !== sizeOf(dy.shape)) {
    throw new RangeError(
      `ActivationGrad '${kind.name}': dy ${fmt(dy.shape)} and the saved ${kind.from} ${fmt(saved.shape)} must have the same size`,
    );
  }
  const { parts, helpers } = emitWgsl([[kind.expr, 't']]);
  const [g] = parts as [{ prelude: string; result: string }];
  return elementwise(backend, {
    key: `ActivationGrad:${kind.name}#${kindId(kind)}`,
    operands: [
      { data: backend.dataOf(dy, 'ActivationGrad'), shape: dy.shape, type: 'f32' },
      { data: backend.dataOf(saved, 'ActivationGrad'), shape: dy.shape, type: 'f32' },
    ],
    outShape: dy.shape,
    outDType: dy.dtype,
    outType: 'f32',
    prelude: `  let ${kind.from} = no_flush(v1);\n${g.prelude}`,
    expr: `v0 * ${g.result}`,
    helpers,
    scalars: paramScalars('ActivationGrad', kind.name, kind.params, attrs.params),
  });
};
