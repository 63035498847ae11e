/**
 * einsum, as PyTorch's: a sum of products over the letters of an equation ("ij,jk->ik"), computed
 * as matmuls. Operands are contracted left to right; each pair becomes one batched matmul of
 * [batch, kept-left, shared] by [batch, shared, kept-right], so gradients and tangents are those
 * of sum, permute, reshape and matmul.
 */
import { scoped } from '../scope.js';
import { fmt, show } from '../shape.js';
import { Tensor } from '../tensor.js';
import { matmul } from './matmul.js';
import { sum } from './reduce.js';
import { permute, reshape } from './shape-ops.js';

interface Term {
  t: Tensor;
  /** One letter per dim of t. */
  letters: string[];
}

function parse(equation: string, count: number): { inputs: string[][]; output: string[] } {
  if (typeof equation !== 'string') throw new TypeError(`einsum: the equation must be a string, got ${show(equation)}`);
  const text = equation.replace(/\s+/g, '');
  if (text.includes('.'))
    throw new Error(`einsum: '...' (broadcast dims) is not supported yet in "${equation}"; name every dim with a letter`);
  const arrow = text.indexOf('->');
  const lhs = arrow < 0 ? text : text.slice(0, arrow);
  const inputs = lhs.split(',').map((s) => [...s]);
  for (const letters of inputs) {
    for (const c of letters) if (!/^[a-zA-Z]$/.test(c)) throw new Error(`einsum: "${equation}" has '${c}'; subscripts are letters`);
  }
  if (inputs.length !== count) {
    throw new Error(`einsum: "${equation}" names ${inputs.length} operand${inputs.length === 1 ? '' : 's'}, but ${count} were given`);
  }
  let output: string[];
  if (arrow < 0) {
    // Implicit output: the letters that appear once, in alphabetical order, as numpy and PyTorch.
    const counts = new Map<string, number>();
    for (const c of inputs.flat()) counts.set(c, (counts.get(c) ?? 0) + 1);
    output = [...counts]
      .filter(([, n]) => n === 1)
      .map(([c]) => c)
      .sort();
  } else {
    output = [...text.slice(arrow + 2)];
    const seen = new Set<string>();
    for (const c of output) {
      if (!inputs.some((l) => l.includes(c))) throw new Error(`einsum: output subscript '${c}' of "${equation}" appears in no operand`);
      if (seen.has(c)) throw new Error(`einsum: output subscript '${c}' of "${equation}" appears twice`);
      seen.add(c);
    }
  }
  return { inputs, output };
}

/** Sums away the letters of `term` that `keep` lacks. */
function sumOut(term: Term, keep: Set<string>): Term {
  const axes = term.letters.flatMap((c, i) => (keep.has(c) ? [] : [i]));
  if (axes.length === 0) return term;
  return { t: sum(term.t, axes), letters: term.letters.filter((c) => keep.has(c)) };
}

/** Permutes and reshapes `term` to [product of `groups[0]`, product of `groups[1]`, …]. */
function grouped(term: Term, groups: string[][], sizes: Map<string, number>): Tensor {
  const order = groups.flat().map((c) => term.letters.indexOf(c));
  const moved = order.every((d, i) => d === i) ? term.t : permute(term.t, order);
  return reshape(
    moved,
    groups.map((g) => g.reduce((p, c) => p * (sizes.get(c) as number), 1)),
  );
}

/** a ⋅ b summed over the letters they share that `keep` lacks, as one batched matmul. */
function contract(a: Term, b: Term, keep: Set<string>, sizes: Map<string, number>): Term {
  const batch = a.letters.filter((c) => b.letters.includes(c) && keep.has(c));
  const shared = a.letters.filter((c) => b.letters.includes(c) && !keep.has(c));
  const left = a.letters.filter((c) => !b.letters.includes(c));
  const right = b.letters.filter((c) => !a.letters.includes(c));
  const product = matmul(grouped(a, [batch, left, shared], sizes), grouped(b, [batch, shared, right], sizes));
  const letters = [...batch, ...left, ...right];
  return {
    t: reshape(
      product,
      letters.map((c) => sizes.get(c) as number),
    ),
    letters,
  };
}

/**
 * Einstein summation, as PyTorch's `einsum`: `einsum('ij,jk->ik', a, b)` is a matmul,
 * `'bij,bjk->bik'` a batched one, `'i,i->'` a dot product, `'ij->ji'` a transpose, `'ii'` is not
 * supported (a letter repeated within one operand), nor `...`. Without `->`, the output is the
 * letters that appear once, in alphabetical order.
 */
export function einsum(equation: string, ...operands: Tensor[]): Tensor {
  const { inputs, output } = parse(equation, operands.length);
  const sizes = new Map<string, number>();
  operands.forEach((t, k) => {
    if (!(t instanceof Tensor)) throw new TypeError(`einsum: operand ${k} is ${show(t)}, expected a Tensor`);
    t.assertAlive('einsum');
    const letters = inputs[k] as string[];
    if (letters.length !== t.rank) {
      throw new Error(
        `einsum: operand ${k} has shape ${fmt(t.shape)} (rank ${t.rank}) but "${equation}" gives it ${letters.length} subscripts`,
      );
    }
    if (new Set(letters).size !== letters.length) {
      throw new Error(`einsum: operand ${k} of "${equation}" repeats a subscript (a diagonal); that is not supported yet`);
    }
    letters.forEach((c, d) => {
      const n = t.shape[d] as number;
      const known = sizes.get(c);
      if (known !== undefined && known !== n) {
        throw new Error(
          `einsum: subscript '${c}' is ${known} in one operand and ${n} in operand ${k} (shape ${fmt(t.shape)}) of "${equation}"`,
        );
      }
      sizes.set(c, n);
    });
  });
  return scoped(() => {
    const needed = (from: number): Set<string> => new Set([...output, ...inputs.slice(from).flat()]);
    let acc = sumOut({ t: operands[0] as Tensor, letters: inputs[0] as string[] }, needed(1));
    for (let k = 1; k < operands.length; k++) {
      const keep = needed(k + 1);
      const next = sumOut({ t: operands[k] as Tensor, letters: inputs[k] as string[] }, new Set([...keep, ...acc.letters]));
      acc = contract(acc, next, keep, sizes);
    }
    acc = sumOut(acc, new Set(output));
    const order = output.map((c) => acc.letters.indexOf(c));
    return order.every((d, i) => d === i) ? reshape(acc.t, acc.t.shape) : permute(acc.t, order);
  });
}
