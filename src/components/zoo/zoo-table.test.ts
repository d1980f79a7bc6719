import { describe, expect, it } from 'vitest';
import { sortedOrder, sortKey } from './zoo-table.ts';

describe('zoo table sorting', () => {
  it('reads data-sort values', () => {
    expect(sortKey('1.5', true)).toBe(1.5);
    expect(sortKey('', true)).toBeUndefined();
    expect(sortKey(undefined, false)).toBeUndefined();
    expect(sortKey('x', true)).toBeUndefined();
    expect(sortKey('beta-2', false)).toBe('beta-2');
  });
  it('sorts numbers both ways, stable, with empty cells last either way', () => {
    const keys = [3, undefined, 1, 3, 2, undefined];
    expect(sortedOrder(keys, 'ascending')).toEqual([2, 4, 0, 3, 1, 5]);
    expect(sortedOrder(keys, 'descending')).toEqual([0, 3, 4, 2, 1, 5]);
  });
  it('sorts text', () => {
    expect(sortedOrder(['vae', 'ae', 'beta-2'], 'ascending')).toEqual([1, 2, 0]);
  });
});
