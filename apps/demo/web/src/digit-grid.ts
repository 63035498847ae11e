import type { MnistSplit } from '../../src/data/mnist.js';

/** A grid of test digits, each with the model's prediction (green when right, red when wrong). */
export class DigitGrid {
  private readonly cells: { root: HTMLElement; caption: HTMLElement }[] = [];

  constructor(
    container: HTMLElement,
    readonly split: MnistSplit,
    readonly count: number,
  ) {
    container.replaceChildren();
    const per = split.rows * split.cols;
    for (let i = 0; i < count; i++) {
      const root = document.createElement('div');
      root.className = 'digit';
      const canvas = document.createElement('canvas');
      canvas.width = split.cols;
      canvas.height = split.rows;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      const image = ctx.createImageData(split.cols, split.rows);
      for (let p = 0; p < per; p++) {
        const v = split.pixels[i * per + p] as number;
        image.data.set([v, v, v, 255], p * 4);
      }
      ctx.putImageData(image, 0, 0);
      const caption = document.createElement('div');
      caption.textContent = `label ${split.labels[i]}`;
      root.append(canvas, caption);
      container.append(root);
      this.cells.push({ root, caption });
    }
  }

  show(predictions: readonly number[]): number {
    let right = 0;
    this.cells.forEach((cell, i) => {
      const label = this.split.labels[i] as number;
      const predicted = predictions[i] as number;
      const ok = predicted === label;
      if (ok) right++;
      cell.root.className = `digit ${ok ? 'right' : 'wrong'}`;
      cell.caption.textContent = `${predicted} (${label})`;
    });
    return right;
  }
}
