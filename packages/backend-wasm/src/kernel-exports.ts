/**
 * The exports of the compiled kernels (assembly/index.ts), typed. Pointers are byte offsets into `memory`.
 *
 * @internal
 */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  scratch(): number;
  binaryI32(op: number, out: number, a: number, b: number): void;
  binaryRunF32(op: number, out: number, a: number, sa: number, b: number, sb: number, n: number): void;
  binaryRowsF32(op: number, out: number, a: number, b: number, first: number, count: number, area: number): void;
  rowAreaBytes(): number;
  binaryU8(op: number, out: number, a: number, b: number): void;
  unaryF32(op: number, x: number, out: number, n: number): void;
  unaryI32(op: number, x: number, out: number, n: number): void;
  unaryU8(op: number, x: number, out: number, n: number): void;
  compareRows(op: number, dtype: number, out: number, a: number, b: number, first: number, count: number, area: number): void;
  logical(op: number, out: number, a: number, b: number): void;
  whereRows(elemBytes: number, out: number, cond: number, a: number, b: number, first: number, count: number, area: number): void;
  reduceF32(op: number, x: number, out: number, acc: number, outSize: number): void;
  reduceInt(op: number, elemBytes: number, x: number, out: number, acc: number, outSize: number): void;
  reduceChunksF32(
    op: number,
    x: number,
    partial: number,
    n: number,
    inner: number,
    rows: number,
    chunks: number,
    width: number,
    blocks: number,
    from: number,
    count: number,
  ): void;
  reduceRowChunksF32(
    op: number,
    x: number,
    partial: number,
    outSize: number,
    rows: number,
    rowsPerChunk: number,
    firstChunk: number,
    chunkCount: number,
    area: number,
  ): void;
  reduceRowsF32(op: number, x: number, out: number, rows: number, n: number): void;
  reduceChunksFinishF32(op: number, partial: number, out: number, outer: number, inner: number, chunks: number): void;
  argReduce(isMax: number, dtype: number, x: number, out: number, outer: number, n: number, inner: number): void;
  cast(from: number, to: number, x: number, out: number, n: number): void;
  copyRows(elemBytes: number, src: number, dst: number, first: number, count: number, area: number): void;
  transposeTiles32(
    src: number,
    dst: number,
    first: number,
    count: number,
    srcBatch: number,
    dstBatch: number,
    a0: number,
    aCount: number,
    nb: number,
    sB: number,
    dA: number,
  ): void;
  gather(elemBytes: number, x: number, indices: number, out: number, outer: number, n: number, count: number, inner: number): void;
  firstIndexOutside(indices: number, count: number, size: number): number;
  scatterAddRange(isFloat: number, updates: number, indices: number, out: number, count: number, lo: number, len: number): void;
  scatterAdd(isFloat: number, updates: number, indices: number, out: number, outer: number, n: number, count: number, inner: number): void;
  matmulStridedF32(
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    ars: number,
    acs: number,
    brs: number,
    bcs: number,
    work: number,
    ldc: number,
    bias: number,
  ): void;
  matmulScratchBytes(n: number): number;
  convFilterRowsF32(
    x: number,
    dy: number,
    dw: number,
    r0: number,
    count: number,
    n: number,
    plan: number,
    panel: number,
    partial: number,
    work: number,
  ): void;
  convImagesF32(
    mode: number,
    x: number,
    w: number,
    y: number,
    first: number,
    count: number,
    plan: number,
    panel: number,
    work: number,
  ): void;
  addScaledF32(a: number, b: number, out: number, first: number, count: number, alpha: number): void;
  im2col(
    x: number,
    cols: number,
    c: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
    dh: number,
    dw: number,
    oh: number,
    ow: number,
  ): void;
  col2im(
    cols: number,
    dx: number,
    c: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
    dh: number,
    dw: number,
    oh: number,
    ow: number,
    clear: number,
  ): void;
  addIntoF32(dst: number, src: number, n: number): void;
  lifScanF32(
    cur: number,
    beta: number,
    betaLen: number,
    thr: number,
    thrLen: number,
    graded: number,
    gradedLen: number,
    out: number,
    spikes: number,
    steps: number,
    n: number,
    mode: number,
    atZero: number,
  ): void;
  linearScanF32(x: number, a: number, aLen: number, addend: number, out: number, steps: number, n: number, reverse: number): void;
  maxPool2dF32(
    x: number,
    y: number,
    indices: number,
    first: number,
    planes: number,
    h: number,
    w: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
    dh: number,
    dw: number,
    oh: number,
    ow: number,
  ): void;
  matmulF32(
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    ars: number,
    acs: number,
    brs: number,
    bcs: number,
    work: number,
  ): void;
  activation(kind: number, maskKind: number, x: number, y: number, n: number, mask: number): void;
  activationGrad(kind: number, dy: number, saved: number, dx: number, n: number): void;
  activationGradMask(dy: number, mask: number, dx: number, n: number, g0: number, g1: number): void;
  maskKind(kind: number, x: number, words: number, n: number, params: number): void;
  softmaxRows(x: number, y: number, rows: number, cols: number, log: number): void;
  layerNormRows(x: number, w: number, b: number, y: number, means: number, rstds: number, rows: number, cols: number, eps: number): void;
  layerNormGradRows(
    dy: number,
    x: number,
    means: number,
    rstds: number,
    w: number,
    dx: number,
    dyXhat: number,
    rows: number,
    cols: number,
  ): void;
  softmaxCrossEntropyRows(logits: number, labels: number, probs: number, rowLoss: number, rows: number, cols: number): void;
  softmaxCrossEntropyGrad(dloss: number, probs: number, labels: number, dx: number, rows: number, cols: number, total: number): void;
}
