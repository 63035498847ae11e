/** memory() snapshots, compared field by field so a leak says which count moved. */
import { memory } from '@surrograd/core';

export interface Snapshot {
  numTensors: number;
  numBytes: number;
  numDataBuffers: number;
}

export function snapshot(): Snapshot {
  const m = memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes, numDataBuffers: m.numDataBuffers };
}

export function expectSameMemory(label: string, before: Snapshot, after: Snapshot): void {
  const diffs = (Object.keys(before) as (keyof Snapshot)[])
    .filter((k) => before[k] !== after[k])
    .map((k) => `${k} ${before[k]} → ${after[k]}`);
  if (diffs.length) throw new Error(`${label}: memory() changed: ${diffs.join(', ')}`);
}
