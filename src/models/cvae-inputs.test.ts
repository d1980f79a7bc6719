import { describe, expect, it } from 'vitest';
import { CLASSES, conditionalRow, digitRowInputs } from './cvae-inputs.ts';

describe('the conditional inputs', () => {
  it('has ten classes', () => expect(CLASSES).toBe(10));
  it('puts the code first, then the one-hot label, one row per digit', () => {
    const rows = digitRowInputs([0.5, -2], 2);
    expect(rows).toHaveLength(10 * 12);
    for (let l = 0; l < 10; l++) {
      const row = Array.from(rows.subarray(l * 12, (l + 1) * 12));
      expect(row.slice(0, 2)).toEqual([0.5, -2]);
      expect(row.slice(2)).toEqual(Array.from({ length: 10 }, (_, k) => (k === l ? 1 : 0)));
    }
    expect(() => digitRowInputs([1], 2)).toThrow(/needs 2 values/);
  });
  it('gives the encoder the pixels, then the label', () => {
    const px = new Float32Array(784).fill(0.25);
    const row = conditionalRow(px, 3);
    expect(row).toHaveLength(794);
    expect(row[783]).toBe(0.25);
    expect(Array.from(row.subarray(784))).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(() => conditionalRow(px, 10)).toThrow(/digit 0–9/);
    expect(() => conditionalRow(new Float32Array(10), 1)).toThrow(/784 pixels/);
  });
});
