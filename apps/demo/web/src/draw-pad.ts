import { MNIST_SIZES } from '../../src/data/mnist.js';

/**
 * A canvas to draw a digit on, and its conversion to an MNIST-like 28×28 image: the ink's bounding
 * box scaled to fit 20×20 and centered by its center of mass, as the MNIST digits were prepared.
 */
export class DrawPad {
  private drawing = false;
  private last: { x: number; y: number } | null = null;
  private readonly ctx: CanvasRenderingContext2D;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly onChange: () => void,
  ) {
    this.ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => {
      this.drawing = true;
      this.last = this.point(e);
      canvas.setPointerCapture(e.pointerId);
      this.stroke(e);
    });
    canvas.addEventListener('pointermove', (e) => {
      if (this.drawing) this.stroke(e);
    });
    const end = () => {
      if (!this.drawing) return;
      this.drawing = false;
      this.last = null;
      this.onChange();
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointerleave', end);
  }

  clear(): void {
    this.ctx.fillStyle = 'black';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * this.canvas.width) / r.width, y: ((e.clientY - r.top) * this.canvas.height) / r.height };
  }

  private stroke(e: PointerEvent): void {
    const p = this.point(e);
    const from = this.last ?? p;
    const ctx = this.ctx;
    ctx.strokeStyle = 'white';
    ctx.lineWidth = this.canvas.width / 14;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(p.x + 0.01, p.y);
    ctx.stroke();
    this.last = p;
  }

  /** The drawing as 28×28 pixels 0–255, or null when nothing is drawn. */
  pixels(): Uint8Array | null {
    const { width, height } = this.canvas;
    const ink = this.ctx.getImageData(0, 0, width, height).data;
    let x0 = width;
    let y0 = height;
    let x1 = -1;
    let y1 = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if ((ink[(y * width + x) * 4] as number) > 16) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
      }
    }
    if (x1 < 0) return null;
    const size = MNIST_SIZES.rows;
    const boxW = x1 - x0 + 1;
    const boxH = y1 - y0 + 1;
    const scale = 20 / Math.max(boxW, boxH);
    const small = document.createElement('canvas');
    small.width = size;
    small.height = size;
    const sctx = small.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
    sctx.fillStyle = 'black';
    sctx.fillRect(0, 0, size, size);
    sctx.imageSmoothingEnabled = true;
    sctx.imageSmoothingQuality = 'high';
    const w = boxW * scale;
    const h = boxH * scale;
    sctx.drawImage(this.canvas, x0, y0, boxW, boxH, (size - w) / 2, (size - h) / 2, w, h);
    const first = grey(sctx.getImageData(0, 0, size, size).data);
    // Shift so the center of mass sits at the center, as MNIST's preprocessing did.
    let mass = 0;
    let cx = 0;
    let cy = 0;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const v = first[y * size + x] as number;
        mass += v;
        cx += v * x;
        cy += v * y;
      }
    }
    const dx = Math.round((size - 1) / 2 - cx / mass);
    const dy = Math.round((size - 1) / 2 - cy / mass);
    const out = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const sx = x - dx;
        const sy = y - dy;
        if (sx >= 0 && sx < size && sy >= 0 && sy < size) out[y * size + x] = first[sy * size + sx] as number;
      }
    }
    return out;
  }
}

function grey(rgba: Uint8ClampedArray): Uint8Array {
  const out = new Uint8Array(rgba.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = rgba[i * 4] as number;
  return out;
}
