/**
 * @surrograd/conformance — the backend test kit. In a vitest file:
 *
 *   import '@surrograd/backend-cpu';
 *   import { runConformance } from '@surrograd/conformance';
 *   runConformance({ backend: 'cpu' });
 */
import { setBackend } from '@surrograd/core';
import { beforeAll, describe } from 'vitest';
import { backendSupportsFloat64 } from './float64.js';
import { type ConformanceOptions, resolveOptions } from './options.js';
import { activationsSuite } from './suites/activations.js';
import { alphaSuite } from './suites/alpha.js';
import { autogradSuite } from './suites/autograd.js';
import { badInputSuite } from './suites/bad-input.js';
import { broadcastingSuite } from './suites/broadcasting.js';
import { ctxAttributesSuite } from './suites/ctx-attributes.js';
import { doubleBackwardSuite } from './suites/double-backward.js';
import { emptySuite } from './suites/empty.js';
import { forwardAdSuite } from './suites/forward-ad.js';
import { functionApiSuite } from './suites/function-api.js';
import { fusedSuite } from './suites/fused.js';
import { fusedConvSuite } from './suites/fused-conv.js';
import { fusedLinearSuite } from './suites/fused-linear.js';
import { fusedNormalizationSuite } from './suites/fused-normalization.js';
import { fusedPoolSuite } from './suites/fused-pool.js';
import { fusedScanSuite } from './suites/fused-scan.js';
import { gradcheckSuite } from './suites/gradcheck.js';
import { gradcheckOpsSuite } from './suites/gradcheck-ops.js';
import { hooksSuite } from './suites/hooks.js';
import { inPlaceSuite } from './suites/in-place.js';
import { inferenceModeSuite } from './suites/inference-mode.js';
import { integerPolicySuite } from './suites/integer-policy.js';
import { largeSuite } from './suites/large.js';
import { layersSuite } from './suites/layers.js';
import { leaksSuite } from './suites/leaks.js';
import { memorySuite } from './suites/memory.js';
import { mlpSuite } from './suites/mlp.js';
import { opsSuite } from './suites/ops.js';
import { propertiesSuite } from './suites/properties.js';
import { propertiesActivationsSuite } from './suites/properties-activations.js';
import { propertiesCastSuite } from './suites/properties-cast.js';
import { propertiesIndexSuite } from './suites/properties-index.js';
import { propertiesIntSuite } from './suites/properties-int.js';
import { propertiesLogicSuite } from './suites/properties-logic.js';
import { propertiesShapeSuite } from './suites/properties-shape.js';
import { propertiesSoftmaxSuite } from './suites/properties-softmax.js';
import { specialValuesSuite } from './suites/special-values.js';
import { stateSuite } from './suites/state.js';
import { stateIntegritySuite } from './suites/state-integrity.js';
import { surrogatesSuite } from './suites/surrogates.js';
import { threadSuite } from './suites/thread.js';
import { vocabularySuite } from './suites/vocabulary.js';

export type { ConformanceOptions, Tolerance } from './options.js';
export { DEFAULT_TOLERANCE } from './options.js';

/** Declares the whole kit as describe/it blocks; call it at the top level of a test file. */
export function runConformance(options: ConformanceOptions): void {
  const kit = resolveOptions(options);
  describe(`surrograd conformance: backend '${kit.backend}'`, () => {
    beforeAll(async () => {
      await setBackend(kit.backend);
      kit.float64 = backendSupportsFloat64();
    });
    opsSuite(kit);
    threadSuite(kit);
    activationsSuite(kit);
    surrogatesSuite(kit);
    mlpSuite(kit);
    doubleBackwardSuite(kit);
    gradcheckSuite(kit);
    gradcheckOpsSuite(kit);
    functionApiSuite(kit);
    ctxAttributesSuite(kit);
    inPlaceSuite(kit);
    hooksSuite(kit);
    forwardAdSuite(kit);
    inferenceModeSuite(kit);
    alphaSuite(kit);
    fusedSuite(kit);
    fusedLinearSuite(kit);
    fusedNormalizationSuite(kit);
    fusedConvSuite(kit);
    fusedPoolSuite(kit);
    fusedScanSuite(kit);
    autogradSuite(kit);
    broadcastingSuite(kit);
    emptySuite(kit);
    largeSuite(kit);
    memorySuite(kit);
    badInputSuite(kit);
    vocabularySuite(kit);
    layersSuite(kit);
    stateSuite(kit);
    integerPolicySuite(kit);
    specialValuesSuite(kit);
    stateIntegritySuite(kit);
    leaksSuite(kit);
    propertiesSuite(kit);
    propertiesIntSuite(kit);
    propertiesCastSuite(kit);
    propertiesLogicSuite(kit);
    propertiesShapeSuite(kit);
    propertiesIndexSuite(kit);
    propertiesSoftmaxSuite(kit);
    propertiesActivationsSuite(kit);
  });
}
