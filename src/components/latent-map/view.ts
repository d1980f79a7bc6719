/**
 * The live latent maps (browser only, loaded lazily by `<latent-map>`): the two models' maps side
 * by side (`MapPanel`, `src/lib/viz/map-panel.ts`), linked hover, the projection switch, class
 * highlighting from the legend and the quality table. The figure's projections may arrive later:
 * a view whose coordinates are not loaded yet is fetched when the reader picks it
 * (`MountOptions.loadCoords`).
 */
import { METHOD_LABELS, METHODS, type Embeddings, type Method } from '../../contracts/embeddings.ts';
import { formatCoord, formatPercent, formatScore } from '../../lib/viz/format.ts';
import { classSummaries } from '../../lib/viz/map-layout.ts';
import { MapPanel, linkedHover, type Shared } from '../../lib/viz/map-panel.ts';
import { codeQualityLine, qualityLine } from '../../lib/viz/map-tooltip.ts';

/** How `mountLatentMap` gets the views that are not in the embeddings it is given. */
export interface MountOptions {
  /** The views the reader may pick (default: those whose coordinates both models have). */
  methods?: readonly Method[];
  /** Fetches one model's coordinates of a view, when the reader first picks it. */
  loadCoords?: (model: string, method: Method) => Promise<Float32Array>;
  /** Reports a view that could not be loaded (the island's alert). */
  fail?: (err: unknown) => void;
  /** The view shown first, whose coordinates the embeddings hold (default `latent`; a d-D code has no raw view). */
  start?: Method;
  /** The width of the models' code when it is not 2: quality lines then lead with trustworthiness against that code. */
  codeDim?: number;
}

/**
 * Mounts the interactive maps inside a `<latent-map>` root whose server markup is already there.
 * While a picked view's coordinates load, the root carries `data-loading-method`.
 */
export function mountLatentMap(root: HTMLElement, ae: Embeddings, vae: Embeddings, options: MountOptions = {}): void {
  const has = (m: Method) => Boolean(ae.coords[m] && vae.coords[m]);
  const available = METHODS.filter((m) => (options.methods ? options.methods.includes(m) && (has(m) || options.loadCoords) : has(m)));
  const labelToggle = root.querySelector<HTMLInputElement>('input.lm-labels');
  const shared: Shared = { method: options.start ?? 'latent', highlight: null, hovered: -1, labels: labelToggle?.checked ?? true };
  const status = root.querySelector<HTMLElement>('.lm-status');
  const announce = (msg: string) => {
    if (status) status.textContent = msg;
  };

  const onHover = linkedHover(shared, () => panels);

  const panels: MapPanel[] = [ae, vae].map((emb) => {
    const section = root.querySelector<HTMLElement>(`.lm-panel[data-model="${emb.model}"]`);
    if (!section) throw new Error(`The latent map is missing its ${emb.model.toUpperCase()} panel.`);
    return new MapPanel(section, emb, shared, onHover);
  });

  /** Quality line per panel, the quality table's current row, and the class-centre table. */
  const describe = () => {
    const m = shared.method;
    root.dataset.method = m;
    for (const p of panels) {
      p.describe(m);
      const q = root.querySelector<HTMLElement>(`.lm-panel[data-model="${p.model}"] .lm-quality`);
      if (q) q.textContent = `${METHOD_LABELS[m]}: ${options.codeDim ? codeQualityLine(p.emb.quality[m], options.codeDim) : qualityLine(p.emb.quality[m])}`;
    }
    for (const row of root.querySelectorAll<HTMLTableRowElement>('.lm-quality-table tbody tr')) {
      const on = row.dataset.method === m;
      row.classList.toggle('is-current', on);
      if (on) row.setAttribute('aria-current', 'true');
      else row.removeAttribute('aria-current');
    }
    const body = root.querySelector<HTMLElement>('.lm-centres tbody');
    const caption = root.querySelector<HTMLElement>('.lm-centres caption');
    if (caption) caption.textContent = `Centre (mean x, y) and spread (RMS distance to the centre) of each digit class in the ${METHOD_LABELS[m]} view.`;
    if (body) {
      const [sa, sv] = [ae, vae].map((e) => classSummaries(e.coords[m]!, e.labels));
      body.replaceChildren(
        ...sa!.map((a, d) => {
          const v = sv![d]!;
          const tr = document.createElement('tr');
          const cells = [`(${formatCoord(a.cx)}, ${formatCoord(a.cy)})`, formatCoord(a.spread), `(${formatCoord(v.cx)}, ${formatCoord(v.cy)})`, formatCoord(v.spread)];
          const th = document.createElement('th');
          th.scope = 'row';
          th.textContent = String(d);
          tr.append(th, ...cells.map((c) => Object.assign(document.createElement('td'), { textContent: c })));
          return tr;
        }),
      );
    }
  };

  /** The view the reader picked last (a slow fetch of an earlier pick must not override it). */
  let wanted: Method = shared.method;

  /** Switches every panel to a projection, fetching its coordinates first if need be. */
  const setMethod = async (m: Method) => {
    if (!available.includes(m)) return;
    wanted = m;
    if (!has(m)) {
      const load = options.loadCoords;
      if (!load) return;
      root.dataset.loadingMethod = m;
      announce(`Loading the ${METHOD_LABELS[m]} view…`);
      try {
        const [a, v] = await Promise.all([load(ae.model, m), load(vae.model, m)]);
        ae.coords[m] ??= a;
        vae.coords[m] ??= v;
      } catch (err) {
        for (const input of root.querySelectorAll<HTMLInputElement>('input.lm-method')) input.checked = input.value === shared.method;
        if (options.fail) options.fail(err);
        else throw err;
        return;
      } finally {
        if (root.dataset.loadingMethod === m) delete root.dataset.loadingMethod;
      }
      if (wanted !== m) return;
    }
    shared.method = m;
    shared.hovered = -1;
    for (const input of root.querySelectorAll<HTMLInputElement>('input.lm-method')) input.checked = input.value === m;
    for (const p of panels) p.setMethod(m);
    describe();
    announce(`Showing the ${METHOD_LABELS[m]} view.`);
  };

  /** Highlights one digit class across both maps; null clears. */
  const setHighlight = (d: number | null) => {
    shared.highlight = d === shared.highlight ? null : d;
    root.dataset.highlight = shared.highlight === null ? '' : String(shared.highlight);
    for (const b of root.querySelectorAll<HTMLButtonElement>('.lm-class')) {
      b.setAttribute('aria-pressed', String(b.dataset.digit === String(shared.highlight)));
    }
    for (const p of panels) p.highlightChanged();
    announce(shared.highlight === null ? 'Showing all digits.' : `Highlighting digit ${shared.highlight}.`);
  };

  for (const input of root.querySelectorAll<HTMLInputElement>('input.lm-method')) {
    const m = input.value as Method;
    input.disabled = !available.includes(m);
    input.addEventListener('change', () => void (input.checked && setMethod(m)));
  }
  for (const b of root.querySelectorAll<HTMLButtonElement>('.lm-class')) {
    b.disabled = false;
    b.addEventListener('click', () => setHighlight(Number(b.dataset.digit)));
  }
  if (labelToggle) {
    labelToggle.disabled = false;
    labelToggle.addEventListener('change', () => {
      shared.labels = labelToggle.checked;
      for (const p of panels) p.requestDraw();
    });
  }
  const clear = root.querySelector<HTMLButtonElement>('.lm-class-clear');
  if (clear) {
    clear.disabled = false;
    clear.addEventListener('click', () => shared.highlight !== null && setHighlight(shared.highlight));
  }
  root.addEventListener('lm-highlight', (e) => {
    const d = (e as CustomEvent<number | null>).detail;
    if (d === null) {
      if (shared.highlight !== null) setHighlight(shared.highlight);
    } else setHighlight(d);
  });

  const resize = () => {
    for (const p of panels) p.resize();
  };
  resize();
  if (typeof ResizeObserver !== 'undefined') {
    let pending = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(resize);
    });
    for (const s of root.querySelectorAll('.lm-stage')) ro.observe(s);
  }
  for (const row of root.querySelectorAll<HTMLTableRowElement>('.lm-quality-table tbody tr')) {
    const m = row.dataset.method as Method;
    const cells = [ae, vae].flatMap((e) => [
      formatScore(e.quality[m]?.trustworthiness),
      formatScore(e.quality[m]?.trustworthinessLatent),
      formatPercent(e.quality[m]?.knnAccuracy),
    ]);
    row.querySelectorAll('td').forEach((td, i) => (td.textContent = cells[i] ?? '—'));
  }
  describe();
  root.dataset.highlight = '';
}
