/**
 * The IDX format of the original MNIST files: two zero bytes, a type code (0x08 = unsigned byte),
 * the number of dimensions, each dimension as a big-endian uint32, then the values row-major.
 */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

/** Parses an IDX file of unsigned bytes with `rank` dimensions; errors name the file. */
export function parseIdx(bytes: Uint8Array, fileName: string, rank: number): IdxArray {
  const fail = (why: string) => new Error(`IDX file ${fileName}: ${why}`);
  if (bytes.length < 4) throw fail(`has ${bytes.length} bytes, too short for the 4-byte magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const expectedMagic = (UBYTE << 8) | rank;
  if (magic !== expectedMagic) {
    throw fail(`magic number is 0x${hex(magic)}, expected 0x${hex(expectedMagic)} (unsigned bytes, ${rank} dimensions); is it corrupt?`);
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw fail(`has ${bytes.length} bytes, too short for its ${headerBytes}-byte header`);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i));
  const expectedData = dims.reduce((a, b) => a * b, 1);
  const actualData = bytes.length - headerBytes;
  if (actualData !== expectedData) {
    throw fail(
      `header says dimensions [${dims.join(', ')}] (${expectedData} bytes of data) but the file has ${actualData}; ` +
        (actualData < expectedData ? 'it is truncated' : 'it has trailing bytes'),
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

function hex(v: number): string {
  return v.toString(16).padStart(8, '0');
}
