import type { ActivationAttrs, ActivationGradAttrs, KernelFn, TensorInfo } from '@surrograd/core';
import { activationGradKind, activationKinds, evalExpr, fmt, forwardLoop, gradLoop, maskLoop, sizeOf } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';
import {
  compiledDerivative,
  compiledForward,
  DERIVATIVE_PARAMS_OFFSET,
  F64_PARAMS_OFFSET,
  FORWARD_PARAMS_OFFSET,
  MAX_PARAMS,
} from './activation-kinds.js';
import { elementParts } from './parts.js';

/** Words of a bit mask for n elements: one bit each, 32 per int32. */
export function maskWords(n: number): number {
  return Math.ceil(n / 32);
}

/** Writes `names`' values, in order, as f32 at `offset` bytes into the scratch block and as f64 after them. */
export function writeParams(
  backend: WasmBackend,
  kernel: string,
  kind: string,
  names: readonly string[],
  params: unknown,
  offset: number,
): void {
  if (names.length > MAX_PARAMS)
    throw new RangeError(`${kernel} '${kind}': ${names.length} parameters; the wasm kernels take at most ${MAX_PARAMS}`);
  const f32 = backend.f32;
  const f64 = new Float64Array(f32.buffer);
  const at32 = (backend.scratchPtr + offset) >>> 2;
  const at64 = (backend.scratchPtr + offset + F64_PARAMS_OFFSET) >>> 3;
  names.forEach((name, i) => {
    const v = (params as Record<string, unknown> | undefined)?.[name];
    if (typeof v !== 'number' || Number.isNaN(v)) {
      throw new TypeError(`${kernel} '${kind}': params.${name} must be a number, got ${JSON.stringify(v)}`);
    }
    f32[at32 + i] = v;
    f64[at64 + i] = v;
  });
}

/** [x] → y = f(x); with `mask`, [y, the bit mask of that derivative kind's predicate], in one pass. */
export const activation: KernelFn<WasmBackend, ActivationAttrs> = (args) => {
  const { inputs, attrs, backend } = args;
  const [x] = inputs as [TensorInfo];
  if (x.dtype !== 'float32') throw new TypeError(`Activation '${attrs.kind}': x must be float32, got ${x.dtype}`);
  const { forward: fwd, mask: der } = activationKinds(attrs);
  const n = sizeOf(x.shape);
  writeParams(backend, 'Activation', fwd.name, fwd.params, attrs.params, FORWARD_PARAMS_OFFSET);
  if (der) writeParams(backend, 'Activation', der.name, der.params, attrs.params, DERIVATIVE_PARAMS_OFFSET);
  // With a mask the blocked pass reads x again after writing y: only the plain forward runs in place.
  const y = der ? backend.output(x.shape, 'float32', 'Activation') : backend.outputOrDonated(args, x.shape, 'float32', 'Activation');
  const mask = der ? backend.output([maskWords(n)], 'int32', 'Activation') : null;
  if (n === 0) return mask ? [y, mask] : y;
  const px = backend.ptr(x, 'Activation');
  const fid = compiledForward(fwd);
  const mid = der ? compiledDerivative(der) : null;
  const k = backend.kernels;
  if (fid !== null && (der === null || mid !== null)) {
    const [py, pm] = [y.dataId.ptr, mask ? mask.dataId.ptr : 0];
    backend.parallel(
      'activation',
      elementParts(n, backend).map(([i, len]) => [fid, mid ?? -1, px + i * 4, py + i * 4, len, pm ? pm + (i >> 5) * 4 : 0]),
    );
  } else {
    const xv = backend.f32Of(backend.dataIdOf(x, 'Activation'));
    if (fid !== null) k.activation(fid, -1, px, y.dataId.ptr, n, 0);
    else forwardLoop(fwd)(xv, backend.f32Of(y.dataId), 0, n, attrs.params);
    if (der && mask) {
      if (mid !== null) k.maskKind(mid, px, mask.dataId.ptr, n, backend.scratchPtr + DERIVATIVE_PARAMS_OFFSET);
      else maskLoop(der)(xv, backend.i32Of(mask.dataId), 0, n, attrs.params);
    }
  }
  return mask ? [y, mask] : y;
};

/** [dy, saved] → dy · g(saved) in one pass; saved is x, y or the int32 bit mask, per the derivative kind. */
export const activationGrad: KernelFn<WasmBackend, ActivationGradAttrs> = ({ inputs, attrs, backend }) => {
  const [dy, saved] = inputs as [TensorInfo, TensorInfo];
  const der = activationGradKind(attrs);
  const n = sizeOf(dy.shape);
  if (der.from === 'none') {
    throw new Error(`ActivationGrad '${der.name}': a derivative that reads nothing needs no kernel (core multiplies dy by the constant)`);
  }
  if (der.from === 'mask') {
    if (saved.dtype !== 'int32' || sizeOf(saved.shape) !== maskWords(n)) {
      throw new RangeError(
        `ActivationGrad '${der.name}': expected an int32 mask of ${maskWords(n)} words for dy ${fmt(dy.shape)}, got ${saved.dtype} ${fmt(saved.shape)}`,
      );
    }
  } else if (sizeOf(saved.shape) !== n) {
    throw new RangeError(
      `ActivationGrad '${der.name}': dy ${fmt(dy.shape)} and the saved ${der.from} ${fmt(saved.shape)} must have the same size`,
    );
  }
  writeParams(backend, 'ActivationGrad', der.name, der.params, attrs.params, DERIVATIVE_PARAMS_OFFSET);
  const dx = backend.output(dy.shape, 'float32', 'ActivationGrad');
  if (n === 0) return dx;
  const id = compiledDerivative(der);
  const [pdy, ps] = [backend.ptr(dy, 'ActivationGrad'), backend.ptr(saved, 'ActivationGrad')];
  if (der.from === 'mask') {
    // g has two values, one per bit: evaluated here in float64, as the reference does.
    const g0 = evalExpr(der.expr, { ...attrs.params, m: 0 });
    const g1 = evalExpr(der.expr, { ...attrs.params, m: 1 });
    const pdx = dx.dataId.ptr;
    backend.parallel(
      'activationGradMask',
      elementParts(n, backend).map(([i, len]) => [pdy + i * 4, ps + (i >> 5) * 4, pdx + i * 4, len, g0, g1]),
    );
  } else if (id !== null) {
    const pdx = dx.dataId.ptr;
    backend.parallel(
      'activationGrad',
      elementParts(n, backend).map(([i, len]) => [id, pdy + i * 4, ps + i * 4, pdx + i * 4, len]),
    );
  } else {
    const dyv = backend.f32Of(backend.dataIdOf(dy, 'ActivationGrad'));
    const sv = backend.f32Of(backend.dataIdOf(saved, 'ActivationGrad'));
    gradLoop(der)(dyv, sv, backend.f32Of(dx.dataId), 0, n, attrs.params);
  }
  return dx;
};
