import { describe, expect, it } from 'vitest';
import {
  BATCH_STEPS,
  BETA_STEPS,
  DEFAULT_INDEX,
  LR_STEPS,
  SPLIT,
  epochsDone,
  formatBeta,
  formatLr,
  formatRate,
  needsReset,
  parseChoice,
  pauseText,
  progressText,
  reconIndices,
  resolveSettings,
  settingsTitle,
  stepValue,
} from './settings.ts';

const controls = { choice: 'beta-vae', betaIndex: DEFAULT_INDEX.beta, latentDim: '2', lrIndex: DEFAULT_INDEX.lr, batchIndex: DEFAULT_INDEX.batch };

describe('the data split', () => {
  it('is the atlas test digits 0–7,999 for training and 8,000–9,999 held out, disjoint and complete', () => {
    expect(SPLIT.trainStart).toBe(0);
    expect(SPLIT.trainStart + SPLIT.trainCount).toBe(SPLIT.heldOutStart);
    expect(SPLIT.heldOutStart + SPLIT.heldOutCount).toBe(10_000);
    expect(SPLIT.trainCount).toBe(8000);
  });

  it('shows one held-out digit per class, the first of each, all inside the held-out part', () => {
    const labels = Array.from({ length: 10_000 }, (_, i) => (i * 7) % 10);
    const picks = reconIndices(labels);
    expect(picks.map((i) => labels[i])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const i of picks) expect(i).toBeGreaterThanOrEqual(SPLIT.heldOutStart);
    // The first 8 in the held-out part: 8000 + k with (8000 + k)·7 ≡ 8 (mod 10) → k = 4.
    expect(picks[8]).toBe(8004);
  });

  it('falls back to the first ten held-out digits without labels or with a class missing', () => {
    expect(reconIndices(undefined)).toEqual([8000, 8001, 8002, 8003, 8004, 8005, 8006, 8007, 8008, 8009]);
    expect(reconIndices(new Array(10_000).fill(3))).toEqual(reconIndices(undefined));
  });
});

describe('settings', () => {
  it('map slider positions to values, clamping and rounding', () => {
    expect(stepValue(LR_STEPS, DEFAULT_INDEX.lr)).toBe(1e-3);
    expect(stepValue(BATCH_STEPS, DEFAULT_INDEX.batch)).toBe(128);
    expect(stepValue(BETA_STEPS, DEFAULT_INDEX.beta)).toBe(4);
    expect(stepValue(BETA_STEPS, -3)).toBe(0);
    expect(stepValue(BETA_STEPS, 99)).toBe(16);
    expect(stepValue(BETA_STEPS, 2.6)).toBe(1);
    expect(stepValue(BETA_STEPS, NaN)).toBe(0);
  });

  it('resolve the three model choices: AE (no KL), VAE (β = 1), β-VAE (β from the slider)', () => {
    expect(resolveSettings({ ...controls, choice: 'ae' })).toEqual({ choice: 'ae', kind: 'ae', beta: 0, latentDim: 2, lr: 1e-3, batchSize: 128 });
    expect(resolveSettings({ ...controls, choice: 'vae' }).beta).toBe(1);
    expect(resolveSettings(controls)).toMatchObject({ kind: 'vae', beta: 4 });
    expect(resolveSettings({ ...controls, latentDim: 20 }).latentDim).toBe(20);
    expect(resolveSettings({ ...controls, latentDim: '7' }).latentDim).toBe(2);
    expect(parseChoice('gan')).toBe('vae');
  });

  it('need a fresh model only for a new architecture or learning rate', () => {
    const a = resolveSettings(controls);
    expect(needsReset(a, resolveSettings({ ...controls, betaIndex: 1 }))).toBe(false);
    expect(needsReset(a, resolveSettings({ ...controls, batchIndex: 0 }))).toBe(false);
    expect(needsReset(a, resolveSettings({ ...controls, choice: 'vae' }))).toBe(false); // β 4 → 1 on the same network
    expect(needsReset(a, resolveSettings({ ...controls, choice: 'ae' }))).toBe(true);
    expect(needsReset(a, resolveSettings({ ...controls, latentDim: '10' }))).toBe(true);
    expect(needsReset(a, resolveSettings({ ...controls, lrIndex: 0 }))).toBe(true);
  });
});

describe('formatting', () => {
  it('words values for the readouts', () => {
    expect(formatBeta(0.25)).toBe('β = 0.25');
    expect(formatLr(1e-3)).toBe('0.001');
    expect(formatLr(3e-4)).toBe('0.0003');
    expect(formatRate(undefined)).toBe('— steps/s');
    expect(formatRate(42.4)).toBe('42 steps/s');
    expect(formatRate(3.46)).toBe('3.5 steps/s');
    expect(epochsDone(12_000)).toBe(1.5);
    expect(progressText(1250, 80_000)).toBe('Step 1,250 · epoch 10.0');
    expect(settingsTitle(resolveSettings(controls))).toBe('β-VAE (β = 4), 2-D latent');
    expect(settingsTitle(resolveSettings({ ...controls, choice: 'ae', latentDim: 10 }))).toBe('AE, 10-D latent');
  });

  it('announces a pause with the last losses', () => {
    expect(pauseText(0, undefined, 'vae')).toBe('Paused before the first step.');
    expect(pauseText(300, { total: 180.04, bce: 170.0, kl: 5.01 }, 'vae')).toBe(
      'Paused at step 300: loss 180.0 nats (BCE 170.0 nats, KL 5.01 nats) per training image.',
    );
    expect(pauseText(30, { total: 200, bce: 200, kl: 0 }, 'ae')).toBe('Paused at step 30: BCE 200.0 nats per training image.');
  });
});
