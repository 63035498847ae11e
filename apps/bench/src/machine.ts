/** The machine a run measured: printed with every table, since every number depends on it. */
import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  v8: string;
  /** 1-minute load average at the start and end: above the core count, other processes shared the CPU. */
  loadStart: number;
  loadEnd: number;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    loadStart: os.loadavg()[0] as number,
    loadEnd: os.loadavg()[0] as number,
  };
}

export function currentLoad(): number {
  return os.loadavg()[0] as number;
}
