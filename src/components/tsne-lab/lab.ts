/**
 * The t-SNE lab's page side (browser only, loaded lazily by `<tsne-lab>`): reads and validates the
 * form, gathers the chosen input through the site's shared loaders, runs the job in a Web Worker
 * (`client.ts`), and draws the live maps with the latent map's own panel code (`MapPanel` from
 * `src/lib/viz/map-panel.ts`: canvas, zoom, hover and tap with the digit's image, keyboard).
 *
 * The work pauses while the figure is off screen or the tab is hidden, and resumes when it is
 * back; leaving the page terminates the worker, which frees its memory. With reduced motion the
 * worker sends no intermediate maps: the map appears once, finished.
 *
 * Test and benchmark hooks on the `<tsne-lab>` element: `renderTimes` (main-thread ms per drawn
 * frame: the frame message's handling plus the panels' drawing in that animation frame, last
 * 2,000), `frames` (frames drawn), `lastResult` (`{ seconds, optimiseSeconds, prepSeconds,
 * iterations, count, inputDim, scores }` of the last finished job, or null), `inWorker`
 * (whether the last job ran in a Web Worker), and `data-run` = idle | preparing | running | paused |
 * done | error on the root.
 */
import { fetchJson } from '../../lib/artifacts.ts';
import * as data from '../../lib/data.ts';
import { IMAGE_SIZE } from '../../lib/digits.ts';
import { formatInt } from '../../lib/viz/format.ts';
import { prefersReducedMotion } from '../../lib/widget-dom.ts';
import type { Embeddings } from '../../contracts/embeddings.ts';
import { MapPanel, linkedHover, type Shared } from '../../lib/viz/map-panel.ts';
import { startJob, type JobHandle } from './client.ts';
import { gatherLabels, gatherRows, parseCodeFile, type CodeSource } from './inputs.ts';
import type { FromWorker, JobSpec, RunScores } from './job.ts';
import { comparison, progressLine, referenceText } from './results.ts';
import {
  EXAGGERATION_ITERATIONS,
  INPUT_LABELS,
  MULTIPLES,
  PIXEL_PCA_DIMS,
  subsetIndices,
  validateSettings,
  type Field,
  type InputId,
  type LabSettings,
  type RawSettings,
} from './settings.ts';

/** What the island hands the lab once the 2-D VAE's file and the manifest are in. */
export interface LabContext {
  vae: CodeSource;
  available: InputId[];
  /** Shows a failure in the widget's alert and enters the error state. */
  fail(err: unknown): void;
  /** Leaves the error state (a new run started). */
  recover(): void;
}

type RunState = 'idle' | 'preparing' | 'running' | 'paused' | 'done' | 'error';

/** A job the reader started: its settings, mode and selection. */
interface Job {
  settings: LabSettings;
  perplexities: number[];
  indices: Uint32Array;
  labels: Uint8Array;
  handle: JobHandle | undefined;
  id: number;
  iterations: number;
}

/** The result hook's shape. */
export interface LabResult {
  seconds: number;
  optimiseSeconds: number;
  prepSeconds: number;
  iterations: number;
  count: number;
  inputDim: number;
  scores: RunScores[];
}

const STAGE_TEXT = {
  pca: `Reducing the pixels to ${PIXEL_PCA_DIMS} dimensions (PCA)…`,
  neighbours: 'Finding each point’s nearest neighbours and their affinities…',
  optimise: 'Optimising the map…',
  metrics: 'Scoring the map: trustworthiness@10 and 10-NN accuracy…',
} as const;

/**
 * Makes the given test digits' pixels available to `atlasDigit`, through the shared loader:
 * `loadDigits` (only the chunks holding them, issue 11) where `src/lib/data.ts` has it, else the
 * whole test-digit atlas.
 */
function loadDigitsFor(indices: Uint32Array): Promise<data.Atlas> {
  const chunked = (data as unknown as { loadDigits?: (i: Iterable<number>) => Promise<data.Atlas> }).loadDigits;
  return chunked ? chunked(indices) : data.loadAtlas();
}

/** Yields to the page (a macrotask), so long preparations do not block it. */
const yieldToPage = () => new Promise<void>((r) => setTimeout(r, 0));

/** Mounts the lab inside a `<tsne-lab>` root whose server markup is already there. */
export function mountTsneLab(root: HTMLElement, ctx: LabContext): { destroy(): void } {
  const q = <T extends Element>(sel: string): T => {
    const el = root.querySelector<T>(sel);
    if (!el) throw new Error(`The t-SNE lab's markup is missing ${sel}.`);
    return el;
  };
  const form = q<HTMLFormElement>('form.tsl-form');
  const inputSel = q<HTMLSelectElement>('[data-role="input"]');
  const sizeSel = q<HTMLSelectElement>('[data-role="size"]');
  const perplexity = q<HTMLInputElement>('[data-role="perplexity"]');
  const perplexityOut = q<HTMLOutputElement>('[data-role="perplexity-text"]');
  const lrValue = q<HTMLInputElement>('[data-role="lr"]');
  const exaggeration = q<HTMLInputElement>('[data-role="exaggeration"]');
  const iterations = q<HTMLInputElement>('[data-role="iterations"]');
  const seed = q<HTMLInputElement>('[data-role="seed"]');
  const startBtn = q<HTMLButtonElement>('[data-role="start"]');
  const pauseBtn = q<HTMLButtonElement>('[data-role="pause"]');
  const restartBtn = q<HTMLButtonElement>('[data-role="restart"]');
  const multiplesBtn = q<HTMLButtonElement>('[data-role="multiples"]');
  const stageText = q<HTMLElement>('[data-role="stage"]');
  const progressText = q<HTMLElement>('[data-role="progress"]');
  const live = q<HTMLElement>('[data-role="live"]');
  const results = q<HTMLElement>('[data-role="results"]');
  const resultsBody = q<HTMLElement>('[data-role="results"] tbody');
  const resultsNote = q<HTMLElement>('[data-role="results-note"]');
  const sections = [...root.querySelectorAll<HTMLElement>('.tsl-panel')];
  const digitBoxes = [...root.querySelectorAll<HTMLInputElement>('input[data-role="digit"]')];
  const lrModes = [...root.querySelectorAll<HTMLInputElement>('input[data-role="lr-mode"]')];

  // Offer exactly the inputs the artifacts have.
  for (const opt of [...inputSel.options]) {
    if (!ctx.available.includes(opt.value as InputId)) opt.remove();
  }
  for (const id of ctx.available) {
    if (![...inputSel.options].some((o) => o.value === id)) inputSel.add(new Option(INPUT_LABELS[id], id));
  }
  if (!ctx.available.includes(inputSel.value as InputId)) inputSel.value = ctx.available[0] ?? '';

  const hooks = root as HTMLElement & { renderTimes: number[]; frames: number; lastResult: LabResult | null; inWorker: boolean };
  hooks.renderTimes = [];
  hooks.frames = 0;
  hooks.lastResult = null;
  hooks.inWorker = false;

  const sources = new Map<InputId, Promise<CodeSource>>([['vae', Promise.resolve(ctx.vae)]]);
  const loadSource = (id: Exclude<InputId, 'pixels'>): Promise<CodeSource> => {
    let p = sources.get(id);
    if (!p) {
      p = fetchJson<unknown>(`${id}/embeddings.json`).then((raw) => parseCodeFile(raw, id));
      sources.set(id, p);
      p.catch(() => sources.delete(id));
    }
    return p;
  };

  // ---- the panels (the latent map's code) ---------------------------------------------------
  // Class labels (each digit at its class's median) only on a finished map: computing the medians
  // every frame would add main-thread work while the map moves.
  const shared: Shared = { method: 'tsne', highlight: null, hovered: -1, labels: false };
  const panels: (MapPanel | undefined)[] = sections.map(() => undefined);
  const onHover = linkedHover(shared, () => panels);
  root.addEventListener('lm-highlight', (e) => {
    const d = (e as CustomEvent<number | null>).detail;
    shared.highlight = d === null || d === shared.highlight ? null : d;
    for (const p of panels) p?.highlightChanged();
  });
  if (typeof ResizeObserver !== 'undefined') {
    let pending = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => panels.forEach((p) => p?.resize()));
    });
    for (const s of sections) ro.observe(s);
  }

  /**
   * Shows `coords` in panel `i` (creating it, or replacing its points for a new job); `moving`: a
   * live frame, more follow (the axes wait for the final map).
   */
  const show = (i: number, coords: Float32Array, job: Job, fresh: boolean, moving = false) => {
    const section = sections[i]!;
    let panel = panels[i];
    const emb: Embeddings = { model: 'vae', count: job.labels.length, labels: job.labels, coords: { tsne: coords }, quality: {}, params: {} };
    if (!panel) {
      panel = new MapPanel(section, emb, shared, onHover);
      panels[i] = panel;
      panel.testIndex = job.indices;
      panel.resize();
    } else if (fresh) {
      panel.testIndex = job.indices;
      panel.setData(emb);
    } else panel.setPoints(coords, moving);
    const p = job.perplexities[i]!;
    const label =
      `t-SNE map at perplexity ${p} of ${formatInt(job.labels.length)} test digits (${INPUT_LABELS[job.settings.input]}), as dots coloured by digit. ` +
      'Arrow keys pan, plus and minus zoom, R resets, Enter inspects the digit nearest the centre, number keys highlight a digit.';
    // Only when it changes: a live frame should not touch the accessibility tree.
    if (canvasLabels[i] !== label) {
      canvasLabels[i] = label;
      panel.describeAs(label);
    }
  };
  const canvasLabels: string[] = [];

  // ---- state -------------------------------------------------------------------------------------
  let state: RunState = 'idle';
  let job: Job | undefined;
  let lastSettings: { settings: LabSettings; multiples: boolean } | undefined;
  let autoPaused = false;
  let nextId = 1;
  let freshPanels = new Set<number>();

  const setState = (s: RunState) => {
    state = s;
    root.dataset.run = s;
    const active = s === 'preparing' || s === 'running' || s === 'paused';
    pauseBtn.disabled = !(s === 'running' || s === 'paused');
    pauseBtn.textContent = s === 'paused' ? 'Resume' : 'Pause';
    pauseBtn.setAttribute('aria-pressed', String(s === 'paused'));
    restartBtn.disabled = !lastSettings;
    startBtn.textContent = active ? 'Start anew' : 'Start';
  };

  const stopJob = () => {
    job?.handle?.terminate();
    if (job) job.handle = undefined;
  };

  // ---- the form ----------------------------------------------------------------------------------
  const raw = (): RawSettings => ({
    input: inputSel.value,
    size: sizeSel.value,
    digits: digitBoxes.filter((b) => b.checked).map((b) => Number(b.value)),
    perplexity: perplexity.value,
    lrMode: lrModes.find((r) => r.checked)?.value ?? '',
    learningRate: lrValue.value,
    exaggeration: exaggeration.value,
    iterations: iterations.value,
    seed: seed.value,
  });
  const countFor = (size: number, digits: readonly number[]) => subsetIndices(ctx.vae.labels, size, digits).length;
  const fieldEls: Record<Field, HTMLElement[]> = {
    input: [inputSel],
    size: [sizeSel],
    digits: digitBoxes,
    perplexity: [perplexity],
    learningRate: [lrValue],
    exaggeration: [exaggeration],
    iterations: [iterations],
    seed: [seed],
  };

  /** Validates; shows each field's message beside it (or clears it). */
  const validate = (multiples: boolean) => {
    const r = raw();
    const v = validateSettings(multiples ? { ...r, perplexity: String(Math.max(...MULTIPLES)) } : r, ctx.available, countFor);
    const errors = v.ok ? {} : v.errors;
    for (const field of Object.keys(fieldEls) as Field[]) {
      const box = root.querySelector<HTMLElement>(`[data-error="${field}"]`);
      const msg = errors[field];
      if (box) {
        box.textContent = msg ? (multiples && field === 'perplexity' ? `Small multiples: ${msg}` : msg) : '';
        box.hidden = !msg;
      }
      for (const el of fieldEls[field]) {
        if (msg) el.setAttribute('aria-invalid', 'true');
        else el.removeAttribute('aria-invalid');
      }
    }
    return v;
  };

  const syncLr = () => {
    lrValue.disabled = lrModes.find((r) => r.checked)?.value !== 'fixed';
  };
  form.addEventListener('input', (e) => {
    if (e.target === perplexity) {
      perplexityOut.value = perplexity.value;
      perplexity.setAttribute('aria-valuetext', `perplexity ${perplexity.value}`);
    }
    syncLr();
    validate(false);
  });
  form.addEventListener('change', () => {
    syncLr();
    validate(false);
  });

  // ---- running -----------------------------------------------------------------------------------
  const begin = async (settings: LabSettings, multiples: boolean) => {
    stopJob();
    const id = nextId++;
    lastSettings = { settings, multiples };
    const perplexities = multiples ? [...MULTIPLES] : [settings.perplexity];
    const indices = subsetIndices(ctx.vae.labels, settings.size, settings.digits);
    const thisJob: Job = { settings, perplexities, indices, labels: gatherLabels(ctx.vae.labels, indices), handle: undefined, id, iterations: settings.iterations };
    job = thisJob;
    autoPaused = false;
    results.hidden = true;
    root.dataset.mode = multiples ? 'multiples' : 'single';
    sections.forEach((s, i) => {
      s.hidden = i >= perplexities.length;
      const title = s.querySelector<HTMLElement>('[data-role="title"]');
      if (title) title.textContent = i < perplexities.length ? `Perplexity ${perplexities[i]}` : '';
      const scores = s.querySelector<HTMLElement>('[data-role="scores"]');
      if (scores) scores.textContent = '';
    });
    freshPanels = new Set(perplexities.map((_, i) => i));
    shared.labels = false;
    setState('preparing');
    stageText.textContent = settings.input === 'pixels' ? 'Reading the test digits’ pixels…' : 'Reading the codes…';
    progressText.textContent = progressLine(0, settings.iterations, null, 0);
    live.textContent = `Started t-SNE on ${formatInt(indices.length)} digits${multiples ? ' at perplexities 5, 30 and 100' : ''}.`;
    let rows: Float32Array<ArrayBuffer>;
    let dim: number;
    try {
      if (settings.input === 'pixels') {
        const atlas = await loadDigitsFor(indices);
        const pixels = new Float32Array(indices.length * IMAGE_SIZE);
        rows = pixels;
        for (let r = 0; r < indices.length; r++) {
          data.atlasDigit(atlas, indices[r]!, pixels.subarray(r * IMAGE_SIZE, (r + 1) * IMAGE_SIZE));
          if (r % 1000 === 999) await yieldToPage();
        }
        dim = IMAGE_SIZE;
      } else {
        const source = await loadSource(settings.input);
        if (source.count < ctx.vae.count) throw new Error(`${settings.input}/embeddings.json holds ${source.count} digits, fewer than the ${ctx.vae.count} test digits.`);
        rows = gatherRows(source, indices);
        dim = source.dim;
      }
    } catch (err) {
      if (job !== thisJob) return;
      setState('error');
      ctx.fail(err);
      return;
    }
    if (job !== thisJob) return; // replaced while loading
    ctx.recover();
    const spec: JobSpec = {
      rows,
      dim,
      labels: thisJob.labels.slice(),
      pcaDims: settings.input === 'pixels' ? PIXEL_PCA_DIMS : undefined,
      runs: perplexities.map((p) => ({ perplexity: p, learningRate: settings.learningRate, exaggeration: settings.exaggeration, iterations: settings.iterations, seed: settings.seed })),
      frames: !prefersReducedMotion(),
      exaggerationIterations: EXAGGERATION_ITERATIONS,
    };
    thisJob.handle = startJob(spec, (msg) => receive(thisJob, msg));
    hooks.inWorker = thisJob.handle.inWorker;
    syncVisibility();
  };

  const receive = (j: Job, msg: FromWorker) => {
    if (job !== j) return;
    if (msg.type === 'stage') {
      const multi = msg.runs > 1 && msg.stage === 'neighbours' ? ` (map ${msg.run + 1} of ${msg.runs})` : '';
      stageText.textContent = STAGE_TEXT[msg.stage] + multi;
      if (msg.stage === 'optimise' && state === 'preparing') {
        setState('running');
        syncVisibility();
      }
    } else if (msg.type === 'frame') {
      if (state === 'preparing') setState('running');
      syncVisibility();
      const t0 = performance.now();
      progressText.textContent = progressLine(msg.iteration, msg.iterations, msg.kl[0] ?? null, msg.seconds);
      if (msg.coords) {
        msg.coords.forEach((c, i) => {
          show(i, c, j, freshPanels.has(i), true);
          freshPanels.delete(i);
        });
        const handled = performance.now() - t0;
        requestAnimationFrame((frameStart) => {
          // Runs after the panels' own draw callbacks of this frame.
          const work = handled + Math.max(0, performance.now() - frameStart);
          hooks.renderTimes.push(work);
          if (hooks.renderTimes.length > 2000) hooks.renderTimes.shift();
          hooks.frames++;
          j.handle?.send({ type: 'ack' });
        });
      }
    } else if (msg.type === 'paused') {
      setState('paused');
      // The axes were left out while the points moved: bring them up to date for the paused map.
      for (const p of panels) if (p?.emb.coords.tsne) p.setPoints(p.emb.coords.tsne);
      stageText.textContent = `Paused at iteration ${formatInt(msg.iteration)}${autoPaused ? ' (the figure is out of sight; it goes on when you come back)' : ''}.`;
      if (!autoPaused) live.textContent = stageText.textContent;
    } else if (msg.type === 'done') {
      shared.labels = true;
      msg.coords.forEach((c, i) => {
        show(i, c, j, freshPanels.has(i));
        freshPanels.delete(i);
      });
      stopJob(); // frees the worker's memory
      hooks.lastResult = {
        seconds: msg.seconds,
        optimiseSeconds: msg.optimiseSeconds,
        prepSeconds: msg.prepSeconds,
        iterations: msg.iterations,
        count: j.labels.length,
        inputDim: msg.inputDim,
        scores: msg.scores,
      };
      progressText.textContent = progressLine(msg.iterations, j.iterations, msg.scores[0]!.kl, msg.seconds);
      stageText.textContent = `Done in ${msg.seconds.toFixed(1)} s (${msg.prepSeconds.toFixed(1)} s preparing, ${msg.optimiseSeconds.toFixed(1)} s optimising).`;
      showResults(j, msg.scores, msg.inputDim);
      setState('done');
    } else if (msg.type === 'error') {
      stopJob();
      setState('error');
      ctx.fail(new Error(`The t-SNE run failed: ${msg.message}`));
    }
  };

  const showResults = async (j: Job, scores: RunScores[], inputDim: number) => {
    const input = j.settings.input;
    let baked = ctx.vae.baked;
    if (input !== 'pixels') baked = (await loadSource(input).catch(() => undefined))?.baked;
    const selection = j.settings.digits.length < 10;
    const { rows, note } = comparison(
      input,
      j.labels.length,
      selection,
      scores.map((s, i) => ({ perplexity: j.perplexities[i]!, trustworthiness: s.trustworthiness, knnAccuracy: s.knnAccuracy, kl: s.kl })),
      baked,
    );
    if (job !== j) return;
    resultsBody.replaceChildren(
      ...rows.map((r) => {
        const tr = document.createElement('tr');
        if (r.own) tr.className = 'is-own';
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = r.label;
        tr.append(th, ...[r.trustworthiness, r.knnAccuracy].map((t) => Object.assign(document.createElement('td'), { textContent: t })));
        return tr;
      }),
    );
    const caption = results.querySelector('caption');
    if (caption) caption.textContent = `Scores of the finished map${scores.length > 1 ? 's' : ''}: trustworthiness@10 against ${referenceText(input, inputDim)}, and leave-one-out 10-NN accuracy in the map.`;
    resultsNote.textContent = note;
    results.hidden = false;
    scores.forEach((s, i) => {
      const el = sections[i]?.querySelector<HTMLElement>('[data-role="scores"]');
      if (el) el.textContent = `trustworthiness@10 ${s.trustworthiness === null ? '—' : s.trustworthiness.toFixed(3)} · 10-NN accuracy ${s.knnAccuracy === null ? '—' : `${(s.knnAccuracy * 100).toFixed(1)}%`} · KL ${s.kl.toFixed(3)}`;
    });
    live.textContent = `Done. ${rows[0]!.label}: trustworthiness ${rows[0]!.trustworthiness}, 10-NN accuracy ${rows[0]!.knnAccuracy}.`;
  };

  const pause = (auto: boolean) => {
    if (state !== 'running' || !job?.handle) return;
    autoPaused = auto;
    job.handle.send({ type: 'pause' });
  };
  const resume = () => {
    if (state !== 'paused' || !job?.handle) return;
    autoPaused = false;
    setState('running');
    stageText.textContent = STAGE_TEXT.optimise;
    live.textContent = 'Resumed.';
    job.handle.send({ type: 'resume' });
  };

  const tryStart = (multiples: boolean) => {
    const v = validate(multiples);
    if (!v.ok) {
      const first = (Object.keys(fieldEls) as Field[]).find((f) => v.errors[f]);
      if (first) fieldEls[first][0]?.focus();
      live.textContent = 'The settings need fixing: see the messages beside the fields.';
      return;
    }
    void begin(v.settings, multiples);
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    tryStart(false);
  });
  multiplesBtn.addEventListener('click', () => tryStart(true));
  pauseBtn.addEventListener('click', () => (state === 'paused' ? resume() : pause(false)));
  restartBtn.addEventListener('click', () => {
    if (lastSettings) void begin(lastSettings.settings, lastSettings.multiples);
  });

  // ---- visibility: pause out of sight, stop on leaving -----------------------------------------
  let onScreen = true;
  const syncVisibility = () => {
    const shown = onScreen && document.visibilityState !== 'hidden';
    if (!shown && state === 'running') pause(true);
    else if (shown && state === 'paused' && autoPaused) resume();
  };
  const io =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver((entries) => {
          onScreen = entries.some((e) => e.isIntersecting);
          syncVisibility();
        })
      : undefined;
  io?.observe(root);
  document.addEventListener('visibilitychange', syncVisibility);
  const onPageHide = () => {
    stopJob();
    if (state === 'preparing' || state === 'running' || state === 'paused') {
      setState('idle');
      stageText.textContent = 'Stopped when the page was left. Press Start to run again.';
    }
  };
  window.addEventListener('pagehide', onPageHide);

  for (const el of form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>('input, select, button')) el.disabled = false;
  syncLr();
  setState('idle');
  stageText.textContent = 'Ready: choose the settings and press Start.';
  validate(false);

  return {
    destroy() {
      stopJob();
      io?.disconnect();
      document.removeEventListener('visibilitychange', syncVisibility);
      window.removeEventListener('pagehide', onPageHide);
    },
  };
}
