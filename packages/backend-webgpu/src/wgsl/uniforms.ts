/**
 * A kernel's uniforms (sizes, shapes, strides, params) as a WGSL struct and its byte packing, from
 * one field list, so the two can't disagree. Scalars are u32/i32/f32; index lists are arrays of
 * vec4<u32> (the uniform address space needs 16-byte array strides), read with `at()`.
 */

export type ScalarType = 'u32' | 'i32' | 'f32';

export type UniformField = readonly [name: string, type: ScalarType] | readonly [name: string, type: 'list', length: number];

export type UniformValues = Record<string, number | readonly number[]>;

interface Placed {
  name: string;
  type: ScalarType | 'list';
  offset: number;
  /** list: vec4 count. */
  vec4s: number;
}

export class UniformLayout {
  private readonly placed: Placed[] = [];
  readonly byteSize: number;

  constructor(fields: readonly UniformField[]) {
    let offset = 0;
    for (const field of fields) {
      if (field[1] === 'list') {
        const vec4s = Math.max(1, Math.ceil(field[2] / 4));
        offset = Math.ceil(offset / 16) * 16;
        this.placed.push({ name: field[0], type: 'list', offset, vec4s });
        offset += 16 * vec4s;
      } else {
        this.placed.push({ name: field[0], type: field[1], offset, vec4s: 0 });
        offset += 4;
      }
    }
    this.byteSize = Math.max(16, Math.ceil(offset / 16) * 16);
  }

  get isEmpty(): boolean {
    return this.placed.length === 0;
  }

  /** `struct Uniforms { … }` and its binding at `binding`. */
  wgsl(binding: number): string {
    const members = this.placed.map((p) => `  ${p.name}: ${p.type === 'list' ? `array<vec4<u32>, ${p.vec4s}>` : p.type},`);
    return `struct Uniforms {\n${members.join('\n')}\n}\n@group(0) @binding(${binding}) var<uniform> u: Uniforms;\n`;
  }

  pack(values: UniformValues): Uint8Array {
    const bytes = new Uint8Array(this.byteSize);
    const view = new DataView(bytes.buffer);
    for (const p of this.placed) {
      const v = values[p.name];
      if (v === undefined) throw new Error(`webgpu uniforms: no value for '${p.name}'`);
      if (p.type === 'list') {
        const list = v as readonly number[];
        if (list.length > p.vec4s * 4) throw new Error(`webgpu uniforms: '${p.name}' has ${list.length} entries, room for ${p.vec4s * 4}`);
        list.forEach((n, i) => {
          view.setUint32(p.offset + 4 * i, n >>> 0, true);
        });
      } else if (p.type === 'f32') view.setFloat32(p.offset, v as number, true);
      else if (p.type === 'i32') view.setInt32(p.offset, v as number, true);
      else view.setUint32(p.offset, (v as number) >>> 0, true);
    }
    return bytes;
  }
}

/** WGSL reading entry `index` (a u32 expression) of list uniform `name`. */
export function at(name: string, index: string | number): string {
  return typeof index === 'number' ? `u.${name}[${index >> 2}][${index & 3}]` : `u.${name}[(${index}) >> 2u][(${index}) & 3u]`;
}
