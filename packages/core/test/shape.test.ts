import { describe, expect, it } from 'vitest';
import { promoteTypes } from '../src/dtype.js';
import { broadcastShapes, broadcastStrides, normalizeAxes, reducedShape, sizeOf, stridesOf, tryBroadcastShapes } from '../src/shape.js';

describe('shape arithmetic', () => {
  it('sizes and strides', () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 0, 3])).toBe(0);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
  });

  it('broadcasts with numpy rules', () => {
    expect(tryBroadcastShapes([2, 1, 3], [4, 3])).toEqual([2, 4, 3]);
    expect(tryBroadcastShapes([], [5])).toEqual([5]);
    expect(tryBroadcastShapes([0, 1], [1, 3])).toEqual([0, 3]);
    expect(tryBroadcastShapes([2, 3], [3, 2])).toBeNull();
    expect(() => broadcastShapes('add', [2, 3], [4])).toThrow('add: shapes [2, 3] and [4] cannot be broadcast together');
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
  });

  it('normalizes axes and reduced shapes', () => {
    expect(normalizeAxes('sum', [-1, 0], 3)).toEqual([0, 2]);
    expect(() => normalizeAxes('sum', [-1, 0, 0], 3)).toThrow('sum: axis 0 appears more than once in [-1, 0, 0]');
    expect(() => normalizeAxes('sum', [2, -1], 3)).toThrow('sum: axis 2 appears more than once in [2, -1]');
    expect(normalizeAxes('sum', undefined, 2)).toEqual([0, 1]);
    expect(normalizeAxes('sum', 0, 0)).toEqual([]);
    expect(() => normalizeAxes('sum', 3, 3)).toThrow('sum: axis 3 is out of range for a tensor of rank 3');
    expect(reducedShape([2, 3, 4], [1], true)).toEqual([2, 1, 4]);
    expect(reducedShape([2, 3, 4], [0, 2], false)).toEqual([3]);
  });

  it('promotes dtypes as PyTorch', () => {
    expect(promoteTypes('bool', 'int32')).toBe('int32');
    expect(promoteTypes('int32', 'float32')).toBe('float32');
    expect(promoteTypes('float64', 'float32')).toBe('float64');
  });
});
