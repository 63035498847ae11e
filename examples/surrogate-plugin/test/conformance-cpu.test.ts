// The backend test kit on cpu with the plugin loaded: its kind and kernel change nothing else.
import '@surrograd/backend-cpu';
import '../src/index.js';
import { runConformance } from '@surrograd/conformance';

runConformance({ backend: 'cpu' });
