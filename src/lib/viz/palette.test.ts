import { describe, expect, it } from 'vitest';
import { DIGIT_COLORS, DIGIT_COLOR_NAMES, digitColor, hexToRgb } from './palette.ts';

/** sRGB channel (0–1) → linear light. */
const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
/** linear light → sRGB channel (0–1), clamped. */
const toGamma = (c: number) => {
  const v = Math.min(1, Math.max(0, c));
  return v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
};

/** Machado, Oliveira & Fernandes (2009) dichromacy matrices, severity 1.0, on linear RGB. */
const CVD: Record<string, number[][]> = {
  normal: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};

/** A colour as seen under a CVD matrix, in CIELAB (D65). */
function labUnder(hex: string, m: number[][]): [number, number, number] {
  const lin = hexToRgb(hex).map((c) => toLinear(c / 255));
  const sim = m.map((row) => toLinear(toGamma(row[0]! * lin[0]! + row[1]! * lin[1]! + row[2]! * lin[2]!)));
  const [r, g, b] = sim as [number, number, number];
  const X = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const Y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const Z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))];
}

describe('digit palette', () => {
  it('has 10 distinct named colours', () => {
    expect(DIGIT_COLORS).toHaveLength(10);
    expect(DIGIT_COLOR_NAMES).toHaveLength(10);
    expect(new Set(DIGIT_COLORS.map((c) => c.toLowerCase())).size).toBe(10);
  });

  it.each(Object.keys(CVD))('keeps every pair apart (ΔE ≥ 14) under %s', (kind) => {
    const labs = DIGIT_COLORS.map((c) => labUnder(c, CVD[kind]!));
    let min = Infinity;
    for (let i = 0; i < labs.length; i++) {
      for (let j = i + 1; j < labs.length; j++) {
        const [a, b] = [labs[i]!, labs[j]!];
        min = Math.min(min, Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]));
      }
    }
    expect(min).toBeGreaterThanOrEqual(14);
  });

  it('keeps lightness mid-range so points read on light and dark backgrounds', () => {
    for (const c of DIGIT_COLORS) {
      const L = labUnder(c, CVD.normal!)[0];
      expect(L).toBeGreaterThan(40);
      expect(L).toBeLessThan(80);
    }
  });

  it('maps digits to colours and anything else to grey', () => {
    expect(digitColor(0)).toBe(DIGIT_COLORS[0]);
    expect(digitColor(9)).toBe(DIGIT_COLORS[9]);
    expect(digitColor(10)).toBe('#777777');
    expect(digitColor(1.5)).toBe('#777777');
  });

  it('parses hex colours', () => {
    expect(hexToRgb('#0a10ff')).toEqual([10, 16, 255]);
    expect(() => hexToRgb('red')).toThrow();
  });
});
