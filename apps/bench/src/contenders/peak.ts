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
 * Wraps `owner[method]` (a function that frees memory) so that each call between begin() and end()
 * first samples `bytesHeld()`. The wrapper stays installed; outside a measurement it costs one
 * flag test per free, so the sections that time dispatch do not time the probe.
 */
export function peakProbe<K extends string>(
  owner: Record<K, (...args: never[]) => unknown>,
  method: K,
  bytesHeld: () => number,
): PeakProbe {
  let baseline = 0;
  let peak = 0;
  let measuring = false;
  const original = owner[method].bind(owner) as (...args: unknown[]) => unknown;
  const sample = () => {
    const now = bytesHeld();
    if (now > peak) peak = now;
  };
  (owner as Record<K, unknown>)[method] = (...args: unknown[]) => {
    if (measuring) sample();
    return original(...args);
  };
  return {
    begin() {
      baseline = bytesHeld();
      peak = baseline;
      measuring = true;
    },
    end() {
      sample();
      measuring = false;
      return peak - baseline;
    },
  };
}
