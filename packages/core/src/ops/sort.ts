/**
 * sort, argsort and topk, as PyTorch's (stable; NaN sorts as the largest value). Composed of
 * comparisons and sums, so every backend runs them: each element's rank is the count of elements
 * that sort before it, counted in blocks of columns so memory stays O(n · block) per row; the
 * values are then a gather of x, so their gradient routes dy back to where each value came from.
 * The work is O(n²) per sorted row: fine for rows of hundreds, slow past thousands. Backends with
 * FusedKernels.Argsort (cpu, wasm: argsortRows on the host, O(n log n)) give the order directly.
 */
import { FusedKernels } from '../kernels.js';
import { hasKernel } from '../registry.js';
import { fmt, normalizeAxis, show } from '../shape.js';
import { Tensor } from '../tensor.js';
import { tidy } from '../tidy.js';
import { cast } from './cast.js';
import { isNaN as isNan, logicalAnd, logicalOr } from './compare.js';
import { arange } from './creation.js';
import { runKernel } from './dispatch.js';
import { sum } from './reduce.js';
import { concat, gather, reshape, transpose } from './shape-ops.js';
import { narrow } from './views.js';

/** Columns compared at once, at most: bounds the [.., n, block] comparison tensors. */
const BLOCK = 256;
/** Elements of one comparison tensor, at most: many or long rows compare fewer columns at once. */
const COMPARED = 1 << 22;

/** Columns compared at once for x [..., n]: BLOCK, fewer where rows × n × BLOCK would pass COMPARED. */
function blockFor(x: Tensor): number {
  return Math.max(1, Math.min(BLOCK, Math.floor(COMPARED / Math.max(1, x.size))));
}

/** Options of {@link sort} and {@link argsort}. */
export interface SortOptions {
  /** Largest first (NaN first); default false: smallest first, NaN last. */
  descending?: boolean;
}

/** Options of {@link topk}. */
export interface TopkOptions {
  /** The k largest (default) or the k smallest. */
  largest?: boolean;
}

/**
 * For x [..., n]: rank[..., i] = how many j sort before i, ties broken by position (stable), as int32.
 * `before(a_j, a_i)` is "a_j sorts strictly before a_i".
 */
function ranks(x: Tensor, descending: boolean): Tensor {
  const n = x.shape[x.rank - 1] as number;
  const xi = reshape(x, [...x.shape, 1]);
  const nanI = isNan(xi);
  const position = reshape(arange(n, undefined, 1, { dtype: 'int32' }), [n, 1]);
  const block = blockFor(x);
  let total: Tensor | null = null;
  for (let start = 0; start < n; start += block) {
    const len = Math.min(block, n - start);
    // Each block's comparisons freed before the next: only the running count outlives it.
    const part = tidy(() => {
      const xj = reshape(narrow(x, x.rank - 1, start, len), [...x.shape.slice(0, -1), 1, len]);
      const nanJ = isNan(xj);
      // NaN counts as the largest value: it sorts after every number ascending, before them descending.
      const strictly = descending
        ? logicalOr(xj.gt(xi), logicalAnd(nanJ, nanI.logicalNot()))
        : logicalOr(xj.lt(xi), logicalAnd(nanI, nanJ.logicalNot()));
      const tie = logicalOr(xj.eq(xi), logicalAnd(nanI, nanJ));
      const earlier = arange(start, start + len, 1, { dtype: 'int32' }).lt(position);
      return sum(cast(logicalOr(strictly, logicalAnd(tie, earlier)), 'int32'), -1);
    });
    if (total === null) total = part;
    else {
      const next: Tensor = total.add(part);
      total.dispose();
      part.dispose();
      total = next;
    }
  }
  // No columns (n = 0): nothing sorts before anything.
  return total ?? cast(xi.reshape(x.shape), 'int32');
}

/** The inverse of a permutation given by ranks: order[..., r] = the i with rank[..., i] = r. */
function orderOf(rank: Tensor): Tensor {
  const n = rank.shape[rank.rank - 1] as number;
  const r = reshape(rank, [...rank.shape.slice(0, -1), 1, n]);
  const parts: Tensor[] = [];
  const block = blockFor(rank);
  for (let start = 0; start < n; start += block) {
    const len = Math.min(block, n - start);
    parts.push(
      tidy(() => {
        const slots = reshape(arange(start, start + len, 1, { dtype: 'int32' }), [len, 1]);
        const hit = cast(r.eq(slots), 'int32');
        return sum(hit.mul(arange(n, undefined, 1, { dtype: 'int32' })), -1);
      }),
    );
  }
  return parts.length === 1 ? (parts[0] as Tensor) : concat(parts, -1);
}

/** x[..., order[..., k]] for x and order of the same shape [..., n]: a gather of the flattened rows. */
function takeAlongLast(x: Tensor, order: Tensor): Tensor {
  const n = x.shape[x.rank - 1] as number;
  const rows = x.size / Math.max(n, 1);
  const base = reshape(arange(rows, undefined, 1, { dtype: 'int32' }).mul(n), [...x.shape.slice(0, -1), 1]);
  return reshape(gather(reshape(x, [x.size]), reshape(order.add(base), [x.size]), 0), x.shape);
}

function sortLast(x: Tensor, descending: boolean): [Tensor, Tensor] {
  const fused = x.dtype !== 'bool' && x.size > 0 && hasKernel(FusedKernels.Argsort, x.backend.name);
  const order = fused ? runKernel<Tensor>(FusedKernels.Argsort, [x], { descending }) : orderOf(ranks(x, descending));
  return [takeAlongLast(x, order), order];
}

function checked(op: string, x: unknown, dim: number): { x: Tensor; d: number } {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${show(x)}`);
  x.assertAlive(op);
  if (x.dtype === 'bool') throw new TypeError(`${op}: bool tensors are not sortable; cast to int32 first`);
  return { x, d: x.rank === 0 ? 0 : normalizeAxis(op, dim, x.rank) };
}

/** Runs `f` on x with `d` moved last, and moves the results' last dim back. */
function alongDim(x: Tensor, d: number, f: (last: Tensor) => [Tensor, Tensor]): [Tensor, Tensor] {
  if (x.rank === 0) return [reshape(x, []), reshape(arange(1, undefined, 1, { dtype: 'int32' }), [])];
  const last = x.rank - 1;
  if (d === last) return f(x);
  const [v, i] = f(transpose(x, d, last));
  return [transpose(v, d, last), transpose(i, d, last)];
}

/** The values of x sorted along `dim` (default last) and their int32 indices in x, as PyTorch's `sort` (stable). */
export function sort(x: Tensor, dim = -1, options: SortOptions = {}): [Tensor, Tensor] {
  const c = checked('sort', x, dim);
  const descending = options.descending ?? false;
  return tidy(() => alongDim(c.x, c.d, (t) => sortLast(t, descending)));
}

/** The int32 indices that sort x along `dim`, as PyTorch's `argsort` (stable). */
export function argsort(x: Tensor, dim = -1, options: SortOptions = {}): Tensor {
  return tidy(() => sort(x, dim, options)[1]);
}

/** The k largest (or, with `largest: false`, smallest) values along `dim` and their int32 indices, sorted, as PyTorch's `topk`. */
export function topk(x: Tensor, k: number, dim = -1, options: TopkOptions = {}): [Tensor, Tensor] {
  const c = checked('topk', x, dim);
  const n = c.x.rank === 0 ? 1 : (c.x.shape[c.d] as number);
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new RangeError(`topk: k must be an integer in [0, ${n}] for dim ${dim} of shape ${fmt(c.x.shape)}, got ${show(k)}`);
  }
  return tidy((): [Tensor, Tensor] => {
    const [values, indices] = sort(c.x, c.d, { descending: options.largest ?? true });
    if (c.x.rank === 0) return [values, indices];
    return [narrow(values, c.d, 0, k), narrow(indices, c.d, 0, k)];
  });
}
