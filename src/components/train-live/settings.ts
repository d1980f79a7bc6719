/**
 * DOM-free logic of the TrainLive widget: the reader's settings (model, β, latent size, learning
 * rate, batch size) and their slider scales, the honest train / held-out split of the test-digit
 * atlas, the fixed digits whose reconstructions are shown, and the wording of the readouts.
 */
import { formatInt, formatNats } from '../../lib/viz/format.ts';

/** The models the reader can train: the report's two and the first future-work model. */
export type ModelChoice = 'ae' | 'vae' | 'beta-vae';
export const MODEL_CHOICES: readonly ModelChoice[] = ['ae', 'vae', 'beta-vae'];
export const MODEL_TITLES: Record<ModelChoice, string> = { ae: 'AE', vae: 'VAE', 'beta-vae': 'β-VAE' };

/** β values on the β slider (index → β). 1 is the plain VAE; 0 drops the KL term. */
export const BETA_STEPS: readonly number[] = [0, 0.25, 0.5, 1, 2, 4, 8, 16];
/** Learning rates on the learning-rate slider (a log scale). */
export const LR_STEPS: readonly number[] = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2];
/** Batch sizes on the batch-size slider. */
export const BATCH_STEPS: readonly number[] = [16, 32, 64, 128, 256];
/** Latent sizes: the report's 2, and the 10 and 20 of its future-work list. */
export const LATENT_DIMS: readonly number[] = [2, 10, 20];

/** Slider defaults: β = 4, and the report's learning rate 0.001 and batch size 128. */
export const DEFAULT_INDEX = { beta: 5, lr: 2, batch: 3 } as const;

/** The test digits split once, before any training: the first 8,000 train, the last 2,000 are held out. */
export const SPLIT = { trainStart: 0, trainCount: 8000, heldOutStart: 8000, heldOutCount: 2000 } as const;

/** Everything a training run depends on. */
export interface TrainSettings {
  choice: ModelChoice;
  kind: 'ae' | 'vae';
  /** KL weight: 1 for the VAE, the slider's value for the β-VAE, 0 (unused) for the AE. */
  beta: number;
  latentDim: number;
  lr: number;
  batchSize: number;
}

/** The raw control values, as the form holds them. */
export interface ControlValues {
  choice: string;
  betaIndex: number;
  latentDim: string | number;
  lrIndex: number;
  batchIndex: number;
}

/** `steps[index]` with the index rounded and clamped into range. */
export function stepValue(steps: readonly number[], index: number): number {
  const i = Number.isFinite(index) ? Math.min(steps.length - 1, Math.max(0, Math.round(index))) : 0;
  return steps[i]!;
}

/** Coerces anything to a model choice; unknown input becomes the VAE. */
export function parseChoice(value: unknown): ModelChoice {
  return MODEL_CHOICES.includes(value as ModelChoice) ? (value as ModelChoice) : 'vae';
}

/** The settings the controls describe (unknown input falls back to safe defaults). */
export function resolveSettings(v: ControlValues): TrainSettings {
  const choice = parseChoice(v.choice);
  const dim = Number(v.latentDim);
  return {
    choice,
    kind: choice === 'ae' ? 'ae' : 'vae',
    beta: choice === 'ae' ? 0 : choice === 'vae' ? 1 : stepValue(BETA_STEPS, v.betaIndex),
    latentDim: LATENT_DIMS.includes(dim) ? dim : 2,
    lr: stepValue(LR_STEPS, v.lrIndex),
    batchSize: stepValue(BATCH_STEPS, v.batchIndex),
  };
}

/**
 * Whether going from `a` to `b` needs a fresh model: a new architecture or a new optimiser. β and
 * the batch size change the objective and the batches only, so they apply to a running model.
 */
export function needsReset(a: TrainSettings, b: TrainSettings): boolean {
  return a.kind !== b.kind || a.latentDim !== b.latentDim || a.lr !== b.lr;
}

/** β for display: "β = 4", "β = 0.25". */
export function formatBeta(beta: number): string {
  return `β = ${beta}`;
}

/** A learning rate for display: 0.001 → "0.001", 0.0003 → "0.0003". */
export function formatLr(lr: number): string {
  return String(Number(lr.toPrecision(2)));
}

/** A model's name for readouts: "β-VAE (β = 4), 2-D latent". */
export function settingsTitle(s: TrainSettings): string {
  const name = s.choice === 'beta-vae' ? `β-VAE (${formatBeta(s.beta)})` : MODEL_TITLES[s.choice];
  return `${name}, ${s.latentDim}-D latent`;
}

/**
 * The held-out digits shown as reconstructions: the first of each class 0–9 in the held-out part
 * (so the row reads 0…9), or simply the first ten held-out digits when the labels are unknown.
 */
export function reconIndices(labels: ArrayLike<number> | undefined, start = SPLIT.heldOutStart, count = SPLIT.heldOutCount): number[] {
  const end = start + count;
  if (labels && labels.length >= end) {
    const picked: number[] = [];
    for (let d = 0; d <= 9; d++) {
      for (let i = start; i < end; i++) {
        if (labels[i] === d) {
          picked.push(i);
          break;
        }
      }
    }
    if (picked.length === 10) return picked;
  }
  return Array.from({ length: 10 }, (_, i) => start + i);
}

/** Epochs done as a decimal: 8,000 images seen of 8,000 per epoch → 1. */
export function epochsDone(imagesSeen: number, trainCount: number = SPLIT.trainCount): number {
  return imagesSeen / trainCount;
}

/** Steps per second for display: "—" with no measurement yet, else "42 steps/s" / "3.5 steps/s". */
export function formatRate(stepsPerSecond: number | undefined): string {
  if (stepsPerSecond === undefined || !Number.isFinite(stepsPerSecond)) return '— steps/s';
  return `${stepsPerSecond >= 10 ? Math.round(stepsPerSecond) : stepsPerSecond.toFixed(1)} steps/s`;
}

/** The step/epoch readout: "Step 1,250 · epoch 10.0". */
export function progressText(step: number, imagesSeen: number): string {
  return `Step ${formatInt(step)} · epoch ${epochsDone(imagesSeen).toFixed(1)}`;
}

/** What the polite live region says when training pauses (or finishes a slice the reader asked for). */
export function pauseText(step: number, last: { total: number; bce: number; kl: number } | undefined, kind: 'ae' | 'vae'): string {
  if (!last || step === 0) return 'Paused before the first step.';
  const parts = kind === 'vae' ? `loss ${formatNats(last.total)} (BCE ${formatNats(last.bce)}, KL ${formatNats(last.kl)})` : `BCE ${formatNats(last.bce)}`;
  return `Paused at step ${formatInt(step)}: ${parts} per training image.`;
}
