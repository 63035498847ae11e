/**
 * The elementwise family (Unary, Binary, Compare, Logical, Where, Cast, Fill, activations): one
 * invocation per output element, each operand read through its broadcast strides.
 */
import type { DType, KernelArgs, Shape, TensorInfo } from '@surrograd/core';
import { donatedOutput, planBroadcast, sizeOf } from '@surrograd/core';
import type { GpuData, WebGpuBackend } from '../backend.js';
import { gridFor, type StorageBinding, type WordType } from '../wgsl/program.js';
import { type ScalarType, UniformLayout, type UniformValues } from '../wgsl/uniforms.js';
import { offsetsWgsl, planUniforms } from './index-math.js';

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
  /** An operand (the kernel's donated input, of the output's shape and dtype: see {@link donatedOperand}) whose buffer receives the output. */
  donated?: number | undefined;
}

/** The input index a kernel whose operands are its inputs, in order, may write its output into. */
export function donatedOperand(args: KernelArgs<WebGpuBackend, unknown>, outShape: Shape, outDType: DType): number | undefined {
  return donatedOutput(args, outShape, outDType) === undefined ? undefined : args.donated;
}

export function elementwise(backend: WebGpuBackend, spec: ElementwiseSpec): TensorInfo {
  const into = spec.donated;
  if (into !== undefined && spec.operands[into]?.type === spec.outType) {
    // Each invocation reads its element of the donated operand before writing it: safe in place.
    runElementwise(backend, spec, null, into);
    return { dataId: (spec.operands[into] as Operand).data, shape: [...spec.outShape], dtype: spec.outDType };
  }
  const out = backend.makeOutput(spec.outShape, spec.outDType, spec.key);
  runElementwise(backend, spec, out.data);
  return out.info;
}

/** As `elementwise`, into an existing buffer of the output's size (`out`), or into operand `into`'s own buffer. */
export function runElementwise(backend: WebGpuBackend, spec: ElementwiseSpec, out: GpuData | null, into?: number): void {
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
  const storage: StorageBinding[] = spec.operands.map((o, k) => ({ name: `in${k}`, type: o.type, access: k === into ? 'write' : 'read' }));
  if (out !== null) storage.push({ name: 'out', type: spec.outType, access: 'write' });
  const target = out === null ? `in${into}` : 'out';
  const reads = spec.operands.map((_, k) => `  let v${k} = in${k}[o${k}];`).join('\n');
  const wg = backend.limits.workgroupSize;
  const program = {
    key: `${spec.key}|${spec.operands.map((o) => o.type).join(',')}->${out === null ? `in${into}` : spec.outType}|r${rank}|wg${wg}`,
    storage,
    uniforms: layout,
    workgroupSize: [wg, 1, 1] as const,
    helpers: spec.helpers,
    body: `  if (index >= u.size) { return; }
${offsetsWgsl(rank, n)}
${reads}
${spec.prelude ?? ''}
  ${target}[index] = ${spec.expr};`,
  };
  const values: UniformValues = { size, dims: plan.dims };
  plan.strides.forEach((s, k) => {
    values[`s${k}`] = s;
  });
  for (const [name, , value] of scalars) values[name] = value;
  backend.run(
    program,
    out === null ? spec.operands.map((o) => o.data) : [...spec.operands.map((o) => o.data), out],
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
