/**
 * The safetensors format (huggingface/safetensors), which PyTorch's `safetensors.torch` reads and
 * writes: an 8-byte little-endian header length, a JSON header (each tensor's dtype, shape and
 * [begin, end) byte offsets into the data, and an optional `__metadata__` of strings) padded with
 * spaces to 8 bytes, then the tensors' little-endian bytes, back to back.
 */
import { allocArray, type DType, type TypedArray } from '../dtype.js';
import { fromValues } from '../ops/creation.js';
import { currentBackend } from '../registry.js';
import { fmt, show, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';

/** The format's dtype names this library writes, per stored dtype. */
const WRITE_DTYPE: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };

/** Bytes per element of each dtype read. */
const ITEM_BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/** Options of {@link loadSafetensors}. */
export interface LoadSafetensorsOptions {
  /** Only these tensors (default all). */
  keys?: readonly string[];
}

/** A file's tensors with its `__metadata__` (string pairs), from {@link readSafetensors}. */
export interface SafetensorsContents {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/**
 * The safetensors bytes of `tensors` (float32, float64, int32 and bool), with `metadata` in the
 * header's `__metadata__`: what `safetensors.torch.load_file` reads. Async because reading a
 * tensor's values is (on WebGPU).
 */
export async function saveSafetensors(
  tensors: Readonly<Record<string, Tensor>>,
  metadata: Readonly<Record<string, string>> = {},
): Promise<Uint8Array> {
  if (tensors === null || typeof tensors !== 'object')
    throw new TypeError(`saveSafetensors: expected a record of tensors, got ${show(tensors)}`);
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new TypeError(`saveSafetensors: metadata '${k}' must be a string, got ${show(v)}`);
  }
  const entries = Object.entries(tensors);
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new RangeError("saveSafetensors: '__metadata__' is reserved for the header's metadata");
    if (!(t instanceof Tensor)) throw new TypeError(`saveSafetensors: '${name}' must be a Tensor, got ${show(t)}`);
    t.assertAlive('saveSafetensors');
  }
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of entries) {
    const bytes = littleEndianBytes(await t.data());
    header[name] = { dtype: WRITE_DTYPE[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let at = 8 + json.byteLength;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** A typed array's bytes in little-endian order (a copy on big-endian hosts). */
function littleEndianBytes(values: TypedArray): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (LITTLE_ENDIAN || values.BYTES_PER_ELEMENT === 1) return bytes;
  const out = new Uint8Array(bytes);
  const w = values.BYTES_PER_ELEMENT;
  for (let i = 0; i < out.length; i += w) out.subarray(i, i + w).reverse();
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** Parses and checks the header: every entry's dtype, shape and offsets, which must tile the data exactly. */
function parseHeader(bytes: Uint8Array): { entries: [string, HeaderEntry][]; metadata: Record<string, string>; dataStart: number } {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`loadSafetensors: expected the file's bytes as a Uint8Array, got ${show(bytes)}`);
  if (bytes.byteLength < 8)
    throw new RangeError(`loadSafetensors: ${bytes.byteLength} bytes is too short for a safetensors file (8-byte header length first)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(bytes.byteLength - 8)) {
    throw new RangeError(`loadSafetensors: the header length ${n} is past the end of the ${bytes.byteLength}-byte file`);
  }
  const dataStart = 8 + Number(n);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (err) {
    throw new SyntaxError(`loadSafetensors: the header is not valid UTF-8 JSON (${(err as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    throw new SyntaxError('loadSafetensors: the header must be a JSON object');
  const metadata: Record<string, string> = {};
  const entries: [string, HeaderEntry][] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      for (const [k, v] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
        if (typeof v !== 'string') throw new SyntaxError(`loadSafetensors: __metadata__ '${k}' must be a string, got ${show(v)}`);
        metadata[k] = v;
      }
      continue;
    }
    const e = raw as Partial<HeaderEntry>;
    const item = ITEM_BYTES[e?.dtype as string];
    if (item === undefined)
      throw new TypeError(`loadSafetensors: '${name}' has dtype ${show(e?.dtype)}; known: ${Object.keys(ITEM_BYTES).join(', ')}`);
    if (!Array.isArray(e.shape) || e.shape.some((s) => !Number.isInteger(s) || s < 0)) {
      throw new SyntaxError(`loadSafetensors: '${name}' has shape ${show(e.shape)}, expected non-negative integers`);
    }
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isInteger(o) && o >= 0) || off[1] < off[0]) {
      throw new SyntaxError(`loadSafetensors: '${name}' has data_offsets ${show(off)}, expected [begin, end]`);
    }
    if (off[1] - off[0] !== sizeOf(e.shape) * item) {
      throw new RangeError(
        `loadSafetensors: '${name}' (${e.dtype} ${fmt(e.shape)}) needs ${sizeOf(e.shape) * item} bytes, its offsets span ${off[1] - off[0]}`,
      );
    }
    entries.push([name, e as HeaderEntry]);
  }
  // The data must be tiled exactly: no holes, no overlaps, nothing past the end.
  const sorted = [...entries].sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0]);
  let end = 0;
  for (const [name, e] of sorted) {
    if (e.data_offsets[0] !== end)
      throw new RangeError(
        `loadSafetensors: '${name}' starts at byte ${e.data_offsets[0]} of the data, expected ${end} (offsets must tile the data)`,
      );
    end = e.data_offsets[1];
  }
  if (dataStart + end !== bytes.byteLength) {
    throw new RangeError(`loadSafetensors: the tensors cover ${end} bytes of data, but the file holds ${bytes.byteLength - dataStart}`);
  }
  return { entries, metadata, dataStart };
}

/** The dtype a file dtype loads as: float32 for F16/BF16, int32 for the integer types, float64 only where the backend has it. */
function loadedDType(fileDType: string): DType {
  if (fileDType === 'F64') return currentBackend().dtypes.includes('float64') ? 'float64' : 'float32';
  if (fileDType === 'BOOL') return 'bool';
  if (fileDType === 'F32' || fileDType === 'F16' || fileDType === 'BF16') return 'float32';
  return 'int32';
}

/** An IEEE half's value. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** File dtypes whose bytes are a typed array of the loaded dtype as they are (on a little-endian host). */
const SAME_LAYOUT: Record<string, [DType, new (b: ArrayBuffer) => TypedArray]> = {
  F32: ['float32', Float32Array],
  F64: ['float64', Float64Array],
  I32: ['int32', Int32Array],
};

const BF16_BITS = new Uint32Array(1);
const BF16_VALUE = new Float32Array(BF16_BITS.buffer);

/** A reader of element i's value at byte p, chosen once per entry. */
function readerOf(name: string, fileDType: string, view: DataView): (p: number, i: number) => number {
  switch (fileDType) {
    case 'F64':
      return (p) => view.getFloat64(p, true);
    case 'F32':
      return (p) => view.getFloat32(p, true);
    case 'F16':
      return (p) => halfToFloat(view.getUint16(p, true));
    case 'BF16':
      return (p) => {
        BF16_BITS[0] = view.getUint16(p, true) << 16;
        return BF16_VALUE[0] as number;
      };
    case 'I64':
      return (p, i) => {
        const v = view.getBigInt64(p, true);
        if (v < -2147483648n || v > 2147483647n) {
          throw new RangeError(
            `loadSafetensors: '${name}' (I64) holds ${v} at index ${i}, outside int32's range; int32 is the widest integer dtype here`,
          );
        }
        return Number(v);
      };
    case 'I32':
      return (p) => view.getInt32(p, true);
    case 'I16':
      return (p) => view.getInt16(p, true);
    case 'I8':
      return (p) => view.getInt8(p);
    case 'U8':
      return (p) => view.getUint8(p);
    default:
      return (p) => (view.getUint8(p) !== 0 ? 1 : 0);
  }
}

/**
 * One entry's values, decoded from its little-endian bytes into the loaded dtype's array: a copy
 * of the bytes where the layouts agree (F32, F64, I32), element by element elsewhere.
 */
function decode(name: string, e: HeaderEntry, view: DataView, start: number, dtype: DType): TypedArray {
  const n = sizeOf(e.shape);
  const begin = start + e.data_offsets[0];
  const same = SAME_LAYOUT[e.dtype];
  if (LITTLE_ENDIAN && same && same[0] === dtype) {
    // slice() copies into a fresh, aligned buffer.
    return new same[1](new Uint8Array(view.buffer, view.byteOffset + begin, e.data_offsets[1] - e.data_offsets[0]).slice().buffer);
  }
  const out = allocArray(dtype, n);
  const item = ITEM_BYTES[e.dtype] as number;
  const read = readerOf(name, e.dtype, view);
  for (let i = 0; i < n; i++) out[i] = read(begin + i * item, i);
  return out;
}

/**
 * The tensors and metadata of a safetensors file, on the current backend. F16 and BF16 load as
 * float32, I64/I16/I8/U8 as int32 (an I64 value outside int32's range is an error), F64 as float64
 * where the backend has it and float32 elsewhere. The whole file is checked before any tensor is made.
 */
export function readSafetensors(bytes: Uint8Array, options: LoadSafetensorsOptions = {}): SafetensorsContents {
  const { entries, metadata, dataStart } = parseHeader(bytes);
  const wanted = options.keys ? new Set(options.keys) : null;
  if (wanted) {
    const missing = [...wanted].filter((k) => !entries.some(([name]) => name === k));
    if (missing.length) throw new RangeError(`loadSafetensors: the file has no tensor ${missing.map((k) => `'${k}'`).join(', ')}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const picked = entries.filter(([name]) => !wanted || wanted.has(name));
  const decoded = picked.map(([name, e]) => {
    const dtype = loadedDType(e.dtype);
    return [name, decode(name, e, view, dataStart, dtype), e.shape, dtype] as const;
  });
  const tensors: Record<string, Tensor> = {};
  try {
    for (const [name, values, shape, dtype] of decoded) tensors[name] = fromValues(values, shape, dtype, 'loadSafetensors');
  } catch (err) {
    for (const t of Object.values(tensors)) t.dispose();
    throw err;
  }
  return { tensors, metadata };
}

/** The tensors of a safetensors file (see {@link readSafetensors}, which also gives its metadata). */
export function loadSafetensors(bytes: Uint8Array, options: LoadSafetensorsOptions = {}): Record<string, Tensor> {
  return readSafetensors(bytes, options).tensors;
}
