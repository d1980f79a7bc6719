import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { DEFAULT_STYLE } from '../components/zoo/cvae-style.ts';
import { CLASSES, digitRowInputs } from '../models/cvae-inputs.ts';
import { loadPretrained } from '../pipeline/model-io.ts';
import { decodeDigitRowFromFiles, digitRowDataUri } from './cvae-static.ts';

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
