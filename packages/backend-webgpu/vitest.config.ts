import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Without a GPU, Dawn runs on SwiftShader's Vulkan driver, which Debian's chromium package ships.
// A machine with its own Vulkan driver (or one the caller chose) keeps it.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env: Record<string, string> = {};
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

// Tests run against core's and conformance's sources, so they don't wait for a build; the backend
// must register into the same core module the kit imports.
export default defineConfig({
  resolve: {
    alias: {
      '@surrograd/core': new URL('../core/src/index.ts', import.meta.url).pathname,
      '@surrograd/conformance': new URL('../conformance/src/index.ts', import.meta.url).pathname,
      '@surrograd/backend-cpu': new URL('../backend-cpu/src/index.ts', import.meta.url).pathname,
    },
  },
  test: { env, testTimeout: 240_000, hookTimeout: 240_000 },
});
