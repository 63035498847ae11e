/**
 * A spike raster: one row per neuron, one column per time step, a dot where the neuron spiked —
 * the hidden layer's first neurons above, the 10 output neurons below (the label's row marked).
 */
export class SpikeRaster {
  constructor(private readonly canvas: HTMLCanvasElement) {}

  /**
   * Draws `hidden` [steps × hiddenShown] and `output` [steps × 10] spikes (non-zero = spike), row-major
   * by step; `label` is the output neuron the net predicts.
   */
  draw(hidden: ArrayLike<number>, hiddenShown: number, output: ArrayLike<number>, steps: number, label: number): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width, height } = this.canvas;
    const left = 44;
    const top = 14;
    const gap = 16;
    // The hidden neurons in the upper two thirds, the 10 outputs below in rows tall enough to read.
    const hiddenH = (height - top - gap) * 0.66;
    const outputH = height - top - gap - hiddenH;
    const cellW = (width - left - 4) / steps;
    const hiddenRow = hiddenH / hiddenShown;
    const outputRow = outputH / 10;
    const outputTop = top + hiddenH + gap;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = '#4b5567';
    ctx.font = '11px sans-serif';
    ctx.fillText(`hidden (${hiddenShown})`, 2, 11);
    ctx.fillText('outputs', 2, outputTop - 4);
    const dot = (t: number, y: number, h: number, color: string) => {
      ctx.fillStyle = color;
      ctx.fillRect(left + t * cellW + 0.5, y + 0.5, Math.max(1, cellW - 1), Math.max(1, h - 1));
    };
    for (let t = 0; t < steps; t++) {
      for (let j = 0; j < hiddenShown; j++)
        if ((hidden[t * hiddenShown + j] as number) !== 0) dot(t, top + j * hiddenRow, hiddenRow, '#3b6fd8');
      for (let j = 0; j < 10; j++) {
        if ((output[t * 10 + j] as number) !== 0) dot(t, outputTop + j * outputRow, outputRow, j === label ? '#c9372c' : '#1d2330');
      }
    }
    ctx.fillStyle = '#4b5567';
    ctx.font = `${Math.min(11, Math.floor(outputRow))}px sans-serif`;
    for (let j = 0; j < 10; j++) ctx.fillText(String(j), left - 12, outputTop + (j + 1) * outputRow - 2);
  }
}
