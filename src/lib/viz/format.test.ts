import { describe, expect, it } from 'vitest';
import { escapeXml, formatCoord, formatInt, formatNats, formatPercent, formatScore } from './format.ts';

describe('formatting', () => {
  it('formats integers with separators', () => {
    expect(formatInt(202258)).toBe('202,258');
  });
  it('formats losses in nats per image', () => {
    expect(formatNats(150.27)).toBe('150.3 nats');
    expect(formatNats(5.678)).toBe('5.68 nats');
    expect(formatNats(Number.NaN)).toBe('—');
  });
  it('formats fractions and scores', () => {
    expect(formatPercent(0.7134)).toBe('71.3%');
    expect(formatPercent(undefined)).toBe('—');
    expect(formatScore(0.93412)).toBe('0.934');
  });
  it('formats coordinates with a true minus sign', () => {
    expect(formatCoord(-1.2345)).toBe('−1.23');
    expect(formatCoord(12.34)).toBe('12.3');
    expect(formatCoord(123.4)).toBe('123');
  });
  it('escapes markup', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
