// Every kernel the host calls, one export each. Pointers are byte offsets into this module's
// memory, handed out by the host's allocator above heapBase().
export { heapBase, scratch } from './scratch';
export { binaryI32, binaryRowsF32, binaryRunF32, binaryU8, unaryF32, unaryI32, unaryU8 } from './generated/elementwise';
export { rowAreaBytes } from './rows';
export { compareRows, logical } from './generated/predicates';
export { whereRows } from './where';
export { reduceF32, reduceInt, reduceRowChunksF32 } from './reduce';
export { reduceChunksF32, reduceChunksFinishF32, reduceRowsF32 } from './reduce-blocks';
export { argReduce } from './arg-reduce';
export { cast } from './cast';
export { copyRows, firstIndexOutside, gather, scatterAdd, scatterAddRange } from './copy';
export { transposeTiles32 } from './transpose';
export { addScaledF32 } from './add-scaled';
export { matmulF32, matmulScratchBytes, matmulStridedF32 } from './matmul';
export { addIntoF32, col2im, convFilterRowsF32, convImagesF32, im2col } from './conv';
export { maxPool2dF32 } from './pool';
export { lifScanF32, linearScanF32 } from './scan';
export { activation, activationGrad, activationGradMask } from './activation';
export { maskKind } from './generated/activations';
export { softmaxCrossEntropyGrad, softmaxCrossEntropyRows } from './softmax-xent';
export { batchNormChannels, batchNormGradChannels } from './batch-norm';
export { layerNormGradRows, layerNormRows } from './layer-norm';
export { softmaxRows } from './softmax';
