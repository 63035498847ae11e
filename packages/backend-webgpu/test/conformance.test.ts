/**
 * The conformance kit on webgpu, in Node on Dawn (SwiftShader's Vulkan driver without a GPU; see
 * vitest.config.ts): the whole kit, nothing skipped.
 */
import '../src/index.js';
import { runConformance } from '@surrograd/conformance';

runConformance({ backend: 'webgpu', largeTimeoutMs: 180_000, inPlaceKernels: true });
