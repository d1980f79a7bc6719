/**
 * The AE and VAE architectures as data: layer sizes, activations, parameter counts, the prose
 * that explains each layer, and the diagram's geometry. Pure; rendered to SVG at build time by
 * `ArchitectureDiagram.astro`.
 */

/** A model the site trains. */
export type ModelId = 'ae' | 'vae';

/** What a node in the diagram is. */
export type LayerKind = 'input' | 'dense' | 'sample';

/** One node of a diagram. */
export interface Layer {
  /** Unique within the page, e.g. `vae-mu`. */
  id: string;
  kind: LayerKind;
  /** Short name on the diagram. */
  name: string;
  /** Number of units (outputs). */
  units: number;
  /** Number of inputs (for dense layers). */
  inputs: number;
  activation: 'none' | 'ReLU' | 'sigmoid' | 'linear';
  /** `encoder` or `decoder` half. */
  part: 'encoder' | 'latent' | 'decoder';
  /** One or two sentences for the reader. */
  explain: string;
  /** Ids of the nodes feeding this one. */
  from: string[];
}

/** Weights + biases of a dense layer; 0 for inputs and the sampling step. */
export function layerParams(layer: Layer): number {
  return layer.kind === 'dense' ? layer.inputs * layer.units + layer.units : 0;
}

/** Total trainable parameters of a list of layers. */
export function totalParams(layers: readonly Layer[]): number {
  return layers.reduce((sum, l) => sum + layerParams(l), 0);
}

const IMAGE = 784;
const HIDDEN = 128;
const LATENT = 2;

/** The layers of one model, input to output. */
export function architecture(model: ModelId): Layer[] {
  const p = model;
  const input: Layer = {
    id: `${p}-input`, kind: 'input', name: 'x', units: IMAGE, inputs: 0, activation: 'none', part: 'encoder', from: [],
    explain: 'The input: a 28 × 28 MNIST digit flattened to 784 pixel intensities in [0, 1].',
  };
  const enc: Layer = {
    id: `${p}-enc`, kind: 'dense', name: 'Dense', units: HIDDEN, inputs: IMAGE, activation: 'ReLU', part: 'encoder', from: [input.id],
    explain: 'Encoder hidden layer: 784 → 128, fully connected, ReLU (max(0, ·)). It learns 128 stroke detectors.',
  };
  const dec: Layer = {
    id: `${p}-dec`, kind: 'dense', name: 'Dense', units: HIDDEN, inputs: LATENT, activation: 'ReLU', part: 'decoder', from: [`${p}-z`],
    explain: 'Decoder hidden layer: 2 → 128, fully connected, ReLU. It expands the 2-D code back into features.',
  };
  const out: Layer = {
    id: `${p}-out`, kind: 'dense', name: 'x̂', units: IMAGE, inputs: HIDDEN, activation: 'sigmoid', part: 'decoder', from: [dec.id],
    explain:
      'Output layer: 128 → 784 with a sigmoid, so each pixel is a probability in (0, 1). The loss is the binary cross-entropy between x̂ and x, summed over the 784 pixels.',
  };
  if (model === 'ae') {
    const z: Layer = {
      id: 'ae-z', kind: 'dense', name: 'z', units: LATENT, inputs: HIDDEN, activation: 'linear', part: 'latent', from: [enc.id],
      explain: 'The code z: 128 → 2, linear (no activation). Each image becomes one point in a 2-D plane; nothing forces the points to fill it evenly.',
    };
    return [input, enc, z, dec, out];
  }
  const mu: Layer = {
    id: 'vae-mu', kind: 'dense', name: 'μ', units: LATENT, inputs: HIDDEN, activation: 'linear', part: 'latent', from: [enc.id],
    explain: 'Mean head μ: 128 → 2, linear. The centre of the Gaussian q(z | x) the encoder proposes for this image.',
  };
  const logvar: Layer = {
    id: 'vae-logvar', kind: 'dense', name: 'log σ²', units: LATENT, inputs: HIDDEN, activation: 'linear', part: 'latent', from: [enc.id],
    explain: 'Log-variance head log σ²: 128 → 2, linear. Predicting the logarithm keeps σ² = exp(log σ²) positive without a constraint.',
  };
  const z: Layer = {
    id: 'vae-z', kind: 'sample', name: 'z', units: LATENT, inputs: LATENT, activation: 'none', part: 'latent', from: [mu.id, logvar.id],
    explain:
      'Sampling by reparameterisation: z = μ + σ · ε with ε ~ N(0, I) and σ = exp(½ log σ²). The randomness sits in ε, so gradients flow through μ and σ. The KL term pulls q(z | x) towards N(0, I). No parameters.',
  };
  return [input, enc, mu, logvar, z, dec, out];
}

/** Parameter count read from a TF.js `model.json` weights manifest; `undefined` if unreadable. */
export function countModelJsonParams(modelJson: unknown): number | undefined {
  const groups = (modelJson as { weightsManifest?: unknown } | undefined)?.weightsManifest;
  if (!Array.isArray(groups)) return undefined;
  let total = 0;
  for (const g of groups) {
    const weights = (g as { weights?: unknown }).weights;
    if (!Array.isArray(weights)) return undefined;
    for (const w of weights) {
      const shape = (w as { shape?: unknown }).shape;
      if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) return undefined;
      total += (shape as number[]).reduce((a, b) => a * b, 1);
    }
  }
  return total;
}

/** A node placed on the diagram: a bar whose height grows with log₂(units), or a circle for sampling. */
export interface PlacedLayer {
  layer: Layer;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Diagram geometry in SVG user units. */
export interface DiagramLayout {
  width: number;
  height: number;
  nodes: PlacedLayer[];
  /** Funnel-shaped links between a node and each of its inputs, as SVG path data. */
  links: { from: string; to: string; d: string }[];
}

/** Bar height for a layer of `units` units: 784 → tall, 128 → medium, 2 → short. */
export function barHeight(units: number): number {
  return Math.round(18 + 14 * Math.log2(Math.max(units, 1)));
}

/** Lays a model's layers out left to right; the VAE's μ and log σ² heads are stacked. */
export function layoutDiagram(layers: readonly Layer[]): DiagramLayout {
  const width = 760;
  const barW = 44;
  const top = 40;
  const columns: string[][] = [];
  for (const l of layers) {
    if (l.id.endsWith('-logvar')) columns[columns.length - 1]!.push(l.id);
    else columns.push([l.id]);
  }
  const maxH = barHeight(784);
  const stacked = columns.some((c) => c.length > 1);
  const height = top + maxH + (stacked ? 40 : 30) + 20;
  const midY = top + maxH / 2;
  const step = (width - 2 * 24 - barW) / (columns.length - 1);
  const byId = new Map(layers.map((l) => [l.id, l]));
  const nodes: PlacedLayer[] = [];
  columns.forEach((col, ci) => {
    const x = 24 + ci * step;
    col.forEach((id, k) => {
      const layer = byId.get(id)!;
      const h = layer.kind === 'sample' ? 44 : barHeight(layer.units);
      const offset = col.length === 1 ? 0 : (k - (col.length - 1) / 2) * 64;
      nodes.push({ layer, x, y: midY + offset - h / 2, width: layer.kind === 'sample' ? 44 : barW, height: h });
    });
  });
  const placed = new Map(nodes.map((n) => [n.layer.id, n]));
  const links: DiagramLayout['links'] = [];
  for (const n of nodes) {
    for (const src of n.layer.from) {
      const a = placed.get(src);
      if (!a) continue;
      const x0 = a.x + a.width;
      const x1 = n.x;
      const d = `M${x0},${a.y} L${x1},${n.y} L${x1},${n.y + n.height} L${x0},${a.y + a.height} Z`;
      links.push({ from: src, to: n.layer.id, d });
    }
  }
  return { width, height, nodes, links };
}
