/** The errors this backend throws where the cause is the environment or the device, not the call. */

/** No WebGPU here: no navigator.gpu, no `webgpu` package in Node, or no adapter. Says how to get one. */
export class WebGpuUnavailableError extends Error {
  override name = 'WebGpuUnavailableError';
}

/** The GPU device went away (driver reset, `device.destroy()`, out of memory). */
export class WebGpuDeviceLostError extends Error {
  override name = 'WebGpuDeviceLostError';
}
