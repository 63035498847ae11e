/**
 * Properties of the Activation and ActivationGrad kernels: every entry of the activation library,
 * and any forward kind paired with any derivative kind through surrogate(), on random shapes (0,
 * 1, odd and long lengths: partial 32-bit mask words, SIMD tails, several GPU workgroups), random
 * parameters in the kit's ranges and inputs that hit each kink. The value (with and without the
 * mask a derivative kind saves) against core's evalExpr of the forward expression in float64
 * rounded to float32; the gradient of sum(y · dy) against dy · g per the derivative kind.
 */
import {
  type ActivationEntry,
  activationEntries,
  activationFunction,
  type DerivativeKind,
  derivativeKind,
  type ForwardKind,
  forwardKind,
  listDerivativeKinds,
  listForwardKinds,
  noGrad,
  surrogate,
  type Tensor,
  tensor,
} from '@surrograd/core';
import fc from 'fast-check';
import { describe } from 'vitest';
import { property } from '../declare-property.js';
import type { KitContext } from '../options.js';
import { activationInputs, activationParams } from '../property-activation-params.js';
import { expectCloseToEither, expectShape, withLeaves } from '../property-check.js';
import { shapeSmallOrLong } from '../property-shapes.js';
import { cotangents } from '../property-values.js';
import { activationReferences } from '../reference/activation.js';
import { sizeOf } from '../reference/broadcast.js';

type Apply = (x: Tensor, params: Record<string, number>) => Tensor;

/** A shape, parameters for `names`, inputs that reach each branch, and a cotangent. */
const activationCase = (names: readonly string[], defaults: Readonly<Record<string, number>>, kinds: readonly string[]) =>
  fc
    .tuple(shapeSmallOrLong(0, 3), activationParams(names, defaults, kinds))
    .chain(([shape, params]) =>
      fc.tuple(fc.constant(shape), fc.constant(params), activationInputs(sizeOf(shape), params), cotangents(shape)),
    );

async function checkActivation(
  kit: KitContext,
  label: string,
  fwd: ForwardKind,
  der: DerivativeKind,
  apply: Apply,
  [shape, params, x, dy]: [number[], Record<string, number>, number[], number[]],
): Promise<void> {
  const { float64: ref, float32: ref32 } = activationReferences(fwd, der, params, x, dy);
  const what = `${label} (${fwd.name} / ${der.name}, ${JSON.stringify(params)}) on [${shape}]`;
  await withLeaves(
    [{ shape, data: x }],
    (t) => {
      const y = apply(t, params);
      y.backward(tensor(Float32Array.from(dy), { shape }));
      // Without a gradient to compute, the forward kernel runs without the mask.
      const inference = noGrad(() => apply(t, params));
      return [y, inference];
    },
    ([y, inference], [yv, iv], [g]) => {
      expectShape(what, y!.shape, shape);
      expectShape(`${what} under noGrad`, inference!.shape, shape);
      expectCloseToEither(`${what} value`, yv!, ref.y, ref32.y, kit.tolerance);
      expectCloseToEither(`${what} value under noGrad`, iv!, ref.y, ref32.y, kit.tolerance);
      expectCloseToEither(`${what} gradient`, g!, ref.dx, ref32.dx, kit.tolerance);
    },
  );
}

function paramNames(fwd: ForwardKind, der: DerivativeKind): string[] {
  return [...new Set([...fwd.params, ...der.params])];
}

function entryProperty(kit: KitContext, entry: ActivationEntry): void {
  const fn = activationFunction(entry.name);
  // Kinds are looked up when the test runs: a plugin may register them after the kit is declared.
  const fwdNow = () => forwardKind(entry.forward);
  const derNow = () => derivativeKind(entry.derivative);
  const names = Object.keys(entry.defaults);
  property(kit, `properties/activation/${entry.name}`, activationCase(names, entry.defaults, [entry.forward, entry.derivative]), (c) =>
    checkActivation(kit, entry.name, fwdNow(), derNow(), (x, p) => fn(x, p), c),
  );
}

/** Any registered forward kind with any derivative kind (core's own, at declaration), through surrogate(). */
const pairingCase = fc
  .tuple(fc.constantFrom(...listForwardKinds()), fc.constantFrom(...listDerivativeKinds()))
  .chain(([fwd, der]) => fc.tuple(fc.constant(fwd), fc.constant(der), activationCase(paramNames(fwd, der), {}, [fwd.name, der.name])));

function pairingProperty(kit: KitContext): void {
  property(kit, 'properties/activation/any-pairing', pairingCase, ([fwd, der, c]) =>
    checkActivation(kit, 'surrogate', fwd, der, (x, params) => surrogate({ forward: fwd.name, backward: der.name, params })(x), c),
  );
}

export function propertiesActivationsSuite(kit: KitContext): void {
  describe('properties: activations', () => {
    for (const entry of activationEntries()) entryProperty(kit, entry);
    pairingProperty(kit);
  });
}
