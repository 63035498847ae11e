export * from './activations.js';
export {
  Conv1d,
  type Conv1dModuleOptions,
  Conv2d,
  type Conv2dModuleOptions,
  ConvTranspose2d,
  type ConvTranspose2dModuleOptions,
} from './conv.js';
export * as init from './init.js';
export {
  Dropout,
  Embedding,
  type EmbeddingModuleOptions,
  Flatten,
  Identity,
  ModuleDict,
  ModuleList,
  Unflatten,
  Upsample,
} from './layers.js';
export { Linear, type LinearOptions, linear } from './linear.js';
export type { LoadStateDictResult } from './load-state-dict.js';
export { crossEntropy, mseLoss } from './losses.js';
export { type AnyModule, Module } from './module.js';
export type { ForwardHook, ForwardPreHook, FullBackwardHook } from './module-hooks.js';
export {
  BatchNorm1d,
  BatchNorm2d,
  type BatchNormModuleOptions,
  GroupNorm,
  LayerNorm,
  type LayerNormModuleOptions,
} from './normalization.js';
export { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './pooling.js';
export { Sequential } from './sequential.js';
export * as utils from './utils.js';
