import type { Attrs, Backend, TensorInfo } from '../backend.js';
import { currentBackend, invokeKernel } from '../registry.js';
import { Tensor } from '../tensor.js';
import { donatedInput, donationAccepted } from './donation.js';

/**
 * Runs a registered kernel on tensors (on their backend; the current one when there are none)
 * and wraps what it returns. Not differentiable by itself: differentiable ops call it from a
 * Function's forward and backward.
 */
export function runKernel<T extends Tensor | Tensor[] = Tensor>(name: string, inputs: readonly Tensor[], attrs: Attrs = {}): T {
  const backend = inputs.length ? (inputs[0] as Tensor).backend : currentBackend();
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i] as Tensor;
    if (!(t instanceof Tensor)) throw new TypeError(`runKernel('${name}'): input ${i} is not a Tensor`);
    t.assertAlive(name);
    if (t.backend !== backend) {
      throw new Error(`${name}: input ${i} is on backend '${t.backend.name}' but input 0 is on '${backend.name}'; move one first`);
    }
  }
  const donated = donatedInput(inputs);
  const out = invokeKernel(backend, name, inputs, attrs, donated);
  // One output, most kernels' case, without the arrays.
  if (!Array.isArray(out)) return wrapOutput(out, backend, inputs, donated) as T;
  const outs = out.map((info) => wrapOutput(info, backend, inputs, donated));
  return (outs.length === 1 ? outs[0] : outs) as T;
}

/** A kernel's output as a tensor that owns its buffer, or shares the donated input's storage when the kernel wrote there. */
function wrapOutput(info: TensorInfo, backend: Backend, inputs: readonly Tensor[], donated: number | undefined): Tensor {
  if (donated === undefined || info.dataId !== (inputs[donated] as Tensor).dataId) return Tensor.fromInfo(info, backend);
  // The kernel wrote into the donated buffer: the output shares its Storage, so it is freed once.
  const t = new Tensor((inputs[donated] as Tensor).storage.retain(), [...info.shape], info.dtype);
  donationAccepted(t);
  return t;
}
