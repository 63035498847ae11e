import '@surrograd/backend-wasm';
import '../src/index.js';
import { pluginSuite } from './plugin-suite.js';

pluginSuite({ backend: 'wasm' });
