import { tensor } from '../ops/creation.js';
import { type InterpolateOptions, interpolate } from '../ops/interpolate.js';
import { dropout, embedding, unflatten } from '../ops/layers.js';
import { flatten } from '../ops/shape-ops.js';
import { Generator, globalGenerator } from '../random.js';
import { fmt } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { type AnyModule, Module } from './module.js';

/** Zeroes elements with probability p in training and scales the rest by 1 / (1 − p) (PyTorch's `nn.Dropout`); the identity in evaluation. */
export class Dropout extends Module {
  constructor(
    readonly p = 0.5,
    /** The random source; default the global generator. */
    readonly generator?: Generator,
  ) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`Dropout: probability p must be in [0, 1], got ${String(p)}`);
  }
  /** dropout(x, p) in training, x in evaluation. */
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, { training: this.training, generator: this.generator });
  }
}

/** Options of {@link Embedding}. */
export interface EmbeddingModuleOptions {
  /** This row starts at zero and gets no gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Seed for the initial weights, N(0, 1) as PyTorch's (otherwise the global generator). */
  seed?: number;
}

/** A lookup table of numEmbeddings vectors of size embeddingDim (PyTorch's `nn.Embedding`). */
export class Embedding extends Module {
  /** The table, shape [numEmbeddings, embeddingDim], initialized N(0, 1). */
  weight: Tensor;
  readonly paddingIdx: number | null;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: EmbeddingModuleOptions = {},
  ) {
    super();
    for (const [name, v] of [
      ['numEmbeddings', numEmbeddings],
      ['embeddingDim', embeddingDim],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`Embedding: ${name} must be a positive integer, got ${v}`);
    }
    let pad = options.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad < -numEmbeddings || pad >= numEmbeddings) {
        throw new RangeError(`Embedding: paddingIdx must be an integer in [${-numEmbeddings}, ${numEmbeddings}), got ${pad}`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    const generator = options.seed === undefined ? globalGenerator() : new Generator(options.seed);
    const values = new Float32Array(numEmbeddings * embeddingDim);
    for (let i = 0; i < values.length; i++) values[i] = generator.normal();
    if (pad !== null) values.fill(0, pad * embeddingDim, (pad + 1) * embeddingDim);
    this.weight = tensor(values, { shape: [numEmbeddings, embeddingDim], requiresGrad: true });
  }

  /** The rows picked by the int32 `indices` (any shape): indices.shape + [embeddingDim]. */
  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, { paddingIdx: this.paddingIdx });
  }
}

/** Flattens dims startDim … endDim into one (PyTorch's `nn.Flatten`; by default all but the batch dim). */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }
  /** flatten(x, startDim, endDim). */
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
}

/** Splits dim `dim` into `sizes` (PyTorch's `nn.Unflatten`). */
export class Unflatten extends Module {
  constructor(
    readonly dim: number,
    readonly sizes: readonly number[],
  ) {
    super();
  }
  /** unflatten(x, dim, sizes). */
  forward(x: Tensor): Tensor {
    return unflatten(x, this.dim, this.sizes);
  }
}

/** Resizes NCHW images (PyTorch's `nn.Upsample`): `interpolate` with fixed options. */
export class Upsample extends Module {
  constructor(readonly options: InterpolateOptions) {
    super();
  }
  /** interpolate(x, options). */
  forward(x: Tensor): Tensor {
    return interpolate(x, this.options);
  }
}

/** Returns its input (PyTorch's `nn.Identity`), a placeholder where a layer is optional. */
export class Identity extends Module {
  /** x itself. */
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** Modules held in a list and named 0, 1, … (PyTorch's `nn.ModuleList`); it has no forward of its own. */
export class ModuleList<M extends AnyModule = Module> extends Module {
  private readonly items: M[];

  constructor(modules: Iterable<M> = []) {
    super();
    this.items = [];
    for (const m of modules) this.append(m);
  }

  protected override namedMembers(): [string, unknown][] {
    return this.items.map((m, i) => [String(i), m]);
  }

  /** Adds a module at the end; returns this. */
  append(module: M): this {
    if (!(module instanceof Module)) throw new TypeError(`ModuleList.append: expected a Module, got ${typeof module}`);
    this.items.push(module);
    return this;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): M {
    const m = this.items.at(index);
    if (!m) throw new RangeError(`ModuleList: index ${index} is out of range for ${this.items.length} modules`);
    return m;
  }

  /** How many modules it holds. */
  get length(): number {
    return this.items.length;
  }

  /** The modules in order (`for (const layer of list)`). */
  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }

  /** A ModuleList is not called; iterate over it (`for (const layer of list) x = layer.forward(x)`). */
  forward(x: Tensor): Tensor {
    throw new Error(`ModuleList has no forward: iterate over its ${this.items.length} modules (input ${fmt(x.shape)})`);
  }
}

/** Modules held by name (PyTorch's `nn.ModuleDict`); it has no forward of its own. */
export class ModuleDict<M extends AnyModule = Module> extends Module {
  private readonly items = new Map<string, M>();

  constructor(modules: Readonly<Record<string, M>> = {}) {
    super();
    for (const [k, m] of Object.entries(modules)) this.set(k, m);
  }

  protected override namedMembers(): [string, unknown][] {
    return [...this.items];
  }

  /** Adds or replaces the module named `key`; returns this. */
  set(key: string, module: M): this {
    if (typeof key !== 'string' || key === '' || key.includes('.'))
      throw new TypeError(`ModuleDict: key must be a non-empty string without '.', got ${JSON.stringify(key)}`);
    if (!(module instanceof Module)) throw new TypeError(`ModuleDict: '${key}' must be a Module`);
    this.items.set(key, module);
    return this;
  }

  /** The module named `key`. */
  get(key: string): M {
    const m = this.items.get(key);
    if (!m) throw new RangeError(`ModuleDict: no module named '${key}' (it has ${[...this.items.keys()].join(', ') || 'none'})`);
    return m;
  }

  /** Whether a module is named `key`. */
  has(key: string): boolean {
    return this.items.has(key);
  }

  /** The names, in insertion order. */
  keys(): string[] {
    return [...this.items.keys()];
  }

  /** [name, module] pairs, in insertion order. */
  entries(): [string, M][] {
    return [...this.items];
  }

  /** A ModuleDict is not called; pick a module with get(key). */
  forward(x: Tensor): Tensor {
    throw new Error(`ModuleDict has no forward: pick a module with get(key) (input ${fmt(x.shape)})`);
  }
}
