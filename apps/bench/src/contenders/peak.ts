/**
 * Peak memory during a call, exactly: the bytes a library holds can only peak just before it frees
 * something, so wrapping its free function and sampling its byte counter there catches every peak.
 */

export interface PeakProbe {
  /** Starts a measurement: the baseline is the bytes held now. */
  begin(): void;
  /** Peak bytes held since begin(), minus the baseline (the end state counts as a sample too). */
  end(): number;
}

/**
 * Wraps `owner[method]` (a function that frees memory) so that each call first samples `bytesHeld()`.
 * The wrapper stays installed; sampling is a few integer reads per free.
 */
export function peakProbe<K extends string>(
  owner: Record<K, (...args: never[]) => unknown>,
  method: K,
  bytesHeld: () => number,
): PeakProbe {
  let baseline = 0;
  let peak = 0;
  const original = owner[method].bind(owner) as (...args: unknown[]) => unknown;
  const sample = () => {
    const now = bytesHeld();
    if (now > peak) peak = now;
  };
  (owner as Record<K, unknown>)[method] = (...args: unknown[]) => {
    sample();
    return original(...args);
  };
  return {
    begin() {
      baseline = bytesHeld();
      peak = baseline;
    },
    end() {
      sample();
      return peak - baseline;
    },
  };
}
