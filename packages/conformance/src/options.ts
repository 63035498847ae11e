/** What a backend author passes to runConformance, and the resolved settings the suites share. */

/** |actual - expected| <= atol + rtol * |expected|, elementwise. */
export interface Tolerance {
  /** Relative tolerance. */
  rtol: number;
  /** Absolute tolerance. */
  atol: number;
}

/** What a backend's test file passes to {@link runConformance}. */
export interface ConformanceOptions {
  /** The registered backend name, as given to setBackend. */
  backend: string;
  /**
   * Loosens (or tightens) the golden comparisons. Defaults suit float32 arithmetic that may
   * differ from PyTorch's in summation order and last-bit rounding of transcendental functions.
   */
  tolerance?: Partial<Tolerance>;
  /**
   * Test ids to skip, each an exact id or a prefix ending at a `/` boundary:
   * 'ops' skips every golden op, 'ops/max/ties' the tie-breaking cases, 'memory' the memory suite.
   * Ids are printed as test names ('<suite>/<case>').
   */
  skip?: string[];
  /** Per-test timeout for the large-size suite, in ms (slow backends, emulated GPUs). */
  largeTimeoutMs?: number;
  /**
   * The backend's Unary, Binary, Where and Activation kernels accept a donated input
   * (`KernelArgs.donated`): the kit then also checks that an in-place op on a tensor that is its
   * buffer's only holder writes into that buffer, allocating nothing.
   */
  inPlaceKernels?: boolean;
}

/** The golden-comparison tolerance used where `tolerance` leaves a field out: rtol 1e-4, atol 1e-5. */
export const DEFAULT_TOLERANCE: Tolerance = { rtol: 1e-4, atol: 1e-5 };

/** Settings every suite reads; `float64` is known only once the backend is set. */
export interface KitContext {
  backend: string;
  tolerance: Tolerance;
  largeTimeoutMs: number;
  isSkipped(id: string): boolean;
  float64: boolean;
  inPlaceKernels: boolean;
}

export function resolveOptions(options: ConformanceOptions): KitContext {
  if (!options || typeof options.backend !== 'string' || options.backend === '') {
    throw new TypeError("runConformance: expected { backend: string }, e.g. runConformance({ backend: 'cpu' })");
  }
  const skip = options.skip ?? [];
  return {
    backend: options.backend,
    tolerance: { ...DEFAULT_TOLERANCE, ...options.tolerance },
    largeTimeoutMs: options.largeTimeoutMs ?? 120_000,
    isSkipped: (id) => skip.some((s) => id === s || id.startsWith(s.endsWith('/') ? s : `${s}/`)),
    float64: false,
    inPlaceKernels: options.inPlaceKernels === true,
  };
}
