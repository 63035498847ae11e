import cliProgress from 'cli-progress';
import type { StepRecord } from '../train/trainer.js';

/**
 * A per-epoch progress bar on stderr with the running loss and throughput. cli-progress draws
 * nothing when stderr is not a terminal, so logs and pipes stay clean.
 */
export class EpochProgress {
  private bar: cliProgress.SingleBar | null = null;
  private images = 0;
  private ms = 0;
  private smoothLoss = Number.NaN;

  constructor(
    private readonly epochs: number,
    private readonly batch: number,
  ) {}

  start(epoch: number, steps: number): void {
    this.stop();
    this.images = 0;
    this.ms = 0;
    this.bar = new cliProgress.SingleBar(
      {
        format: `epoch ${epoch}/${this.epochs} {bar} {value}/{total} steps | loss {loss} | {throughput} img/s | eta {eta_formatted}`,
        barsize: 28,
        hideCursor: true,
        etaBuffer: 50,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(steps, 0, { loss: '  -   ', throughput: '-' });
  }

  step(record: StepRecord): void {
    this.images += this.batch;
    this.ms += record.ms;
    // An exponential average reads steadier than the noisy per-batch loss.
    this.smoothLoss = Number.isNaN(this.smoothLoss) ? record.loss : 0.95 * this.smoothLoss + 0.05 * record.loss;
    this.bar?.increment(1, { loss: this.smoothLoss.toFixed(4), throughput: Math.round(this.images / (this.ms / 1000)).toString() });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
