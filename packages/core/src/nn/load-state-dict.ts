/**
 * Loading a state dict into a module's tensors: every entry checked before any is copied, so a
 * failed load leaves the module as it was.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { onBackend } from '../registry.js';
import { fmt, show } from '../shape.js';
import { Tensor } from '../tensor.js';

/** What `loadStateDict` did not match, as PyTorch's `_IncompatibleKeys`. */
export interface LoadStateDictResult {
  /** The module's keys the state dict lacks (always empty under `strict`). */
  missingKeys: string[];
  /** The state dict's keys the module lacks (always empty under `strict`). */
  unexpectedKeys: string[];
}

const list = (keys: string[]) => keys.map((k) => `'${k}'`).join(', ');

/**
 * Copies `source`'s values into `target`'s tensors (the module's own state dict), by key. Shapes
 * and backends must match; a value of another dtype is cast (a float64 file into float32 weights).
 */
export function loadInto(target: Record<string, Tensor>, source: Readonly<Record<string, Tensor>>, strict: boolean): LoadStateDictResult {
  if (source === null || typeof source !== 'object')
    throw new TypeError(`loadStateDict: expected a record of tensors, got ${show(source)}`);
  const missingKeys = Object.keys(target).filter((k) => !Object.hasOwn(source, k));
  const unexpectedKeys = Object.keys(source).filter((k) => !Object.hasOwn(target, k));
  if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
    const parts = [
      missingKeys.length ? `missing keys ${list(missingKeys)}` : '',
      unexpectedKeys.length ? `unexpected keys ${list(unexpectedKeys)}` : '',
    ].filter(Boolean);
    throw new Error(`loadStateDict: ${parts.join('; ')} (pass { strict: false } to load a subset)`);
  }
  const pairs: [Tensor, Tensor][] = [];
  for (const [key, to] of Object.entries(target)) {
    if (!Object.hasOwn(source, key)) continue;
    const from = source[key];
    if (!(from instanceof Tensor)) throw new TypeError(`loadStateDict: '${key}' must be a Tensor, got ${show(from)}`);
    from.assertAlive('loadStateDict');
    if (from.shape.length !== to.shape.length || from.shape.some((s, i) => s !== to.shape[i])) {
      throw new RangeError(`loadStateDict: '${key}' has shape ${fmt(from.shape)} in the state dict, but ${fmt(to.shape)} in the module`);
    }
    if (from.backend !== to.backend) {
      throw new Error(
        `loadStateDict: '${key}' is on backend '${from.backend.name}', but the module's tensor is on '${to.backend.name}'; load it there`,
      );
    }
    pairs.push([to, from]);
  }
  noGrad(() => {
    for (const [to, from] of pairs) {
      if (from === to) continue;
      // Same dtype: share the buffer (storage is immutable, so neither side sees the other's updates).
      if (from.dtype === to.dtype) {
        to.assign(from);
        continue;
      }
      const value = onBackend(to.backend, () => from.cast(to.dtype));
      to.assign(value);
      value.dispose();
    }
  });
  return { missingKeys: strict ? [] : missingKeys, unexpectedKeys: strict ? [] : unexpectedKeys };
}
