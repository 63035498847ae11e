/** Backends and kernels by name, as in tfjs: `registerBackend`, `setBackend`, `registerKernel`. */
import type { Attrs, Backend, KernelConfig, KernelFn, TensorInfo } from './backend.js';
import { show } from './shape.js';

/** Creates the backend instance for {@link registerBackend}, lazily on first use; an async one is ready only after `setBackend`/`initBackend` resolves. */
export type BackendFactory = () => Backend | Promise<Backend>;

interface BackendEntry {
  factory: BackendFactory;
  priority: number;
  instance?: Backend;
  pending?: Promise<Backend>;
}

const backends = new Map<string, BackendEntry>();
/** Kernels by backend, then by name: two lookups of existing strings, no key built per dispatch. */
const kernelTables = new Map<string, Map<string, KernelConfig>>();
let current: Backend | null = null;

const configOf = (backend: string, name: string): KernelConfig | undefined => kernelTables.get(backend)?.get(name);
function* allKernels(): Generator<KernelConfig> {
  for (const table of kernelTables.values()) yield* table.values();
}

/**
 * Makes a backend available under `name`. Higher `priority` wins when no backend was chosen
 * with `setBackend`. Registering a name again replaces it (its old instance is destroyed).
 */
export function registerBackend(name: string, factory: BackendFactory, priority = 1): void {
  if (typeof name !== 'string' || name === '') throw new TypeError('registerBackend: name must be a non-empty string');
  if (typeof factory !== 'function') throw new TypeError(`registerBackend('${name}'): factory must be a function`);
  const old = backends.get(name);
  if (old?.instance) {
    if (current === old.instance) current = null;
    old.instance.destroy?.();
  }
  backends.set(name, { factory, priority });
}

/**
 * Forgets a backend's instance (a lost GPU device) so that the next `setBackend(name)` or
 * `initBackend(name)` makes a new one. The current backend is left as it is: until the user
 * switches, ops keep going to the old instance, which fails each with its own clear error rather
 * than silently landing on another backend.
 */
export function forgetBackendInstance(name: string, instance: Backend): void {
  const entry = backends.get(name);
  if (!entry || entry.instance !== instance) return;
  entry.instance = undefined;
  entry.pending = undefined;
}

/** Unregisters a backend and destroys its instance; if it was current, the next op picks the highest-priority remaining one. Unknown names are ignored. */
export function removeBackend(name: string): void {
  const entry = backends.get(name);
  if (!entry) return;
  if (entry.instance && current === entry.instance) current = null;
  entry.instance?.destroy?.();
  backends.delete(name);
}

/** Names of every registered backend, initialized or not, in registration order. */
export function registeredBackends(): string[] {
  return [...backends.keys()];
}

function unknownBackend(op: string, name: string): Error {
  const names = registeredBackends();
  return new Error(
    `${op}: no backend named '${name}'. Registered: ${names.length ? names.map((n) => `'${n}'`).join(', ') : 'none'}` +
      ` (import a backend package, e.g. '@surrograd/backend-${name}', to register it)`,
  );
}

/** Initializes (once) and switches to the named backend. */
export async function setBackend(name: string): Promise<void> {
  const backend = await initBackend(name);
  current = backend;
}

/** The instance of a backend, initializing it if needed. */
export async function initBackend(name: string): Promise<Backend> {
  const entry = backends.get(name);
  if (!entry) throw unknownBackend('setBackend', name);
  if (entry.instance) return entry.instance;
  if (!entry.pending) {
    entry.pending = Promise.resolve()
      .then(() => entry.factory())
      .then(
        (b) => {
          entry.instance = b;
          return b;
        },
        (err: unknown) => {
          entry.pending = undefined;
          throw err;
        },
      );
  }
  return entry.pending;
}

/**
 * The name of the current backend (as tfjs's `getBackend`), choosing the highest-priority ready one
 * if none was set; {@link currentBackend} gives the instance itself.
 */
export function getBackend(): string {
  return currentBackend().name;
}

/** While set, the backend new tensors go to: the backend of the tensors an op is working on. */
let pinned: Backend | null = null;

/** @internal Pins `backend` (null: none) and returns the previous pin, for core's hot path (which restores it in a finally). */
export function swapPinnedBackend(backend: Backend | null): Backend | null {
  const previous = pinned;
  pinned = backend;
  return previous;
}

/**
 * Runs `fn` with `backend` as the current backend for what it creates: constants, scalars and
 * kernels without inputs. Ops on tensors of a backend that is not the current one (a Function's
 * forward and backward, a scalar operand, zerosLike) run under it, so their temporaries live
 * next to their inputs instead of on whichever backend was set last.
 */
export function onBackend<T>(backend: Backend, fn: () => T): T {
  if (typeof backend !== 'object' || backend === null || typeof backend.write !== 'function') {
    const hint = typeof backend === 'string' ? ` (for a name, pass await initBackend(${JSON.stringify(backend)}))` : '';
    throw new TypeError(`onBackend: expected a Backend instance such as tensor.backend, got ${show(backend)}${hint}`);
  }
  if (typeof fn !== 'function') throw new TypeError(`onBackend: expected a function to run, got ${show(fn)}`);
  const previous = pinned;
  pinned = backend;
  try {
    return fn();
  } finally {
    pinned = previous;
  }
}

/** The current backend instance (inside an op, the backend of its inputs). */
export function currentBackend(): Backend {
  if (pinned) return pinned;
  if (current) return current;
  const entries = [...backends.entries()].sort((a, b) => b[1].priority - a[1].priority);
  const waiting: string[] = [];
  for (const [name, entry] of entries) {
    if (entry.instance) {
      current = entry.instance;
      return current;
    }
    if (entry.pending) {
      waiting.push(name);
      continue;
    }
    try {
      const made = entry.factory();
      if (made instanceof Promise) {
        entry.pending = made.then((b) => {
          entry.instance = b;
          return b;
        });
        entry.pending.catch(() => {
          entry.pending = undefined;
        });
        waiting.push(name);
        continue;
      }
      entry.instance = made;
      current = made;
      return made;
    } catch {
      waiting.push(name);
    }
  }
  if (entries.length === 0) {
    throw new Error("No backend is registered: import one, e.g. `import '@surrograd/backend-cpu'`");
  }
  throw new Error(
    `No backend is ready synchronously (${waiting.map((n) => `'${n}'`).join(', ')} initialize asynchronously): ` +
      `call \`await setBackend('${waiting[0]}')\` first`,
  );
}

/** A backend instance by name, if it has been initialized. */
export function findBackend(name: string): Backend | undefined {
  return backends.get(name)?.instance;
}

/** Registers a kernel for a backend: `registerKernel({ name, backend, fn })`, as in tfjs. */
export function registerKernel<B extends Backend = Backend, A = Attrs>(config: KernelConfig<B, A>): void {
  const { name, backend, fn } = config;
  if (typeof name !== 'string' || typeof backend !== 'string' || typeof fn !== 'function') {
    throw new TypeError('registerKernel: expected { name: string, backend: string, fn: function }');
  }
  let table = kernelTables.get(backend);
  if (!table) kernelTables.set(backend, (table = new Map()));
  table.set(name, config as unknown as KernelConfig);
}

/**
 * Registers every kernel of one or more tables (kernel name → function) for `backend`: a backend
 * package's whole kernel set in one call. Later tables override earlier ones of the same name.
 */
export function registerKernels<B extends Backend = Backend>(
  backend: string,
  // biome-ignore lint/suspicious/noExplicitAny: each kernel has its own attrs type
  ...tables: readonly Readonly<Record<string, KernelFn<B, any>>>[]
): void {
  for (const table of tables) for (const name of Object.keys(table)) registerKernel({ name, backend, fn: table[name] as KernelFn<B> });
}

/** Removes the kernel `name` registered for `backend`, if any. */
export function unregisterKernel(name: string, backend: string): void {
  kernelTables.get(backend)?.delete(name);
}

/** The kernel function registered as `name` for `backend`, or undefined. */
export function getKernel(name: string, backend: string): KernelFn | undefined {
  return configOf(backend, name)?.fn;
}

/** Every kernel registered for a backend. */
export function kernelsFor(backend: string): string[] {
  const out: string[] = [];
  for (const k of kernelTables.get(backend)?.values() ?? []) out.push(k.name);
  return out.sort();
}

/**
 * Whether `backend` can run the kernel `name` now: registered, and available if its config says
 * when (see {@link KernelConfig.available}). Core checks optional fused kernels this way.
 */
export function hasKernel(name: string, backend: string): boolean {
  const config = configOf(backend, name);
  return config !== undefined && (config.available?.() ?? true);
}

/** Runs a kernel on tensor infos of one backend. Throws a clear error if the kernel is missing. */
export function dispatchKernel(
  backend: Backend,
  name: string,
  inputs: readonly TensorInfo[],
  attrs: Attrs,
  donated?: number,
): TensorInfo[] {
  const out = invokeKernel(backend, name, inputs, attrs, donated);
  return Array.isArray(out) ? out : [out];
}

/** @internal As {@link dispatchKernel}, returning what the kernel returns: one info, or several (runKernel wraps one without an array). */
export function invokeKernel(
  backend: Backend,
  name: string,
  inputs: readonly TensorInfo[],
  attrs: Attrs,
  donated?: number,
): TensorInfo | TensorInfo[] {
  const fn = getKernel(name, backend.name);
  if (!fn) {
    const having = [...allKernels()].filter((k) => k.name === name).map((k) => `'${k.backend}'`);
    throw new Error(
      `Kernel '${name}' is not registered for backend '${backend.name}'` +
        (having.length ? `; backends that have it: ${having.join(', ')}` : '; no backend registers it'),
    );
  }
  return fn({ inputs, attrs, backend, donated });
}
