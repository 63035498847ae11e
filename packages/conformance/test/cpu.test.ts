import '@surrograd/backend-cpu';
import { runConformance } from '../src/index.js';

runConformance({ backend: 'cpu' });
