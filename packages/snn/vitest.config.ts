import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// The webgpu backend runs Dawn; without a GPU, on SwiftShader's Vulkan driver (Debian's chromium
// ships it), unless the caller chose a driver.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env: Record<string, string> = {};
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

export default defineConfig({
  test: { env, testTimeout: 120_000, hookTimeout: 120_000 },
});
