import '@surrograd/backend-cpu';
import '../src/index.js';
import { pluginSuite } from './plugin-suite.js';

pluginSuite({ backend: 'cpu' });
