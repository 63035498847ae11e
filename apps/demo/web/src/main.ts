/** The demo page: pick a backend and an activation, train on MNIST, watch the charts, draw a digit. */

import { packageLoaders } from 'virtual:surrograd-backends';
import { currentBackend, noGrad, type Tensor, tensor, tidy } from '@surrograd/core';
import { normalizedPixels } from '../../src/data/batches.js';
import { limitSplit, type MnistData, type MnistSplit } from '../../src/data/mnist.js';
import { activationLabel, activationRegistry, availableActivations, parseActivation } from '../../src/model/activations.js';
import { type Classifier, createModel, MODEL_NAMES, type ModelName } from '../../src/model/classifier.js';
import { SpikingNet } from '../../src/model/snn.js';
import { BACKENDS, type PackageImporter, selectBackend } from '../../src/train/backends.js';
import { parseHidden } from '../../src/train/config.js';
import { DEFAULTS } from '../../src/train/defaults.js';
import { type Evaluation, evaluate, predict } from '../../src/train/evaluate.js';
import { parsePositiveInt, parsePositiveNumber } from '../../src/train/numbers.js';
import { Trainer } from '../../src/train/trainer.js';
import { yieldToEventLoop } from '../../src/train/yield.js';
import { LiveChart } from './charts.js';
import { DigitGrid } from './digit-grid.js';
import { DrawPad } from './draw-pad.js';
import { fetchMnist } from './mnist-fetch.js';
import { SerialQueue } from './serial.js';
import { SpikeRaster } from './spike-raster.js';

/** What the page is doing, on window.surrogradDemo for people poking around and for the e2e test. */
const state = {
  status: 'loading' as 'loading' | 'ready' | 'training' | 'stopped' | 'error',
  backend: '',
  /** Threads the backend's parallel kernels run on (the wasm backend's pool; 1 elsewhere). */
  threads: 1,
  model: '',
  activation: '',
  step: 0,
  evals: [] as { step: number; accuracy: number; loss: number; sparsity: number[]; deadUnits: number[] }[],
  prediction: null as { label: number; probabilities: number[] } | null,
  /** The spiking net's last raster: steps, hidden and output spikes of one test digit, membrane series drawn. */
  spikes: null as { steps: number; hiddenSpikes: number; outputSpikes: number; membraneSeries: number } | null,
  error: '',
  backends: BACKENDS.filter((b) => b.packageName in packageLoaders).map((b) => b.name),
  chartPoints: () => Object.fromEntries(Object.entries(charts).map(([k, c]) => [k, c.pointCount()])),
};
(window as unknown as { surrogradDemo: typeof state }).surrogradDemo = state;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const backendSelect = $<HTMLSelectElement>('backend');
const activationSelect = $<HTMLSelectElement>('activation');
const activationOptions = $<HTMLInputElement>('activation-options');
const modelSelect = $<HTMLSelectElement>('model');
const inputs = {
  hidden: $<HTMLInputElement>('hidden'),
  lr: $<HTMLInputElement>('lr'),
  batch: $<HTMLInputElement>('batch'),
  steps: $<HTMLInputElement>('steps'),
};
const startButton = $<HTMLButtonElement>('start');
const stopButton = $<HTMLButtonElement>('stop');
const statusLine = $<HTMLSpanElement>('status');

const charts = {
  loss: new LiveChart($('chart-loss'), 'Training loss', 'cross-entropy', { logY: true }),
  accuracy: new LiveChart($('chart-accuracy'), 'Test accuracy', 'accuracy', { percent: true }),
  sparsity: new LiveChart($('chart-sparsity'), 'Sparsity (exact zeros) per hidden layer', 'zeros', { percent: true }),
  dead: new LiveChart($('chart-dead'), 'Dead units per hidden layer', 'never active', { percent: true }),
};

const raster = new SpikeRaster($('raster'));
const membraneChart = new LiveChart($('chart-membrane'), 'Output membranes of that digit', 'membrane', {});
membraneChart.chart.options.scales = {
  ...membraneChart.chart.options.scales,
  x: { type: 'linear', title: { display: true, text: 'time step' } },
};
/** Hidden neurons the raster shows. */
const RASTER_NEURONS = 100;

const importer: PackageImporter = (name) => {
  const load = packageLoaders[name];
  if (!load) return Promise.reject(new Error(`${name} was not found when the page was served`));
  return load();
};
const queue = new SerialQueue();
const EVAL_EXAMPLES = Number(params.get('evalExamples') ?? 1000);
const EVAL_EVERY = Number(params.get('evalEvery') ?? 100);
const GRID = 48;

let data: MnistData | null = null;
let evalSplit: MnistSplit | null = null;
let grid: DigitGrid | null = null;
let model: Classifier | null = null;
let trainer: Trainer | null = null;
let stopRequested = false;

function formatOptions(options: Record<string, number | string>): string {
  return Object.entries(options)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function setStatus(text: string, error = false): void {
  statusLine.textContent = text;
  statusLine.className = error ? 'error' : '';
}

function fail(err: unknown): void {
  state.status = 'error';
  state.error = err instanceof Error ? err.message : String(err);
  setStatus(`error: ${state.error}`, true);
  startButton.disabled = false;
  stopButton.disabled = true;
  console.error(err);
}

/** Whether this browser can give WebGPU an adapter: `navigator.gpu` alone is not enough (no GPU, blocklisted driver). */
async function hasWebGpuAdapter(): Promise<boolean> {
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

async function fillPickers(): Promise<void> {
  const gpuReady = await hasWebGpuAdapter();
  for (const b of BACKENDS) {
    const option = new Option(b.name, b.name);
    const bundled = b.packageName in packageLoaders;
    const needsGpu = !b.cpu && !gpuReady;
    option.disabled = !bundled || needsGpu;
    if (option.disabled) option.text += bundled ? ' (no WebGPU in this browser)' : ' (not included in this build)';
    backendSelect.add(option);
  }
  state.backends = state.backends.filter((name) => !backendSelect.querySelector<HTMLOptionElement>(`option[value="${name}"]`)?.disabled);
  const wanted = params.get('backend');
  backendSelect.value = wanted && state.backends.includes(wanted) ? wanted : (state.backends[0] ?? 'cpu');
  for (const name of availableActivations()) activationSelect.add(new Option(name, name));
  const initial = parseActivation(params.get('activation') ?? DEFAULTS.activation);
  activationSelect.value = initial.name;
  activationOptions.value = formatOptions(initial.options);
  activationSelect.addEventListener('change', () => {
    activationOptions.value = formatOptions(activationRegistry().get(activationSelect.value)?.defaults ?? {});
  });
  const defaults: Record<keyof typeof inputs, string> = {
    hidden: DEFAULTS.hidden.join(','),
    lr: String(DEFAULTS.lr),
    batch: String(DEFAULTS.batch),
    steps: '2000',
  };
  for (const [key, input] of Object.entries(inputs)) input.value = params.get(key) ?? defaults[key as keyof typeof inputs];
  const wantedModel = params.get('model');
  // The page offers the models its picker lists.
  const offered = Array.from(modelSelect.options, (o) => o.value);
  modelSelect.value =
    wantedModel && (MODEL_NAMES as readonly string[]).includes(wantedModel) && offered.includes(wantedModel) ? wantedModel : 'mlp';
  const syncHidden = () => {
    inputs.hidden.disabled = modelSelect.value !== 'mlp';
  };
  // The spiking net spikes through heaviside: picking it picks snnTorch's default surrogate too.
  const syncSurrogate = () => {
    if (modelSelect.value === 'snn' && !activationSelect.value.startsWith('heaviside/')) {
      activationSelect.value = 'heaviside/atan';
      activationOptions.value = formatOptions(activationRegistry().get('heaviside/atan')?.defaults ?? {});
    }
  };
  modelSelect.addEventListener('change', () => {
    syncHidden();
    syncSurrogate();
  });
  syncHidden();
  if (!params.get('activation')) syncSurrogate();
}

/** The spiking net on one test digit: its raster and its output membranes over time. */
async function showSpikes(net: SpikingNet, split: MnistData['test']): Promise<void> {
  const steps = net.steps;
  const [hidden, output, membranes] = noGrad(() =>
    tidy(() => {
      const x = tensor(normalizedPixels(split, null, 0, 1), { shape: [1, split.rows * split.cols] });
      const wasTraining = net.training;
      net.eval();
      try {
        const run = net.run(x);
        return [run.hidden.reshape([steps, -1]).narrow(1, 0, RASTER_NEURONS), run.spk.reshape([steps, 10]), run.mem.reshape([steps, 10])];
      } finally {
        net.train(wasTraining);
      }
    }),
  ) as [Tensor, Tensor, Tensor];
  const [h, o, m] = await Promise.all([hidden.data(), output.data(), membranes.data()]);
  for (const t of [hidden, output, membranes]) t.dispose();
  const counts = Array.from({ length: 10 }, (_, j) =>
    Array.from({ length: steps }, (_, t) => o[t * 10 + j] as number).reduce((a, b) => a + b, 0),
  );
  const label = counts.indexOf(Math.max(...counts));
  raster.draw(h, RASTER_NEURONS, o, steps, label);
  membraneChart.reset(Array.from({ length: 10 }, (_, j) => `neuron ${j}`));
  for (let t = 0; t < steps; t++)
    membraneChart.push(
      t,
      Array.from({ length: 10 }, (_, j) => m[t * 10 + j] as number),
    );
  membraneChart.draw();
  const hiddenSpikes = Array.from(h).filter((v) => v !== 0).length;
  const outputSpikes = counts.reduce((a, b) => a + b, 0);
  state.spikes = { steps, hiddenSpikes, outputSpikes, membraneSeries: 10 };
  $('spikes-caption').textContent =
    `— the first test digit (a ${split.labels[0]}), ${RASTER_NEURONS} of 1000 hidden neurons; the net says ${label}`;
}

async function showEvaluation(step: number, evaluation: Evaluation): Promise<void> {
  state.evals.push({
    step,
    accuracy: evaluation.accuracy,
    loss: evaluation.loss,
    sparsity: evaluation.sparsity,
    deadUnits: evaluation.deadUnits,
  });
  charts.accuracy.push(step, [evaluation.accuracy]);
  charts.sparsity.push(step, evaluation.sparsity);
  charts.dead.push(step, evaluation.deadUnits);
  for (const c of Object.values(charts)) c.draw();
  const net = model;
  if (net instanceof SpikingNet && data) {
    const test = data.test;
    await queue.run(() => showSpikes(net, test));
  }
  if (model && grid && data) {
    const x = tensor(normalizedPixels(data.test, null, 0, GRID), { shape: [GRID, data.test.rows * data.test.cols] });
    const { labels } = await predict(model, x);
    x.dispose();
    const right = grid.show(labels);
    $('grid-caption').textContent = `— ${right}/${GRID} right at step ${step}`;
  }
}

async function train(): Promise<void> {
  if (!data || !evalSplit) return;
  const loaded = data;
  const split = evalSplit;
  stopRequested = false;
  startButton.disabled = true;
  stopButton.disabled = false;
  state.evals = [];
  state.error = '';
  state.step = 0;
  // Every input is read before anything starts, so a typo is an error on the page, not a run.
  const options = activationOptions.value.trim();
  const activation = parseActivation(options ? `${activationSelect.value}:${options}` : activationSelect.value);
  const hidden = parseHidden(inputs.hidden.value);
  const maxSteps = parsePositiveInt('steps', inputs.steps.value);
  const batch = parsePositiveInt('batch', inputs.batch.value);
  const lr = parsePositiveNumber('lr', inputs.lr.value);
  setStatus('starting backend…');
  const backend = await selectBackend(backendSelect.value, importer).catch((err: unknown) => {
    // The packages' own messages speak to developers (npm packages, drivers); a visitor needs this.
    throw new Error(`the '${backendSelect.value}' backend could not start in this browser; pick another one (${(err as Error).message})`);
  });
  trainer?.dispose();
  model?.dispose();
  const modelName = modelSelect.value as ModelName;
  model = createModel(modelName, hidden, activation, 0);
  $('spikes').hidden = modelName !== 'snn';
  state.spikes = null;
  const current = new Trainer(model, loaded.train, {
    batch,
    lr,
    optimizer: 'adam',
    momentum: 0,
    schedule: 'constant',
    seed: 0,
  });
  trainer = current;
  const net = model;
  state.backend = backend;
  state.threads = (currentBackend() as { threads?: number }).threads ?? 1;
  state.model = modelName;
  state.activation = activationLabel(activation);
  state.status = 'training';
  charts.loss.reset(['train loss']);
  charts.accuracy.reset(['test accuracy']);
  const layers =
    modelName === 'mlp'
      ? hidden.map((_, i) => `layer ${i + 1}`)
      : modelName === 'snn'
        ? ['hidden neurons (no spike)']
        : model.hiddenSizes.map((_, i) => `activation ${i + 1}`);
  charts.sparsity.reset(layers);
  charts.dead.reset(layers);
  await showEvaluation(0, await queue.run(() => evaluate(net, split)));
  const t0 = performance.now();
  while (!stopRequested && current.stepsDone < maxSteps) {
    const record = await queue.run(() => current.step());
    state.step = record.step;
    charts.loss.push(record.step, [record.loss]);
    if (record.step % 10 === 0) {
      charts.loss.draw();
      const perSecond = (record.step * current.config.batch) / ((performance.now() - t0) / 1000);
      setStatus(
        `${backend}${state.threads > 1 ? ` (${state.threads} threads)` : ''} · ${state.activation} · step ${record.step}/${maxSteps} · epoch ${record.epoch + 1} · loss ${record.loss.toFixed(3)} · ${Math.round(perSecond)} img/s`,
      );
    }
    if (record.step % EVAL_EVERY === 0) await showEvaluation(record.step, await queue.run(() => evaluate(net, split)));
    await yieldToEventLoop();
  }
  if (state.evals.at(-1)?.step !== current.stepsDone) await showEvaluation(current.stepsDone, await queue.run(() => evaluate(net, split)));
  charts.loss.draw();
  const last = state.evals.at(-1);
  state.status = 'stopped';
  setStatus(
    `${backend} · ${state.activation} · ${current.stepsDone} steps · test accuracy ${((last?.accuracy ?? 0) * 100).toFixed(1)}% on ${split.count} test images` +
      `${stopRequested ? ' (stopped)' : ''} — draw a digit →`,
  );
  startButton.disabled = false;
  stopButton.disabled = true;
  void predictDrawing();
}

async function predictDrawing(): Promise<void> {
  const pixels = pad.pixels();
  const net = model;
  if (!pixels || !net) return;
  const split: MnistSplit = { count: 1, rows: 28, cols: 28, pixels, labels: new Uint8Array(1) };
  const { labels, probabilities } = await queue.run(async () => {
    const x = tensor(normalizedPixels(split, null, 0, 1), { shape: [1, 784] });
    try {
      return await predict(net, x);
    } finally {
      x.dispose();
    }
  });
  const label = labels[0] as number;
  state.prediction = { label, probabilities: Array.from(probabilities) };
  $('prediction').innerHTML = `prediction: <strong>${label}</strong> (${(probabilities[label]! * 100).toFixed(0)}%)`;
  $('probabilities').replaceChildren(
    ...Array.from(probabilities).flatMap((p, digit) => {
      const name = document.createElement('span');
      name.textContent = String(digit);
      const bar = document.createElement('div');
      bar.className = 'bar';
      bar.style.width = `${(p * 100).toFixed(1)}%`;
      const value = document.createElement('span');
      value.textContent = `${(p * 100).toFixed(1)}%`;
      return [name, bar, value];
    }),
  );
}

const pad = new DrawPad($<HTMLCanvasElement>('pad'), () => void predictDrawing().catch(fail));
$('clear').addEventListener('click', () => {
  pad.clear();
  state.prediction = null;
  $('prediction').textContent = model ? 'draw a digit' : 'train, then draw';
  $('probabilities').replaceChildren();
});
startButton.addEventListener('click', () => void train().catch(fail));
stopButton.addEventListener('click', () => {
  stopRequested = true;
  stopButton.disabled = true;
});

try {
  await fillPickers();
  data = await fetchMnist();
  evalSplit = limitSplit(data.test, EVAL_EXAMPLES);
  grid = new DigitGrid($('grid'), data.test, GRID);
  state.status = 'ready';
  startButton.disabled = false;
  setStatus(
    `MNIST loaded: ${data.train.count} training, ${data.test.count} test images (accuracy is measured on the first ${evalSplit.count})`,
  );
} catch (err) {
  fail(err);
}
