/** Whether ops record the graph. Off inside a custom forward, `noGrad`, and a backward without createGraph. */
let enabled = true;

/** Whether ops record the graph now: false inside `noGrad`, a custom forward, and a backward without createGraph (PyTorch's `torch.is_grad_enabled`). */
export function isGradEnabled(): boolean {
  return enabled && !inference;
}

/** @internal Sets whether ops record and returns the previous setting, for core's hot path (which restores it in a finally). */
export function swapGradMode(mode: boolean): boolean {
  const prev = enabled;
  enabled = mode;
  return prev;
}

export function withGradMode<T>(mode: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = mode;
  try {
    const out = fn();
    if (out instanceof Promise) {
      throw new Error('noGrad/enableGrad/inferenceMode take a synchronous function; await outside it');
    }
    return out;
  } finally {
    enabled = prev;
  }
}

/** Runs fn without recording gradients (PyTorch's torch.no_grad). */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

let inference = false;

/** Whether {@link inferenceMode} is on (PyTorch's `torch.is_inference_mode_enabled`). */
export function isInferenceMode(): boolean {
  return inference;
}

/**
 * Runs fn with no autograd at all, as PyTorch's `torch.inference_mode`: nothing is recorded (as in
 * noGrad, and `enableGrad` inside does not turn recording back on), and ops skip the bookkeeping
 * noGrad still does — saved tensors keep no buffer references, ctx attributes are not scanned, no
 * tangents are looked for. Tensors made inside are inference tensors: they carry no version (an
 * in-place op on them bumps nothing), so outside inferenceMode they can't be saved for a backward
 * or modified in place (an error says so; clone them outside first), exactly PyTorch's rules.
 * In-place ops inside on ordinary tensors still bump their versions, so graphs that saved them
 * stay protected.
 */
export function inferenceMode<T>(fn: () => T): T {
  const prevInference = inference;
  inference = true;
  try {
    return withGradMode(false, fn);
  } finally {
    inference = prevInference;
  }
}

/** Runs fn recording gradients, even inside noGrad (PyTorch's torch.enable_grad). */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}
