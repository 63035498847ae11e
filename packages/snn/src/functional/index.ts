/** snnTorch's `functional`: spike losses, accuracy and regularizers. */
export { accuracyRate } from './accuracy.js';
export {
  ceCountLoss,
  ceMaxMembraneLoss,
  ceRateLoss,
  type Labels,
  type MseCountLossOptions,
  type MseMembraneLossOptions,
  mseCountLoss,
  mseMembraneLoss,
  type SpikeLoss,
} from './loss.js';
export { l1RateSparsity, l2SpikeCount } from './regularization.js';
export type { PopulationOptions } from './targets.js';
