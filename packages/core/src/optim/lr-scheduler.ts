/**
 * Learning-rate schedules, as `torch.optim.lr_scheduler`'s: each sets its optimizer's `options.lr`
 * (which every optimizer reads at each step) from a closed form of the number of `step()` calls.
 * As in PyTorch, call `scheduler.step()` after `optimizer.step()`; constructing one sets the lr of
 * step 0.
 */
import { show } from '../shape.js';

/** What a scheduler drives: any optimizer here (its `options.lr`), or an object shaped like one. */
export interface ScheduledOptimizer {
  options: { lr: number };
}

function positiveInt(name: string, key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new RangeError(`${name}: ${key} must be a positive integer, got ${show(v)}`);
  return v;
}

function finite(name: string, key: string, v: unknown, min = Number.NEGATIVE_INFINITY): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min)
    throw new RangeError(`${name}: ${key} must be a finite number ≥ ${min}, got ${show(v)}`);
  return v;
}

const INITIAL_LR = new WeakMap<ScheduledOptimizer, number>();

/** Base of the schedules: the lr at step t is `lrAt(t)`, t counting `step()` calls from 0. */
export abstract class LRScheduler {
  /** The optimizer's lr when its first scheduler was made: what the schedule scales. */
  readonly baseLr: number;
  /** Number of `step()` calls so far (PyTorch's `last_epoch`). */
  lastEpoch = 0;

  constructor(
    readonly optimizer: ScheduledOptimizer,
    /** The schedule's name, shown in errors. */
    readonly name: string,
  ) {
    if (!optimizer || typeof optimizer !== 'object' || typeof optimizer.options?.lr !== 'number') {
      throw new TypeError(`${name}: expected an optimizer (with options.lr), got ${show(optimizer)}`);
    }
    // As PyTorch's `initial_lr`: the first scheduler of an optimizer records its lr, and every
    // later one (the parts of a SequentialLR) scales that, not the lr an earlier one set.
    if (!INITIAL_LR.has(optimizer)) INITIAL_LR.set(optimizer, optimizer.options.lr);
    this.baseLr = INITIAL_LR.get(optimizer) as number;
  }

  /** The lr of step t (t ≥ 0) of this schedule. */
  abstract lrAt(t: number): number;

  /** Sets the lr of step 0; subclasses call it once their fields are set. */
  protected start(): void {
    this.optimizer.options.lr = this.lrAt(0);
  }

  /** Advances one step and sets the optimizer's lr for it. */
  step(): void {
    this.lastEpoch++;
    this.optimizer.options.lr = this.lrAt(this.lastEpoch);
  }

  /** The lr set last (PyTorch's `get_last_lr()`, one group). */
  getLastLr(): number {
    return this.optimizer.options.lr;
  }
}

/** lr·gamma^⌊t / stepSize⌋ (PyTorch's `StepLR`). */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: ScheduledOptimizer, options: { stepSize: number; gamma?: number }) {
    super(optimizer, 'StepLR');
    this.stepSize = positiveInt('StepLR', 'stepSize', options?.stepSize);
    this.gamma = finite('StepLR', 'gamma', options.gamma ?? 0.1, 0);
    this.start();
  }
  lrAt(t: number): number {
    return this.baseLr * this.gamma ** Math.floor(t / this.stepSize);
  }
}

/** From etaMin + (lr − etaMin)·(1 + cos(πt / tMax)) / 2, a half cosine over tMax steps (PyTorch's `CosineAnnealingLR`, closed form). */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;
  constructor(optimizer: ScheduledOptimizer, options: { tMax: number; etaMin?: number }) {
    super(optimizer, 'CosineAnnealingLR');
    this.tMax = positiveInt('CosineAnnealingLR', 'tMax', options?.tMax);
    this.etaMin = finite('CosineAnnealingLR', 'etaMin', options.etaMin ?? 0, 0);
    this.start();
  }
  lrAt(t: number): number {
    return this.etaMin + ((this.baseLr - this.etaMin) * (1 + Math.cos((Math.PI * t) / this.tMax))) / 2;
  }
}

/** lr scaled by a factor going linearly from startFactor to endFactor over totalIters steps (PyTorch's `LinearLR`, a warm-up). */
export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;
  constructor(optimizer: ScheduledOptimizer, options: { startFactor?: number; endFactor?: number; totalIters?: number } = {}) {
    super(optimizer, 'LinearLR');
    this.startFactor = finite('LinearLR', 'startFactor', options.startFactor ?? 1 / 3, 0);
    this.endFactor = finite('LinearLR', 'endFactor', options.endFactor ?? 1, 0);
    if (this.startFactor === 0 || this.startFactor > 1 || this.endFactor > 1) {
      throw new RangeError(
        `LinearLR: startFactor must be in (0, 1] and endFactor in [0, 1], got ${this.startFactor} and ${this.endFactor}`,
      );
    }
    this.totalIters = positiveInt('LinearLR', 'totalIters', options.totalIters ?? 5);
    this.start();
  }
  lrAt(t: number): number {
    return this.baseLr * (this.startFactor + ((this.endFactor - this.startFactor) * Math.min(t, this.totalIters)) / this.totalIters);
  }
}

/** Options of {@link OneCycleLR}, as PyTorch's. */
export interface OneCycleOptions {
  /** The peak lr. */
  maxLr: number;
  /** Steps in the cycle; stepping past the last is an error. */
  totalSteps: number;
  /** Fraction of the steps spent rising (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear'. */
  annealStrategy?: 'cos' | 'linear';
  /** The first lr is maxLr / divFactor (default 25). */
  divFactor?: number;
  /** The last lr is the first / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Rise, fall back to the first lr, then anneal to the last (default false: rise, then anneal). */
  threePhase?: boolean;
}

/**
 * The 1cycle policy (Smith & Topin), as PyTorch's `OneCycleLR` without momentum cycling: the lr
 * rises from maxLr / divFactor to maxLr, then anneals to maxLr / (divFactor·finalDivFactor).
 */
export class OneCycleLR extends LRScheduler {
  private readonly phases: { end: number; from: number; to: number }[];
  readonly totalSteps: number;
  readonly anneal: 'cos' | 'linear';

  constructor(optimizer: ScheduledOptimizer, options: OneCycleOptions) {
    super(optimizer, 'OneCycleLR');
    const name = 'OneCycleLR';
    const maxLr = finite(name, 'maxLr', options?.maxLr, 0);
    this.totalSteps = positiveInt(name, 'totalSteps', options.totalSteps);
    const pct = finite(name, 'pctStart', options.pctStart ?? 0.3, 0);
    if (pct > 1) throw new RangeError(`${name}: pctStart must be in [0, 1], got ${pct}`);
    this.anneal = options.annealStrategy ?? 'cos';
    if (this.anneal !== 'cos' && this.anneal !== 'linear')
      throw new RangeError(`${name}: annealStrategy must be 'cos' or 'linear', got ${show(this.anneal)}`);
    const initial = maxLr / finite(name, 'divFactor', options.divFactor ?? 25, Number.MIN_VALUE);
    const min = initial / finite(name, 'finalDivFactor', options.finalDivFactor ?? 1e4, Number.MIN_VALUE);
    const rise = pct * this.totalSteps - 1;
    this.phases = options.threePhase
      ? [
          { end: rise, from: initial, to: maxLr },
          { end: 2 * pct * this.totalSteps - 2, from: maxLr, to: initial },
          { end: this.totalSteps - 1, from: initial, to: min },
        ]
      : [
          { end: rise, from: initial, to: maxLr },
          { end: this.totalSteps - 1, from: maxLr, to: min },
        ];
    this.start();
  }

  lrAt(t: number): number {
    if (t > this.totalSteps) {
      throw new RangeError(
        `OneCycleLR: stepped ${t} times, past totalSteps ${this.totalSteps}; make totalSteps the number of optimizer steps`,
      );
    }
    let start = 0;
    for (let i = 0; i < this.phases.length; i++) {
      const phase = this.phases[i] as { end: number; from: number; to: number };
      if (t <= phase.end || i === this.phases.length - 1) {
        const p = (t - start) / (phase.end - start);
        return this.anneal === 'cos'
          ? phase.to + ((phase.from - phase.to) / 2) * (Math.cos(Math.PI * p) + 1)
          : (phase.to - phase.from) * p + phase.from;
      }
      start = phase.end;
    }
    return this.optimizer.options.lr;
  }
}

/**
 * Schedules one after another: `schedulers[i]` runs from `milestones[i − 1]` on, its own steps
 * counted from there (PyTorch's `SequentialLR`, e.g. a LinearLR warm-up, then a cosine).
 */
export class SequentialLR extends LRScheduler {
  readonly schedulers: readonly LRScheduler[];
  readonly milestones: readonly number[];

  constructor(optimizer: ScheduledOptimizer, options: { schedulers: readonly LRScheduler[]; milestones: readonly number[] }) {
    super(optimizer, 'SequentialLR');
    const { schedulers, milestones } = options ?? {};
    if (!Array.isArray(schedulers) || schedulers.length === 0 || schedulers.some((s) => !(s instanceof LRScheduler))) {
      throw new TypeError('SequentialLR: schedulers must be a non-empty array of schedulers');
    }
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw new RangeError(
        `SequentialLR: expected ${schedulers.length - 1} milestones for ${schedulers.length} schedulers, got ${show(milestones)}`,
      );
    }
    milestones.forEach((m, i) => {
      if (!Number.isInteger(m) || m < 1 || (i > 0 && m <= (milestones[i - 1] as number))) {
        throw new RangeError(`SequentialLR: milestones must be increasing positive integers, got ${show(milestones)}`);
      }
    });
    for (const s of schedulers) {
      if (s.optimizer !== optimizer) throw new Error('SequentialLR: every scheduler must drive the same optimizer');
    }
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.start();
  }

  lrAt(t: number): number {
    let i = 0;
    while (i < this.milestones.length && t >= (this.milestones[i] as number)) i++;
    const from = i === 0 ? 0 : (this.milestones[i - 1] as number);
    return (this.schedulers[i] as LRScheduler).lrAt(t - from);
  }
}
