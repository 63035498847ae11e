// The backend test kit on wasm with the plugin loaded: its kind and kernel change nothing else.
import '@surrograd/backend-wasm';
import '../src/index.js';
import { runConformance } from '@surrograd/conformance';

runConformance({ backend: 'wasm' });
