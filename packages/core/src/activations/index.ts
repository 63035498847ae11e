export { type Emitted, emitExpr, jsAlgebra } from './emit.js';
export * from './expr.js';
export { type ActivationPair, type ActivationParams, defineActivationFunction } from './function.js';
export {
  type ForwardLoop,
  forwardLoop,
  forwardLoopSource,
  type GradLoop,
  gradLoop,
  type LoopParams,
  type MaskLoop,
  maskGrad,
  maskLoop,
} from './js-loops.js';
export * from './kinds.js';
export { learnableSurrogateKinds, surrogatePrimitive } from './learnable-surrogate.js';
export * from './library.js';
export { evalExpr, scalarBinary, scalarUnary } from './scalar.js';
export * as scalarMath from './scalar-math.js';
export { evalExprTensor, type Value as ExprValue } from './tensor-eval.js';
