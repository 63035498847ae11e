/**
 * A compute program: its storage bindings, uniforms and main body, assembled into one WGSL module.
 * Binding order is storage buffers as listed, then the uniform struct (if any).
 */
import type { BindingKind } from '../gpu/pipeline-cache.js';
import type { UniformLayout } from './uniforms.js';

/** How a storage buffer's words are read: every dtype is stored as 32-bit words (bool as u32 0/1). */
export type WordType = 'f32' | 'i32' | 'u32';

export interface StorageBinding {
  name: string;
  type: WordType | 'atomic<u32>';
  access: 'read' | 'write';
}

export interface Program {
  /** Unique per distinct WGSL text: the pipeline cache key. */
  key: string;
  storage: readonly StorageBinding[];
  uniforms: UniformLayout;
  /** [x, y, z] invocations per workgroup. */
  workgroupSize: readonly [number, number, number];
  /** Functions, constants and workgroup variables placed before main. */
  helpers?: string;
  /**
   * Statements of `main`. In scope: `gid`, `lid`, `wid`, `nwg` (the usual builtins, vec3<u32>),
   * `lidx` (local_invocation_index) and `index`, the linear invocation index of a 1-D grid folded
   * into two dimensions (see `gridFor`).
   */
  body: string;
}

export function bindingKinds(program: Program): BindingKind[] {
  const kinds: BindingKind[] = program.storage.map((s) => s.access);
  if (!program.uniforms.isEmpty) kinds.push('uniform');
  return kinds;
}

export function programSource(program: Program): string {
  const [x, y, z] = program.workgroupSize;
  const storage = program.storage
    .map((s, i) => `@group(0) @binding(${i}) var<storage, ${s.access === 'read' ? 'read' : 'read_write'}> ${s.name}: array<${s.type}>;`)
    .join('\n');
  const uniforms = program.uniforms.isEmpty ? '' : program.uniforms.wgsl(program.storage.length);
  return `${storage}
${uniforms}
const WG_SIZE: u32 = ${x * y * z}u;
${program.helpers ?? ''}
@compute @workgroup_size(${x}, ${y}, ${z})
fn main(
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(local_invocation_index) lidx: u32,
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
) {
  let index = (wid.x + wid.y * nwg.x) * WG_SIZE + lidx;
${program.body}
}
`;
}

/**
 * Workgroups for `groups` work items of one workgroup each: one row while it fits in the device's
 * per-dimension limit, else folded into rows of a second dimension (kernels guard the excess).
 */
export function gridFor(groups: number, maxPerDimension: number): [number, number, number] {
  if (groups <= maxPerDimension) return [Math.max(1, groups), 1, 1];
  const rows = Math.ceil(groups / maxPerDimension);
  return [Math.ceil(groups / rows), rows, 1];
}

/** WGSL spelling of a float constant as an f32 literal (finite values only). */
export function f32Literal(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`f32Literal: ${v} has no WGSL literal; use f32_bits()`);
  const f = Math.fround(v);
  if (Object.is(f, -0)) return '(-0.0f)';
  const text = String(f);
  return f < 0 ? `(${text}f)` : `${text}f`;
}
