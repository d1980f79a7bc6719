import { describe, expect, it } from 'vitest';
import { has, option } from './args.ts';

describe('the benchmarks’ flags', () => {
  const argv = ['--seeds', '0,1', '--only=ae', '--force', '--threads', '-1', 'bench:train'];
  it('reads a flag’s value in either form, and only the flag asked for', () => {
    expect(option('seeds', argv)).toBe('0,1');
    expect(option('only', argv)).toBe('ae');
    expect(option('threads', argv)).toBe('-1');
    expect(option('rounds', argv)).toBeUndefined();
  });
  it('tells whether a switch is there', () => {
    expect(has('force', argv)).toBe(true);
    expect(has('synthetic', argv)).toBe(false);
    expect(has('seeds', ['--seedsx'])).toBe(false);
  });
});
