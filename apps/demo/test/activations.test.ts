import '@surrograd/backend-cpu';
import { setBackend, tensor } from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { plannedActivations, THREAD_ACTIVATIONS } from '../src/compare/plan.js';
import {
  activationLabel,
  activationRegistry,
  availableActivations,
  parseActivation,
  parseActivationSpec,
  registryFrom,
  resolveActivation,
} from '../src/model/activations.js';

beforeAll(() => setBackend('cpu'));

describe('activation registry', () => {
  it('offers every activation of the installed core with its defaults', () => {
    expect(availableActivations()).toEqual(expect.arrayContaining(['relu', 'leakyRelu', 'reluWithLeakyGrad', 'sigmoid', 'tanh']));
    expect(activationRegistry().get('reluWithLeakyGrad')?.defaults).toEqual({ slope: 0.01 });
    expect(activationRegistry().get('relu')?.defaults).toEqual({});
  });

  it('takes the library’s entries when core has one, else the exports it knows by name', () => {
    const fn = () => tensor([0]);
    const library = {
      activationEntries: () => [
        { name: 'heaviside/atan', defaults: { alpha: 2 } },
        { name: 'relu', defaults: {} },
      ],
      activationFunction: () => fn,
      sigmoid: fn,
    };
    expect([...registryFrom(library)].map(([name, a]) => [name, a.defaults])).toEqual([
      ['heaviside/atan', { alpha: 2 }],
      ['relu', {}],
    ]);
    const older = { relu: fn, reluWithLeakyGrad: fn, tanh: fn, somethingElse: fn, sigmoid: 'not a function' };
    expect([...registryFrom(older)].map(([name, a]) => [name, a.defaults])).toEqual([
      ['relu', {}],
      ['reluWithLeakyGrad', { slope: 0.01 }],
      ['tanh', {}],
    ]);
  });

  it('parses names with options over the defaults', () => {
    expect(parseActivationSpec('heaviside/atan:alpha=2,mode=x')).toEqual({ name: 'heaviside/atan', options: { alpha: 2, mode: 'x' } });
    expect(parseActivation('reluWithLeakyGrad')).toEqual({ name: 'reluWithLeakyGrad', options: { slope: 0.01 } });
    expect(parseActivation('reluWithLeakyGrad:slope=0.1')).toEqual({ name: 'reluWithLeakyGrad', options: { slope: 0.1 } });
    expect(activationLabel(parseActivation('leakyRelu:slope=0.2'))).toBe('leakyRelu(slope=0.2)');
    expect(activationLabel(parseActivation('relu'))).toBe('relu');
    expect(() => parseActivation('swish2')).toThrow(
      /activation 'swish2' is not in the installed @surrograd\/core; available: relu, leakyRelu/,
    );
    expect(() => parseActivation('relu:slope')).toThrow(/option 'slope' is not key=value/);
    expect(() => parseActivation(':slope=1')).toThrow(/expected name\[:key=value,…\]/);
  });

  it('resolves to core functions that pass their options', async () => {
    const x = tensor([-2, 3], { requiresGrad: true });
    const y = resolveActivation(parseActivation('reluWithLeakyGrad:slope=0.1'))(x);
    y.sum().backward();
    expect(Array.from(await y.data())).toEqual([0, 3]);
    expect(Array.from(await x.grad!.data()).map((v) => Number(v.toFixed(6)))).toEqual([0.1, 1]);
    const leaky = resolveActivation(parseActivation('leakyRelu:slope=0.5'))(tensor([-2, 3]));
    expect(Array.from(await leaky.data())).toEqual([-1, 3]);
    expect(() => resolveActivation({ name: 'swish2', options: {} })).toThrow(/'swish2' is not in the installed @surrograd\/core/);
  });

  it('skips, with a note, an activation the installed core does not have', () => {
    const { choices, skipped } = plannedActivations(['relu', 'notInCore:slope=2', 'reluWithLeakyGrad:slope=0.1']);
    expect(choices.map(activationLabel)).toEqual(['relu', 'reluWithLeakyGrad(slope=0.1)']);
    expect(skipped).toEqual(['notInCore:slope=2: not in the installed @surrograd/core, skipped']);
  });

  it('plans the thread comparison: relu, leakyRelu, reluWithLeakyGrad at two slopes, bSiLU', () => {
    const { choices, skipped } = plannedActivations(THREAD_ACTIVATIONS);
    expect([...choices.map((c) => c.name), ...skipped.map((s) => s.split(':')[0])]).toEqual([
      'relu',
      'leakyRelu',
      'reluWithLeakyGrad',
      'reluWithLeakyGrad',
      'bSiLU',
    ]);
    expect(choices.filter((c) => c.name === 'reluWithLeakyGrad').map((c) => c.options.slope)).toEqual([0.01, 0.1]);
  });
});
