/** The results as markdown tables: what the bench prints and what docs/benchmarks.md shows. */
import type { BenchResults } from '../results.js';
import { errorNotes, iqr, mb, ms, ratio, SOFTWARE_MARK, SOFTWARE_NOTE, sig, table } from './format.js';

const mark = (label: string, software?: boolean) => (software ? `${label}${SOFTWARE_MARK}` : label);

export function machineLine(r: BenchResults): string {
  const m = r.machine;
  return (
    `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node} (V8 ${m.v8}); ` +
    `load average ${sig(m.loadStart, 2)} at the start, ${sig(m.loadEnd, 2)} at the end`
  );
}

function contendersPart(r: BenchResults): string {
  const ours = r.backends.map(
    (b) =>
      `- surrograd \`${b.label}\`: ${b.status}${b.device ? ` (${b.device})` : ''}${b.software ? SOFTWARE_MARK : ''}${b.reason ? ` — ${b.reason}` : ''}`,
  );
  const peers = r.peers.map((p) => `- ${p.label} ${p.version}: ${p.status}${p.reason ? ` — ${p.reason}` : ''}`);
  return ['Contenders:', '', ...ours, ...peers].join('\n');
}

function activationsPart(r: BenchResults): string {
  const s = r.sections.activations;
  if (!s) return '';
  const head =
    `### 1. Fused activations, forward and backward (${s.elements.toLocaleString('en')} float32)\n\n` +
    `Limit: \`Float32Array.prototype.set\` of the same elements, ${ms(s.copy.stats)} ms (IQR ${iqr(s.copy.stats)}), ` +
    `${sig(s.copy.gbPerS)} GB/s (8 bytes moved per element). GB/s counts the bytes a pass must move: forward reads x and ` +
    'writes y (and a 1-bit mask where the derivative needs only the sign); backward reads dy and what was saved, writes dx.' +
    gpuLimits(s) +
    '\n\n';
  const rows = s.rows.map((x) => [
    mark(x.backend, x.software),
    x.activation,
    x.pass,
    ms(x.stats),
    iqr(x.stats),
    sig(x.gbPerS),
    x.ofCopy === null ? '–' : `${sig(x.ofCopy * 100, 2)}%`,
  ]);
  return (
    head +
    table(['backend', 'activation', 'pass', 'median ms', 'IQR ms', 'GB/s', 'of copy'], rows) +
    errorNotes(s.rows.map((x) => ({ who: `${x.backend} ${x.activation}`, error: x.error })))
  );
}

/** The GPU backends' own limit, which their "of copy" is measured against. */
function gpuLimits(s: NonNullable<BenchResults['sections']['activations']>): string {
  const copies = s.gpuCopies ?? [];
  if (!copies.length) return '';
  const each = copies.map(
    (g) =>
      `${mark(g.backend, g.software)}: a buffer-to-buffer copy on its device, ${ms(g.stats)} ms, ${sig(g.gbPerS)} GB/s${g.error ? ` (${g.error})` : ''}`,
  );
  return ` A GPU backend's "of copy" is against its own GPU's copy of the same bytes instead: ${each.join('; ')}.`;
}

function fourWaysPart(r: BenchResults): string {
  const s = r.sections.fourWays;
  if (!s) return '';
  const head =
    `### 2. ReLU forward, leaky gradient (slope ${s.slope}), four ways: forward + backward (${s.elements.toLocaleString('en')} float32)\n\n` +
    'Temp MB: peak bytes held during the call minus before (inputs excluded; y and dx included). ' +
    '× fused: time over our fused call on the backend in the "vs" column.\n\n';
  const rows = s.rows.map((x) => [
    mark(x.runsOn, x.software),
    x.way + (x.note ? ` (${x.note})` : ''),
    ms(x.stats),
    iqr(x.stats),
    mb(x.tempBytes),
    x.group || '–',
    ratio(x.vsFused),
  ]);
  const codes = [...new Map(s.rows.map((x) => [x.way, x.code])).entries()].map(([w, c]) => `- ${w}: \`${c}\``);
  return (
    head +
    table(['runs on', 'way', 'median ms', 'IQR ms', 'temp MB', 'vs', '× fused'], rows) +
    `\n\nWhat each way calls:\n\n${codes.join('\n')}\n` +
    errorNotes(s.rows.map((x) => ({ who: `${x.runsOn} ${x.way}`, error: x.error })))
  );
}

function mlpPart(r: BenchResults): string {
  const s = r.sections.mlp;
  if (!s) return '';
  const head =
    `### 3. One SGD step, MLP ${s.dims.join('-')}, batch ${s.batch}, ReLU, softmax cross-entropy\n\n` +
    `${sig(s.flopsPerStep / 1e6)} MFLOP of matmul per step. The same weights, inputs and labels for every contender: ` +
    'equal first losses show they compute the same step.\n\n';
  const rows = s.rows.map((x) => [
    mark(x.contender, x.software),
    ms(x.stats),
    iqr(x.stats),
    ratio(x.vsTfjsCpu),
    x.stats ? sig(s.flopsPerStep / (x.stats.medianMs * 1e6)) : '–',
    x.firstLoss === null ? '–' : x.firstLoss.toFixed(5),
  ]);
  return (
    head +
    table(['contender', 'median ms', 'IQR ms', '× tfjs-cpu', 'GFLOP/s', 'first loss'], rows) +
    errorNotes(s.rows.map((x) => ({ who: x.contender, error: x.error })))
  );
}

function cnnPart(r: BenchResults): string {
  const s = r.sections.cnn;
  if (!s) return '';
  const head =
    `### 7. Convolutional nets: one SGD step of LeNet-5, batch ${s.batch}\n\n` +
    'conv 1→6 5×5 (padding 2), ReLU, max pool 2, conv 6→16 5×5, ReLU, max pool 2, 400-120-84-10, softmax cross-entropy: ' +
    `${sig(s.flopsPerStep / 1e6)} MFLOP per step, as each library's users write it (tfjs in NHWC; jax-js pools with a reshape and a max). ` +
    'The same weights, inputs and labels for every contender: equal first losses show they compute the same step.\n\n';
  const jit = s.steps.find((x) => x.contender === 'jax-js-wasm jit')?.stats?.medianMs ?? null;
  const rows = s.steps.map((x) => [
    mark(x.contender, x.software),
    ms(x.stats),
    iqr(x.stats),
    ratio(x.vsTfjsCpu),
    ratio(x.stats && jit ? x.stats.medianMs / jit : null),
    x.stats ? sig(s.flopsPerStep / (x.stats.medianMs * 1e6)) : '–',
    x.firstLoss === null ? '–' : x.firstLoss.toFixed(5),
  ]);
  const convRows = s.conv.map((x) => [
    x.layer,
    x.contender,
    x.pass,
    ms(x.stats),
    sig(x.gflops),
    ratio(x.ofGemm),
    x.peakBytes === undefined ? '' : x.peakBytes === null ? '–' : sig(x.peakBytes / 2 ** 20),
  ]);
  return (
    head +
    table(['contender', 'median ms', 'IQR ms', '× tfjs-cpu', '× jax-js jit', 'GFLOP/s', 'first loss'], rows) +
    errorNotes(s.steps.map((x) => ({ who: x.contender, error: x.error }))) +
    '\n\nconv2d on our backends: forward, forward+backward (both gradients; counted as 3× the forward FLOPs), and the GEMM ' +
    'that im2col makes of the forward, same backend, same rounds. Peak MB: tensors held during one forward+backward beyond ' +
    'the inputs — the whole unfolded batch where the conv is composed (im2col, matmul, fold); wasm runs fused conv kernels that ' +
    'hold one image’s columns (C·kh·kw × oh·ow floats) outside any tensor instead.\n\n' +
    table(['layer', 'backend', 'pass', 'median ms', 'GFLOP/s', '× GEMM', 'peak MB'], convRows) +
    errorNotes(s.conv.map((x) => ({ who: `${x.contender} ${x.pass}`, error: x.error })))
  );
}

function threadsPart(r: BenchResults): string {
  const s = r.sections.threads;
  if (!s) return '';
  const one = (task: string) => s.rows.find((x) => x.task === task && x.threads === 1);
  const rows = s.rows.map((x) => {
    const base = one(x.task);
    const speedup = x.stats && base?.stats ? base.stats.medianMs / x.stats.medianMs : null;
    return [
      x.task,
      x.contender,
      ms(x.stats),
      iqr(x.stats),
      x.gflops === null ? '–' : sig(x.gflops),
      speedup === null ? '–' : `${speedup.toFixed(2)}×`,
    ];
  });
  return (
    `### 9. Threads: the wasm backend on ${s.counts.join(', ')} thread${s.counts.length > 1 ? 's' : ''} (${s.cores} cores here)

` +
    'The other sections run wasm on one thread. Here the same work runs on each thread count in the same rounds: ' +
    'the product splits its rows between threads, the activation its elements, the sum its chunks, the conv its ' +
    'GEMMs and its columns (by channels) and the ' +
    'cross-entropy its rows (every result is identical to one thread’s), and the MLP step runs every parallel ' +
    `kernel so, timed over ${r.config.threadsStepsPerRun ?? 1} consecutive steps and reported per step (a training loop’s pace). ` +
    'jax-js’s jitted wasm step, beside them, runs on one thread in Node. Each timed call follows an untimed ' +
    'call of the same contender, so it runs as in a loop of its own (the rounds interleave thread counts, and a call ' +
    'right after another contender’s would find the caches holding that one’s data).' +
    fewerThreadsNote(s.callsOnFewerThreads) +
    '\n\n' +
    table(['task', 'contender', 'median ms', 'IQR ms', 'GFLOP/s', 'speed-up over 1 thread'], rows) +
    errorNotes(s.rows.map((x) => ({ who: `${x.contender} ${x.task}`, error: x.error })))
  );
}

/** What the backend's dynamicThreads did while section 9 ran: the thread counts are what was asked, not always what ran. */
function fewerThreadsNote(calls: number | undefined): string {
  if (calls === undefined) return '';
  if (calls === 0) return ' Every parallel call ran on the threads asked for.';
  return (
    ` ${calls} parallel call${calls === 1 ? '' : 's'} ran on fewer threads than asked, because other programs kept ` +
    'the cores busy (the backend’s `dynamicThreads`, on by default: it counts the cores its calls get and runs on ' +
    'those for a while, rather than wait on a descheduled thread).'
  );
}

function snnPart(r: BenchResults): string {
  const s = r.sections.snn;
  if (!s) return '';
  const stepwise = (who: string) => s.rows.find((x) => x.contender === who && x.path === 'stepwise');
  const rows = s.rows.map((x) => {
    const base = stepwise(x.contender);
    const t = x.stats && base?.stats ? x.stats.medianMs / base.stats.medianMs : null;
    const m = x.peakTemporaryBytes !== null && base?.peakTemporaryBytes ? x.peakTemporaryBytes / base.peakTemporaryBytes : null;
    return [
      x.contender,
      x.path,
      ms(x.stats),
      iqr(x.stats),
      ratio(t),
      x.peakTemporaryBytes === null ? '–' : sig(x.peakTemporaryBytes / 2 ** 20),
      ratio(m),
    ];
  });
  return (
    `### 8. Spiking networks: a Leaky layer over ${s.steps} steps, batch ${s.batch}, ${s.neurons} neurons\n\n` +
    'Forward and backward through time of one `Leaky` layer (β 0.9, atan surrogate; loss: the spike count plus the mean ' +
    'membrane), on each of our backends, two ways in the same rounds: `lif.sequence(currents)` (one LifScan kernel forward, ' +
    'one reverse LinearScan backward) and T calls of `lif.forward(current, mem)` (the graph of every step). Peak MB: bytes held ' +
    'during one forward+backward beyond what both must hold (the currents’ gradient, spikes and membranes [T, …] and their gradients).\n\n' +
    table(['backend', 'path', 'median ms', 'IQR ms', '× stepwise', 'peak temporary MB', '× stepwise'], rows) +
    errorNotes(s.rows.map((x) => ({ who: `${x.contender} ${x.path}`, error: x.error })))
  );
}

/** Rows of (role, shape), one GFLOP/s column per contender. */
function matmulPart(r: BenchResults): string {
  const s = r.sections.matmul;
  if (!s) return '';
  const contenders = [...new Set(s.rows.map((x) => x.contender))];
  const software = new Set(s.rows.filter((x) => x.software).map((x) => x.contender));
  const keys = [...new Set(s.rows.map((x) => `${x.role}\u0000${x.shape}`))];
  const rows = keys.map((k) => {
    const [role, shape] = k.split('\u0000') as [string, string];
    return [
      role,
      shape,
      ...contenders.map((c) => sig(s.rows.find((x) => x.role === role && x.shape === shape && x.contender === c)?.gflops ?? null)),
    ];
  });
  return (
    '### 4. Matmul GFLOP/s (median)\n\n' +
    "The MLP step's products in surrograd's layout (Linear weight [out, in]; ᵀ: an operand read transposed), then squares.\n\n" +
    table(['role', 'shape', ...contenders.map((c) => mark(c, software.has(c)))], rows) +
    errorNotes(s.rows.map((x) => ({ who: `${x.contender} ${x.shape}`, error: x.error })))
  );
}

function dispatchPart(r: BenchResults): string {
  const s = r.sections.dispatch;
  if (!s) return '';
  const contenders = [...new Set(s.rows.map((x) => x.contender))];
  const software = new Set(s.rows.filter((x) => x.software).map((x) => x.contender));
  const ops = [...new Set(s.rows.map((x) => x.op))];
  const rows = ops.map((op) => [op, ...contenders.map((c) => sig(s.rows.find((x) => x.op === op && x.contender === c)?.usPerOp ?? null))]);
  return (
    `### 5. Per-op overhead on tiny tensors (${s.elements} elements), µs per op (median of batches of ${s.opsPerBatch})\n\n` +
    table(['op', ...contenders.map((c) => mark(c, software.has(c)))], rows) +
    errorNotes(s.rows.map((x) => ({ who: `${x.contender} ${x.op}`, error: x.error })))
  );
}

function savedBytesPart(r: BenchResults): string {
  const s = r.sections.savedBytes;
  if (!s) return '';
  const conv = (c: { bytes: number; saves: string } | null) => (c ? `${c.bytes} (${c.saves})` : '– (no such op)');
  const rows = s.rows.map((x) => [x.activation, sig(x.ours, 3), x.oursSaves, conv(x.pytorch), conv(x.tfjs)]);
  return (
    `### 6. Bytes kept for backward per activation element, beyond the output\n\n` +
    `surrograd: measured on \`${s.backend}\` (${s.elements.toLocaleString('en')} elements; the input is a temporary disposed after the forward call). ` +
    "PyTorch and tfjs: their conventions (PyTorch's derivatives.yaml and custom Functions saving x; tfjs 4.22's gradient configs and tf.customGrad saving x).\n\n" +
    table(['activation', 'surrograd B/elem', 'surrograd keeps', 'PyTorch B/elem', 'tfjs B/elem'], rows) +
    errorNotes(s.rows.map((x) => ({ who: x.activation, error: x.error })))
  );
}

function goalsPart(r: BenchResults): string {
  const backends = [...new Set(r.goals.map((g) => g.backend))];
  return backends
    .map((backend) => {
      const rows = r.goals
        .filter((g) => g.backend === backend)
        .map((g) => [
          g.name,
          `${g.direction === 'atMost' ? '≤' : '≥'} ${g.target}${g.unit === '×' ? '×' : ` ${g.unit}`}`,
          g.unit === '×' ? ratio(g.measured) : g.measured === null ? '–' : `${g.measured.toFixed(g.unit === 'µs' ? 2 : 1)} ${g.unit}`,
          g.met === null ? '–' : g.met ? 'met' : 'not met',
          g.detail,
        ]);
      return `### Goals for the ${backend} backend\n\n${table(['goal', 'target', 'measured', '', 'how'], rows)}`;
    })
    .join('\n\n');
}

/** Every section that ran, as markdown. */
export function renderMarkdown(r: BenchResults): string {
  const anySoftware = r.backends.some((b) => b.software);
  const parts = [
    `Run ${r.date} (${r.mode} mode, ${r.durationS} s): \`node dist/cli.js${r.argv?.length ? ` ${r.argv.join(' ')}` : ''}\`. Machine: ${machineLine(r)}.`,
    'Times are medians of repeated runs after warm-up; IQR is the interquartile range. Contenders that are compared run in interleaved rounds in one process.',
    contendersPart(r),
    anySoftware ? SOFTWARE_NOTE : '',
    activationsPart(r),
    fourWaysPart(r),
    mlpPart(r),
    matmulPart(r),
    dispatchPart(r),
    savedBytesPart(r),
    cnnPart(r),
    snnPart(r),
    threadsPart(r),
    goalsPart(r),
  ];
  return `${parts.filter((p) => p.length > 0).join('\n\n')}\n`;
}
