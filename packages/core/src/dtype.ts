/** Element types. float32 is the default everywhere; float64 exists on cpu to serve gradcheck. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The JS array types that hold tensor data; bool is stored one byte per element as 0/1 in a Uint8Array. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** The typed array that holds elements of dtype `D` (bool → Uint8Array). */
export type DataFor<D extends DType> = D extends 'float32'
  ? Float32Array
  : D extends 'float64'
    ? Float64Array
    : D extends 'int32'
      ? Int32Array
      : Uint8Array;

/** Every dtype, in promotion order (bool < int32 < float32 < float64); `promoteTypes` picks the later one. */
export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

/** Bytes one element of `dtype` occupies in its typed array (bool: 1). */
export function bytesPerElement(dtype: DType): number {
  switch (dtype) {
    case 'float64':
      return 8;
    case 'float32':
    case 'int32':
      return 4;
    case 'bool':
      return 1;
  }
}

/** A zero-filled typed array of `size` elements for `dtype`. */
export function allocArray(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

/** True for float32 and float64: the dtypes that can carry gradients. */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** The dtype that holds both, as PyTorch promotes: bool < int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return DTYPES.indexOf(a) >= DTYPES.indexOf(b) ? a : b;
}

/** Throws a TypeError naming `op` unless `dtype` is one of {@link DTYPES}. */
export function assertDType(op: string, dtype: unknown): asserts dtype is DType {
  if (!DTYPES.includes(dtype as DType)) {
    throw new TypeError(`${op}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(', ')}`);
  }
}

/** The dtype a typed array holds; a Uint8Array is read as bool. */
export function dtypeOfArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return 'bool';
}

/**
 * One number as a tensor of `dtype` stores it, by Cast's rules on every backend: bool is v != 0
 * (NaN is true); int32 truncates toward zero and saturates (beyond the range → -2³¹ or 2³¹ - 1,
 * NaN → 0); float32 rounds.
 */
export function castNumber(value: number, dtype: DType): number {
  switch (dtype) {
    case 'bool':
      return +(value !== 0);
    case 'int32':
      if (value >= 2147483647) return 2147483647;
      if (value <= -2147483648) return -2147483648;
      return value | 0; // NaN | 0 is 0; in range, | 0 truncates toward zero
    case 'float32':
      return Math.fround(value);
    case 'float64':
      return value;
  }
}
