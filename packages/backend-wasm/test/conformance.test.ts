import '../src/index.js';
// A second backend in the process, as users who import two have: the kit then also checks that
// mixing tensors of two backends in one op is a clear error.
import '@surrograd/backend-cpu';
import { runConformance } from '@surrograd/conformance';

runConformance({ backend: 'wasm', inPlaceKernels: true });
