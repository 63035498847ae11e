/**
 * WGSL that walks an index plan: from a linear index over `dims` to each operand's element offset,
 * reading dims and strides from list uniforms (`dims`, `s0`, `s1`, …). Rank is a shader constant.
 */
import { at, type UniformField } from '../wgsl/uniforms.js';

export function planUniforms(rank: number, operands: number): UniformField[] {
  const fields: UniformField[] = [
    ['size', 'u32'],
    ['dims', 'list', rank],
  ];
  for (let k = 0; k < operands; k++) fields.push([`s${k}`, 'list', rank]);
  return fields;
}

/** Statements defining `o0 … o{operands-1}` (u32 offsets) for the linear index in variable `index`. */
export function offsetsWgsl(rank: number, operands: number, index = 'index'): string {
  const ks = Array.from({ length: operands }, (_, k) => k);
  if (rank === 1) return ks.map((k) => `  let o${k} = ${index} * ${at(`s${k}`, 0)};`).join('\n');
  return `${ks.map((k) => `  var o${k} = 0u;`).join('\n')}
  var rest = ${index};
  for (var k = 0u; k < ${rank}u; k++) {
    let d = ${rank - 1}u - k;
    let n = ${at('dims', 'd')};
    let c = rest % n;
    rest = rest / n;
${ks.map((k) => `    o${k} += c * ${at(`s${k}`, 'd')};`).join('\n')}
  }`;
}
