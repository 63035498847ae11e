/** Whether ops record the graph. Off inside a custom forward, `noGrad`, and a backward without createGraph. */
let enabled = true;

/** Whether ops record the graph now: false inside `noGrad`, a custom forward, and a backward without createGraph (PyTorch's `torch.is_grad_enabled`). */
export function isGradEnabled(): boolean {
  return enabled;
}

export function withGradMode<T>(mode: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = mode;
  try {
    const out = fn();
    if (out instanceof Promise) {
      throw new Error('noGrad/enableGrad take a synchronous function; await outside it');
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

/** Runs fn recording gradients, even inside noGrad (PyTorch's torch.enable_grad). */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}
