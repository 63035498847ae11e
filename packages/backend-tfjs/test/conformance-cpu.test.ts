import '@tensorflow/tfjs-backend-cpu';
import { runConformance } from '@surrograd/conformance';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll } from 'vitest';
import '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

runConformance({ backend: 'tfjs' });
