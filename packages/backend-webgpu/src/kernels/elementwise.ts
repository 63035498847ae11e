/**
 * The elementwise family (Unary, Binary, Compare, Logical, Where, Cast, Fill, activations): one
 * invocation per output element, each operand read through its broadcast strides.
 */
import type { DType, Shape, TensorInfo } from '@surrograd/core';
import { sizeOf } from '@surrograd/core';
import type { GpuData, WebGpuBackend } from '../backend.js';
import { gridFor, type StorageBinding, type WordType } from '../wgsl/program.js';
import { type ScalarType, UniformLayout, type UniformValues } from '../wgsl/uniforms.js';
import { offsetsWgsl, planUniforms } from './index-math.js';
import { planBroadcast } from './plan.js';

export interface Operand {
  data: GpuData;
  shape: Shape;
  type: WordType;
}

export interface ElementwiseSpec {
  /** Names the computation (op, dtypes): with the rank, the pipeline key. */
  key: string;
  operands: readonly Operand[];
  outShape: Shape;
  outDType: DType;
  outType: WordType;
  /** WGSL expression of the result, reading operand values `v0`, `v1`, … and uniforms `u.*`. */
  expr: string;
  /** Statements run before `expr` (after the operands are read), e.g. temporaries it uses. */
  prelude?: string;
  helpers?: string;
  /** Extra scalar uniforms (parameters), readable as `u.<name>`. */
  scalars?: readonly (readonly [name: string, type: ScalarType, value: number])[];
}

export function elementwise(backend: WebGpuBackend, spec: ElementwiseSpec): TensorInfo {
  const out = backend.makeOutput(spec.outShape, spec.outDType, spec.key);
  runElementwise(backend, spec, out.data);
  return out.info;
}

/** As `elementwise`, into an existing buffer of the output's size. */
export function runElementwise(backend: WebGpuBackend, spec: ElementwiseSpec, out: GpuData): void {
  const size = sizeOf(spec.outShape);
  if (size === 0) return;
  const plan = planBroadcast(
    spec.outShape,
    spec.operands.map((o) => o.shape),
  );
  const rank = plan.dims.length;
  const n = spec.operands.length;
  const scalars = spec.scalars ?? [];
  const layout = new UniformLayout([...planUniforms(rank, n), ...scalars.map(([name, type]) => [name, type] as const)]);
  const storage: StorageBinding[] = [
    ...spec.operands.map((o, k) => ({ name: `in${k}`, type: o.type, access: 'read' as const })),
    { name: 'out', type: spec.outType, access: 'write' },
  ];
  const reads = spec.operands.map((_, k) => `  let v${k} = in${k}[o${k}];`).join('\n');
  const wg = backend.limits.workgroupSize;
  const program = {
    key: `${spec.key}|${spec.operands.map((o) => o.type).join(',')}->${spec.outType}|r${rank}|wg${wg}`,
    storage,
    uniforms: layout,
    workgroupSize: [wg, 1, 1] as const,
    helpers: spec.helpers,
    body: `  if (index >= u.size) { return; }
${offsetsWgsl(rank, n)}
${reads}
${spec.prelude ?? ''}
  out[index] = ${spec.expr};`,
  };
  const values: UniformValues = { size, dims: plan.dims };
  plan.strides.slice(1).forEach((s, k) => {
    values[`s${k}`] = s;
  });
  for (const [name, , value] of scalars) values[name] = value;
  backend.run(
    program,
    [...spec.operands.map((o) => o.data), out],
    values,
    gridFor(Math.ceil(size / wg), backend.limits.maxWorkgroupsPerDimension),
  );
}

/** The WGSL word type a dtype is stored as. */
export function wordType(dtype: DType): WordType {
  switch (dtype) {
    case 'float32':
      return 'f32';
    case 'int32':
      return 'i32';
    case 'bool':
      return 'u32';
    default:
      throw new TypeError(`webgpu: dtype ${dtype} is not supported (float32, int32 and bool are)`);
  }
}
