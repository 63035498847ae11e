/** Saving and loading an MLP's weights as JSON (float32 values in base64), in Node and in a page. */
import { noGrad, tensor } from '@surrograd/core';
import type { ActivationChoice } from './activations.js';
import { MLP } from './mlp.js';

const FORMAT = 'surrograd-demo-mlp';
const VERSION = 1;

interface SavedParameter {
  name: string;
  shape: number[];
  base64: string;
}

export interface SavedWeights {
  format: typeof FORMAT;
  version: typeof VERSION;
  sizes: number[];
  activation: ActivationChoice;
  parameters: SavedParameter[];
}

export async function saveWeights(model: MLP): Promise<SavedWeights> {
  const parameters: SavedParameter[] = [];
  for (const [name, p] of model.namedParameters()) {
    const values = (await p.data()) as Float32Array;
    parameters.push({
      name,
      shape: [...p.shape],
      base64: bytesToBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)),
    });
  }
  return { format: FORMAT, version: VERSION, sizes: [...model.sizes], activation: model.activation, parameters };
}

/**
 * A model with the saved weights. `activation` replaces the saved one when given (the weights
 * don't depend on it); `source` names the file in errors.
 */
export function loadWeights(saved: unknown, source: string, activation?: ActivationChoice): MLP {
  const w = saved as Partial<SavedWeights>;
  if (!w || w.format !== FORMAT || w.version !== VERSION || !Array.isArray(w.sizes) || !Array.isArray(w.parameters) || !w.activation) {
    throw new Error(`weights ${source}: not a ${FORMAT} version ${VERSION} file`);
  }
  const sizes = w.sizes as unknown[];
  if (sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_LAYER)) {
    throw new Error(`weights ${source}: layer sizes ${JSON.stringify(sizes)} must be at least two integers from 1 to ${MAX_LAYER}`);
  }
  // Every entry checked before the model allocates anything.
  const byName = new Map<string, SavedParameter>();
  for (const [i, p] of (w.parameters as unknown[]).entries()) {
    const entry = p as Partial<SavedParameter>;
    if (!entry || typeof entry.name !== 'string' || typeof entry.base64 !== 'string' || !Array.isArray(entry.shape)) {
      throw new Error(`weights ${source}: parameter ${i} needs a name, a shape and base64 data`);
    }
    byName.set(entry.name, entry as SavedParameter);
  }
  const model = new MLP(sizes as number[], activation ?? w.activation, 0);
  try {
    noGrad(() => {
      for (const [name, p] of model.namedParameters()) {
        const entry = byName.get(name);
        if (!entry) throw new Error(`weights ${source}: parameter ${name} is missing`);
        if (entry.shape.join() !== p.shape.join()) {
          throw new Error(`weights ${source}: parameter ${name} has shape [${entry.shape.join(', ')}], expected [${p.shape.join(', ')}]`);
        }
        const bytes = base64ToBytes(entry.base64, `weights ${source}: parameter ${name}`);
        if (bytes.byteLength !== p.size * 4)
          throw new Error(`weights ${source}: parameter ${name} has ${bytes.byteLength} bytes, expected ${p.size * 4}`);
        const values = tensor(new Float32Array(bytes.buffer, bytes.byteOffset, p.size), { shape: p.shape });
        p.assign(values);
        values.dispose();
      }
    });
  } catch (err) {
    model.dispose();
    throw err;
  }
  return model;
}

/** The widest layer a saved file may ask for: larger is a corrupt file, not an MLP to allocate. */
const MAX_LAYER = 1 << 16;

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

function base64ToBytes(base64: string, what: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    throw new Error(`${what}: its data is not valid base64`);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
