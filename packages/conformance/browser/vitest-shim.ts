/**
 * Just enough of vitest for the conformance kit to declare and run its tests in a browser page:
 * describe / it / it.skip / beforeAll, and expect with the matchers the kit uses. A matcher the kit
 * starts using and this lacks is a failing test naming it, not a silent pass.
 */

type Body = () => unknown;

interface TestNode {
  name: string;
  body: Body;
  timeoutMs: number;
  skip: boolean;
}

interface SuiteNode {
  name: string;
  hooks: Body[];
  children: (SuiteNode | TestNode)[];
}

export interface TestResult {
  id: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  error?: string;
}

const root: SuiteNode = { name: '', hooks: [], children: [] };
let current = root;

export function describe(name: string, body: () => void): void {
  const suite: SuiteNode = { name, hooks: [], children: [] };
  current.children.push(suite);
  const parent = current;
  current = suite;
  try {
    body();
  } finally {
    current = parent;
  }
}

export function it(name: string, body: Body, timeoutMs = 120_000): void {
  current.children.push({ name, body, timeoutMs, skip: false });
}
it.skip = (name: string, body: Body) => {
  current.children.push({ name, body, timeoutMs: 0, skip: true });
};
export const test = it;

export function beforeAll(body: Body): void {
  current.hooks.push(body);
}

function withTimeout(promise: Promise<unknown>, ms: number, name: string): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs every declared test in order, reporting each as it finishes. */
export async function runAll(report: (r: TestResult) => void): Promise<TestResult[]> {
  const results: TestResult[] = [];
  const visit = async (suite: SuiteNode): Promise<void> => {
    for (const hook of suite.hooks) await hook();
    for (const child of suite.children) {
      if ('children' in child) {
        await visit(child);
        continue;
      }
      const start = performance.now();
      let result: TestResult;
      if (child.skip) result = { id: child.name, status: 'skipped', ms: 0 };
      else {
        try {
          await withTimeout(Promise.resolve().then(child.body), child.timeoutMs, child.name);
          result = { id: child.name, status: 'passed', ms: performance.now() - start };
        } catch (err) {
          result = { id: child.name, status: 'failed', ms: performance.now() - start, error: String((err as Error)?.stack ?? err) };
        }
      }
      results.push(result);
      report(result);
    }
  };
  await visit(root);
  return results;
}

// ---- expect ----------------------------------------------------------------------------------

function show(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  try {
    return JSON.stringify(v, (_, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));
  } catch {
    return String(v);
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function thrownBy(fn: unknown): unknown {
  if (typeof fn !== 'function') throw new Error('expect(fn).toThrow: expected a function');
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the function to throw, it returned');
}

export function expect(actual: unknown, label?: string) {
  const fail = (what: string) => {
    throw new Error(`${label ? `${label}: ` : ''}${what}`);
  };
  return {
    toBe(expected: unknown) {
      if (!Object.is(actual, expected)) fail(`expected ${show(actual)} to be ${show(expected)}`);
    },
    toEqual(expected: unknown) {
      if (!deepEqual(actual, expected)) fail(`expected ${show(actual)} to equal ${show(expected)}`);
    },
    toBeNull() {
      if (actual !== null) fail(`expected ${show(actual)} to be null`);
    },
    toBeCloseTo(expected: number, digits = 2) {
      if (!(Math.abs((actual as number) - expected) < 10 ** -digits / 2)) fail(`expected ${show(actual)} to be close to ${expected}`);
    },
    toThrow(expected?: string | RegExp | (new (...args: never[]) => Error) | Error) {
      const err = thrownBy(actual);
      const message = (err as Error)?.message ?? String(err);
      if (expected === undefined) return;
      if (typeof expected === 'string') {
        if (!message.includes(expected)) fail(`expected the error "${message}" to include "${expected}"`);
      } else if (expected instanceof RegExp) {
        if (!expected.test(message)) fail(`expected the error "${message}" to match ${expected}`);
      } else if (expected instanceof Error) {
        if (message !== expected.message) fail(`expected the error "${message}" to be "${expected.message}"`);
      } else if (!(err instanceof expected)) fail(`expected the error "${message}" to be a ${expected.name}`);
    },
  };
}
