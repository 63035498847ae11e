export { Adam, type AdamOptions, AdamW } from './adam.js';
export { Optimizer } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
