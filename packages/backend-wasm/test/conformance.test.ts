import '../src/index.js';
import { runConformance } from '@surrograd/conformance';

runConformance({ backend: 'wasm' });
