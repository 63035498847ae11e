/**
 * The activations the demo can train with. Core's activation library lists itself
 * (`activationEntries`, `activationFunction`): every entry is offered, nothing to add here. For a
 * core from before the library, the table below names the exports to look for, one line each.
 * Names the installed core lacks are unavailable: the CLI says so, compare skips them.
 */

import type { Tensor } from '@surrograd/core';
import * as core from '@surrograd/core';

export type ActivationOptions = Record<string, number | string>;
export type ActivationFn = (x: Tensor, options?: ActivationOptions) => Tensor;

/** Core exports used when core has no activation library: name → default options. */
export const EXPORTED_ACTIVATIONS: Record<string, ActivationOptions> = {
  relu: {},
  leakyRelu: { slope: 0.01 },
  reluWithLeakyGrad: { slope: 0.01 },
  sigmoid: {},
  tanh: {},
};

interface ActivationLibrary {
  activationEntries(): readonly { name: string; defaults: Readonly<Record<string, number>> }[];
  activationFunction(name: string): ActivationFn;
}

export interface Available {
  fn: ActivationFn;
  defaults: ActivationOptions;
}

/** The registry a core module's exports give: its library's entries, or the table's exports it has. */
export function registryFrom(exports: Record<string, unknown>): Map<string, Available> {
  const registry = new Map<string, Available>();
  const library = exports as Partial<ActivationLibrary>;
  if (typeof library.activationEntries === 'function' && typeof library.activationFunction === 'function') {
    for (const entry of library.activationEntries()) {
      registry.set(entry.name, { fn: library.activationFunction(entry.name), defaults: { ...entry.defaults } });
    }
    return registry;
  }
  for (const [name, defaults] of Object.entries(EXPORTED_ACTIVATIONS)) {
    const fn = exports[name];
    if (typeof fn === 'function') registry.set(name, { fn: fn as ActivationFn, defaults });
  }
  return registry;
}

let cached: Map<string, Available> | null = null;

/** name → function and default options for the installed core, in its library's order. */
export function activationRegistry(): Map<string, Available> {
  cached ??= registryFrom(core as unknown as Record<string, unknown>);
  return cached;
}

/** Names the installed core provides. */
export function availableActivations(): string[] {
  return [...activationRegistry().keys()];
}

/** An activation with its options, e.g. reluWithLeakyGrad with slope 0.1. */
export interface ActivationChoice {
  name: string;
  options: ActivationOptions;
}

/** Splits "name" or "name:key=value,key=value" (numbers where they parse); no defaults applied. */
export function parseActivationSpec(spec: string): ActivationChoice {
  const [name = '', rest] = spec.split(':', 2) as [string, string | undefined];
  if (!name) throw new Error(`activation '${spec}': expected name[:key=value,…]`);
  const options: ActivationOptions = {};
  if (rest) {
    for (const pair of rest.split(',')) {
      const [key, value] = pair.split('=', 2) as [string, string | undefined];
      if (!key || value === undefined || value === '') throw new Error(`activation '${spec}': option '${pair}' is not key=value`);
      const num = Number(value);
      options[key] = Number.isFinite(num) ? num : value;
    }
  }
  return { name, options };
}

/** A spec with the activation's default options filled in; an error for a name core lacks. */
export function parseActivation(spec: string): ActivationChoice {
  const choice = parseActivationSpec(spec);
  const available = activationRegistry().get(choice.name);
  if (!available) {
    throw new Error(`activation '${choice.name}' is not in the installed @surrograd/core; available: ${availableActivations().join(', ')}`);
  }
  return { name: choice.name, options: { ...available.defaults, ...choice.options } };
}

/** The function of a choice, with its options bound. */
export function resolveActivation(choice: ActivationChoice): (x: Tensor) => Tensor {
  const available = activationRegistry().get(choice.name);
  if (!available) {
    throw new Error(`activation '${choice.name}' is not in the installed @surrograd/core; available: ${availableActivations().join(', ')}`);
  }
  const { fn } = available;
  const options = choice.options;
  return Object.keys(options).length ? (x) => fn(x, options) : (x) => fn(x);
}

/** "reluWithLeakyGrad(slope=0.1)", or the bare name when it has no options. */
export function activationLabel(choice: ActivationChoice): string {
  const entries = Object.entries(choice.options);
  return entries.length ? `${choice.name}(${entries.map(([k, v]) => `${k}=${v}`).join(', ')})` : choice.name;
}
