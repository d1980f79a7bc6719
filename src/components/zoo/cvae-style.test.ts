import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadPretrained } from '../../pipeline/model-io.ts';
import { CLASSES, digitRowInputs } from '../../models/cvae-inputs.ts';
import { DEFAULT_STYLE, rowAlt, styleText } from './cvae-style.ts';
import { decodeDigitRowFromFiles, digitRowDataUri } from './cvae-static.ts';

describe('the style', () => {
  it('words the style for readers', () => {
    expect(styleText([0.123, -1.5], { kind: 'test', index: 18, label: 3 })).toBe('z = (0.12, −1.50), the style of test digit #18 (a 3, encoded with its label)');
    expect(styleText([0, 0], { kind: 'drawing', label: 7 })).toContain('your drawing (encoded as a 7)');
    expect(rowAlt([0, 0], { kind: 'plane' })).toMatch(/^The digits 0 to 9 decoded by the conditional VAE in one style: z = \(0\.00, 0\.00\)/);
  });
});

describe('the picture without JavaScript', () => {
  it('the static row is what the committed cvae decoder (TF.js) draws at the default style', async () => {
    await tf.setBackend('cpu');
    const row = decodeDigitRowFromFiles('cvae', DEFAULT_STYLE)!;
    expect(row).toHaveLength(CLASSES * 784);
    const { encoder, decoder } = await loadPretrained('cvae');
    const ref = tf.tidy(() => (decoder.predict(tf.tensor2d(digitRowInputs(DEFAULT_STYLE, 2), [10, 12])) as tf.Tensor).dataSync());
    let worst = 0;
    for (let i = 0; i < row.length; i++) worst = Math.max(worst, Math.abs(row[i]! - ref[i]!));
    expect(worst).toBeLessThan(1e-5);
    encoder.dispose();
    decoder.dispose();
    expect(digitRowDataUri(row)).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
  });
});

describe('the shared coder loader, told the label', () => {
  it('checks a conditional encoder (794 → d) and decoder (d + 10 → 784), naming the label in the message', async () => {
    const { checkStack } = await import('../../lib/zoo-coder.ts');
    const { DenseStack } = await import('../../lib/dense.ts');
    const dense = (inDim: number, outDim: number) => new DenseStack([{ kernel: new Float32Array(inDim * outDim), bias: new Float32Array(outDim), inDim, outDim, activation: 'linear' }]);
    expect(checkStack(dense(12, 784), 'decoder', 2, 'cvae/compact/decoder/model.json', 10).inDim).toBe(12);
    expect(checkStack(dense(794, 2), 'encoder', 2, 'cvae/compact/encoder/model.json', 10).inDim).toBe(794);
    expect(() => checkStack(dense(2, 784), 'decoder', 2, 'cvae/compact/decoder/model.json', 10)).toThrow(/expected 12 → 784 for a 2-D code and a 10-class one-hot label/);
    expect(() => checkStack(dense(794, 2), 'encoder', 2, 'vae/compact/encoder/model.json')).toThrow(/expected 784 → 2 for a 2-D code\.$/);
  });
});
