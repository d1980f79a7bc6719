/**
 * The live loss curves: per-step losses averaged into buckets (so that a long run keeps a few
 * hundred points and the per-batch noise is smoothed), held-out evaluations, and the chart panels
 * built from them with the loss-curves figure's own layout and SVG renderer.
 */
import { TERM_COLORS, type Panel, type Series } from '../loss-curves/chart.ts';
import { MODEL_COLORS } from '../../lib/viz/palette.ts';

/** Loss terms per image, nats. `total` is the objective: BCE + β·KL (AE: BCE). */
export interface LossPoint {
  step: number;
  total: number;
  bce: number;
  kl: number;
}

/** At most this many bucketed points are kept; beyond it, neighbouring buckets merge. */
export const MAX_POINTS = 240;

/** Per-step losses averaged over buckets of `width` steps; the bucket width doubles as the run grows. */
export class LossHistory {
  readonly maxPoints: number;
  /** Completed buckets, each the mean of `width` steps, at the bucket's last step. */
  points: LossPoint[] = [];
  /** Held-out evaluations (whole held-out set), one per evaluation. */
  heldOut: LossPoint[] = [];
  /** Steps per bucket. */
  width = 1;
  #open = { steps: 0, total: 0, bce: 0, kl: 0, last: 0 };
  /** The most recent step's values (unaveraged). */
  last: LossPoint | undefined;

  constructor(maxPoints = MAX_POINTS) {
    if (maxPoints < 2 || maxPoints % 2 !== 0) throw new RangeError('maxPoints must be an even number ≥ 2');
    this.maxPoints = maxPoints;
  }

  /** Records one training step's per-image losses. */
  add(p: LossPoint): void {
    this.last = p;
    const o = this.#open;
    o.steps += 1;
    o.total += p.total;
    o.bce += p.bce;
    o.kl += p.kl;
    o.last = p.step;
    if (o.steps < this.width) return;
    this.points.push({ step: o.last, total: o.total / o.steps, bce: o.bce / o.steps, kl: o.kl / o.steps });
    this.#open = { steps: 0, total: 0, bce: 0, kl: 0, last: 0 };
    if (this.points.length > this.maxPoints) this.#merge();
  }

  /** Records an evaluation on the held-out digits. */
  addHeldOut(p: LossPoint): void {
    this.heldOut.push(p);
  }

  /** Halves the number of points: each pair becomes its mean, at the later step. */
  #merge(): void {
    const merged: LossPoint[] = [];
    for (let i = 0; i + 1 < this.points.length; i += 2) {
      const a = this.points[i]!;
      const b = this.points[i + 1]!;
      merged.push({ step: b.step, total: (a.total + b.total) / 2, bce: (a.bce + b.bce) / 2, kl: (a.kl + b.kl) / 2 });
    }
    if (this.points.length % 2 === 1) merged.push(this.points[this.points.length - 1]!);
    this.points = merged;
    this.width *= 2;
  }

  /** Forgets everything (Reset). */
  clear(): void {
    this.points = [];
    this.heldOut = [];
    this.width = 1;
    this.last = undefined;
    this.#open = { steps: 0, total: 0, bce: 0, kl: 0, last: 0 };
  }
}

/** A chart series from some points. */
function series(id: string, label: string, color: string, pts: LossPoint[], pick: (p: LossPoint) => number, dashed: boolean): Series {
  return { id, label, color, dashed, points: pts.map((p) => ({ x: p.step, y: pick(p) })) };
}

/**
 * The live panels. AE: one panel, BCE (train and held-out). VAE / β-VAE: the objective and its
 * BCE part on one panel, the KL on its own zero-based axis (it is far smaller).
 */
export function livePanels(h: LossHistory, kind: 'ae' | 'vae', beta: number): Panel[] {
  const common = { xLabel: 'step', marks: false } as const;
  if (kind === 'ae') {
    return [
      {
        id: 'live-bce',
        title: 'AE: reconstruction loss (BCE)',
        note: 'Solid: training batches (averaged); dashed: the 2,000 held-out digits.',
        series: [
          series('ae-train', 'BCE, training batches', MODEL_COLORS.ae, h.points, (p) => p.bce, false),
          series('ae-held', 'BCE, held-out digits', MODEL_COLORS.ae, h.heldOut, (p) => p.bce, true),
        ],
        ...common,
      },
    ];
  }
  const objective = beta === 1 ? 'BCE + KL' : 'BCE + β·KL';
  return [
    {
      id: 'live-total',
      title: `Total loss = ${objective}, and its BCE part`,
      note: 'Solid: training batches (averaged); dashed: the 2,000 held-out digits.',
      series: [
        series('total-train', 'Total, training', TERM_COLORS.total, h.points, (p) => p.total, false),
        series('total-held', 'Total, held-out', TERM_COLORS.total, h.heldOut, (p) => p.total, true),
        series('bce-train', 'BCE, training', TERM_COLORS.bce, h.points, (p) => p.bce, false),
        series('bce-held', 'BCE, held-out', TERM_COLORS.bce, h.heldOut, (p) => p.bce, true),
      ],
      ...common,
    },
    {
      id: 'live-kl',
      title: 'KL divergence term (unweighted)',
      note: 'KL(q(z|x) ‖ N(0, I)) in nats per image. A larger β pushes it down.',
      zeroBased: true,
      series: [
        series('kl-train', 'KL, training', TERM_COLORS.kl, h.points, (p) => p.kl, false),
        series('kl-held', 'KL, held-out', TERM_COLORS.kl, h.heldOut, (p) => p.kl, true),
      ],
      ...common,
    },
  ];
}
