import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { tidyRecord, tidyValues } from './tensor-values.ts';

await tf.setBackend('cpu');

describe('tidyValues / tidyRecord', () => {
  it('return the computed values and leave no tensor behind', () => {
    const before = tf.memory().numTensors;
    const v = tidyValues(() => tf.add(tf.tensor1d([1, 2, 3]), tf.scalar(1)));
    expect(Array.from(v)).toEqual([2, 3, 4]);
    const r = tidyRecord(() => ({ a: tf.mul(tf.tensor1d([1, 2]), 2), b: tf.square(tf.scalar(5)) }));
    expect(Array.from(r.a)).toEqual([2, 4]);
    expect(Array.from(r.b)).toEqual([25]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('give a copy that outlives the tensors', () => {
    const v = tidyValues(() => tf.ones([4]));
    v[0] = 7;
    expect(Array.from(tidyValues(() => tf.ones([4])))).toEqual([1, 1, 1, 1]);
  });
});
