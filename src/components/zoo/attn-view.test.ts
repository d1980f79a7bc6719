import { describe, expect, it } from 'vitest';
import { attentionSentence, checkAttention, digitSvg, headMatrix, headName, inkShare, inkiestPatch, matrixSvg, movePatch, patchCell, patchInk, patchName, queryRow, topKeys } from './attn-view.ts';

/** A fake `[4, 16, 16]` attention: head h, query q puts weight on key (q + h) mod 16 and spreads the rest. */
function fake(): Float32Array {
  const a = new Float32Array(4 * 256);
  for (let h = 0; h < 4; h++)
    for (let q = 0; q < 16; q++)
      for (let k = 0; k < 16; k++) a[h * 256 + q * 16 + k] = k === (q + h) % 16 ? 0.55 : 0.03;
  return a;
}

describe('attention figure logic', () => {
  it('picks one head or the mean of the heads, rows still summing to 1', () => {
    const a = fake();
    const h2 = headMatrix(a, 2);
    expect(h2[3 * 16 + 5]).toBeCloseTo(0.55);
    const mean = headMatrix(a, 'mean');
    for (let q = 0; q < 16; q++) expect(queryRow(mean, q).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    expect(mean[0]).toBeCloseTo((0.55 + 3 * 0.03) / 4);
    expect(() => headMatrix(a, 4)).toThrow(/No attention head 4/);
    expect(() => headMatrix(a.subarray(1), 'mean')).toThrow(/expected 4 heads × 16 × 16/);
    expect(() => checkAttention(new Float32Array(10))).toThrow(/gave 10 weights/);
  });

  it('moves the selected patch in the 4 × 4 grid without wrapping', () => {
    expect(patchCell(6)).toEqual([1, 2]);
    expect(patchName(6)).toBe('patch (row 2, column 3)');
    expect(movePatch(6, 'ArrowRight')).toBe(7);
    expect(movePatch(7, 'ArrowRight')).toBe(7);
    expect(movePatch(6, 'ArrowDown')).toBe(10);
    expect(movePatch(14, 'ArrowDown')).toBe(14);
    expect(movePatch(4, 'ArrowLeft')).toBe(4);
    expect(movePatch(2, 'ArrowUp')).toBe(2);
    expect(movePatch(9, 'Home')).toBe(0);
    expect(movePatch(9, 'End')).toBe(15);
    expect(movePatch(9, 'a')).toBeNull();
  });

  it('finds the inkiest patch and the share of attention on ink', () => {
    const x = new Float32Array(784);
    for (let r = 14; r < 21; r++) for (let c = 7; c < 14; c++) x[r * 28 + c] = 1; // patch (2, 1) = 9
    x[0] = 0.5; // a little ink in patch 0
    const ink = patchInk(x);
    expect(ink[9]).toBe(49);
    expect(ink[0]).toBe(0.5);
    expect(inkiestPatch(x)).toBe(9);
    const row = new Float32Array(16).fill(0.05);
    row[9] = 0.25;
    expect(inkShare(row, ink)).toBeCloseTo(0.25);
  });

  it('words where a patch looks', () => {
    const row = queryRow(headMatrix(fake(), 1), 4);
    expect(topKeys(row, 2)).toEqual([
      [5, expect.closeTo(0.55, 5)],
      [0, expect.closeTo(0.03, 5)],
    ]);
    expect(headName('mean')).toBe('the mean of the 4 heads');
    expect(headName(0)).toBe('head 1');
    expect(attentionSentence(row, 4, 1)).toBe(
      'In head 2, patch (row 2, column 1) gives most of its attention to patch (row 2, column 2) (55 %), patch (row 1, column 1) (3 %), patch (row 1, column 2) (3 %); to itself 3 %.',
    );
  });

  it('renders the matrix and the shaded digit as SVG, relative to the largest weight', () => {
    const m = headMatrix(fake(), 0);
    const svg = matrixSvg(m, 3, 'Matrix <test>');
    expect(svg).toContain('<title id="za-m-t">Matrix &lt;test&gt;</title>');
    expect(svg.match(/data-q="/g)).toHaveLength(256);
    expect(svg).toContain('fill-opacity="1" data-q="3" data-k="3"');
    expect(svg).toContain('fill-opacity="0.055" data-q="3" data-k="4"');
    const x = new Float32Array(784);
    x[29] = 1;
    const d = digitSvg(x, queryRow(m, 0), 0, 'Digit');
    expect(d.match(/fill="#fff"/g)).toHaveLength(1);
    expect(d.match(/width="7" height="7"/g)).toHaveLength(16);
  });
});
