export { Adagrad, type AdagradOptions } from './adagrad.js';
export { Adam, type AdamOptions, AdamW } from './adam.js';
export {
  CosineAnnealingLR,
  LinearLR,
  LRScheduler,
  OneCycleLR,
  type OneCycleOptions,
  type ScheduledOptimizer,
  SequentialLR,
  StepLR,
} from './lr-scheduler.js';
export { Optimizer } from './optimizer.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { SGD, type SGDOptions } from './sgd.js';
