export * from './activations.js';
export { Linear, type LinearOptions } from './linear.js';
export { crossEntropy, mseLoss } from './losses.js';
export { Module } from './module.js';
export type { ForwardHook, ForwardPreHook, FullBackwardHook } from './module-hooks.js';
export { Sequential } from './sequential.js';
