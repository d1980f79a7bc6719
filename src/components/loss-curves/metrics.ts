/**
 * Parsing and validation of `pretrained/<model>/metrics.json` (schema in DEVELOPERS.md). A file
 * that does not match throws a `MetricsError` whose message names the file and the first bad
 * field, so the widget can show it in its alert.
 */

/** Mean losses per image in nats. */
export interface LossTriple {
  loss: number;
  bce: number;
  kl: number;
}

/** One training epoch's record. */
export interface EpochRecord {
  epoch: number;
  seconds?: number;
  train: LossTriple;
  test: LossTriple;
}

/** The parts of metrics.json the figures use. */
export interface Metrics {
  model: 'ae' | 'vae';
  epochs: EpochRecord[];
  final?: { test: LossTriple };
  config: Record<string, unknown>;
}

/** A metrics.json that does not match the contract. */
export class MetricsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricsError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a {loss, bce, kl} object; throws naming `where`. */
function parseTriple(v: unknown, where: string, file: string): LossTriple {
  if (!isObject(v)) throw new MetricsError(`${file}: ${where} is missing or not an object.`);
  const out = {} as LossTriple;
  for (const key of ['loss', 'bce', 'kl'] as const) {
    const x = v[key];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new MetricsError(`${file}: ${where}.${key} is not a finite number.`);
    }
    out[key] = x;
  }
  return out;
}

/**
 * Validates parsed metrics.json. `expected` is the model the caller asked for; a file for the
 * other model is rejected. Epochs are returned sorted by epoch number.
 */
export function parseMetrics(raw: unknown, expected?: 'ae' | 'vae', file = expected ? `${expected}/metrics.json` : 'metrics.json'): Metrics {
  if (!isObject(raw)) throw new MetricsError(`${file} is not a JSON object.`);
  const model = raw.model;
  if (model !== 'ae' && model !== 'vae') throw new MetricsError(`${file}: "model" must be "ae" or "vae".`);
  if (expected && model !== expected) throw new MetricsError(`${file} describes the ${model.toUpperCase()}, not the ${expected.toUpperCase()}.`);
  if (!Array.isArray(raw.epochs) || raw.epochs.length === 0) throw new MetricsError(`${file}: "epochs" must be a non-empty list.`);
  const epochs = raw.epochs.map((e, i): EpochRecord => {
    if (!isObject(e)) throw new MetricsError(`${file}: epochs[${i}] is not an object.`);
    if (typeof e.epoch !== 'number' || !Number.isInteger(e.epoch) || e.epoch < 0) {
      throw new MetricsError(`${file}: epochs[${i}].epoch is not a whole number.`);
    }
    const rec: EpochRecord = {
      epoch: e.epoch,
      train: parseTriple(e.train, `epochs[${i}].train`, file),
      test: parseTriple(e.test, `epochs[${i}].test`, file),
    };
    if (typeof e.seconds === 'number' && Number.isFinite(e.seconds)) rec.seconds = e.seconds;
    return rec;
  });
  epochs.sort((a, b) => a.epoch - b.epoch);
  for (let i = 1; i < epochs.length; i++) {
    if (epochs[i]!.epoch === epochs[i - 1]!.epoch) throw new MetricsError(`${file}: epoch ${epochs[i]!.epoch} appears twice.`);
  }
  const out: Metrics = { model, epochs, config: isObject(raw.config) ? raw.config : {} };
  if (isObject(raw.final)) out.final = { test: parseTriple(raw.final.test, 'final.test', file) };
  return out;
}
