/**
 * The 10-class digit palette used by every figure that colours points by their digit.
 *
 * Chosen, not invented: the colours come from Paul Tol's "bright", "vibrant" and "muted" schemes
 * and Okabe & Ito's palette. From that pool we kept the 10 that maximise the smallest pairwise
 * CIELAB ΔE under normal vision and under simulated protanopia, deuteranopia and tritanopia
 * (Machado, Oliveira & Fernandes 2009, severity 1), restricted to CIELAB lightness 40–80 so that
 * every colour reads on Starlight's light *and* dark backgrounds. The smallest pairwise ΔE is
 * about 15 under every simulation (Tableau 10 drops to ≈1 under deuteranopia, Okabe–Ito padded to
 * 10 colours to ≈7); `palette.test.ts` checks this. Colour is never the only cue: the legend,
 * tooltips and tables name each digit.
 *
 * Confusable digits get distant hues: 4 (purple) / 9 (light grey) / 7 (magenta), 3 (salmon) /
 * 5 (olive) / 8 (grey).
 */
export const DIGIT_COLORS: readonly string[] = [
  '#56B4E9', // 0 sky blue
  '#CC3311', // 1 red
  '#228833', // 2 green
  '#EE8866', // 3 salmon
  '#AA4499', // 4 purple
  '#CCBB44', // 5 olive yellow
  '#8C564B', // 6 brown
  '#EE3377', // 7 magenta
  '#888888', // 8 mid grey
  '#BBBBBB', // 9 light grey
];

/** Human names of the palette's colours, for text alternatives. */
export const DIGIT_COLOR_NAMES: readonly string[] = [
  'sky blue',
  'red',
  'green',
  'salmon',
  'purple',
  'olive yellow',
  'brown',
  'magenta',
  'grey',
  'light grey',
];

/** The colour of a digit class 0–9; anything else gets a neutral grey. */
export function digitColor(digit: number): string {
  return Number.isInteger(digit) && digit >= 0 && digit <= 9 ? DIGIT_COLORS[digit]! : '#777777';
}

/** `#rrggbb` → `[r, g, b]` in 0–255. */
export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`Not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** Series colours for the two models, taken from the same palette family (blue and orange-red). */
export const MODEL_COLORS = { ae: '#0077BB', vae: '#EE7733' } as const;

/** The two models' names as the figures title them. */
export const MODEL_NAMES = { ae: 'Autoencoder (AE)', vae: 'Variational autoencoder (VAE)' } as const;
