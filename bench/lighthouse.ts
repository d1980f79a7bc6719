/**
 * Lighthouse on every page of the production build, in Debian's Chromium.
 * Goals (issue 7): performance ≥ 95 and accessibility 100 on every chapter.
 *
 *   npm run build && npm run bench:lighthouse [-- --desktop]
 */
import lighthouse, { desktopConfig } from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { PAGES, startPreview, writeResult, type Figure } from './report.ts';

const desktop = process.argv.includes('--desktop');
const preview = await startPreview(4411);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const figures: Figure[] = [];
try {
  for (const page of PAGES) {
    const result = await lighthouse(
      preview.url + page,
      { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] },
      desktop ? desktopConfig : undefined,
    );
    const cats = result?.lhr.categories;
    const perf = Math.round((cats?.performance?.score ?? 0) * 100);
    const a11y = Math.round((cats?.accessibility?.score ?? 0) * 100);
    const failing = Object.values(result?.lhr.audits ?? {})
      .filter((a) => a.scoreDisplayMode === 'binary' && a.score === 0 && (cats?.accessibility?.auditRefs ?? []).some((r) => r.id === a.id))
      .map((a) => a.id);
    figures.push({ metric: `${page} performance`, value: perf, unit: 'score', goal: '≥ 95', ok: perf >= 95 });
    figures.push({
      metric: `${page} accessibility`,
      value: a11y,
      unit: 'score',
      goal: '= 100',
      ok: a11y === 100,
      ...(failing.length ? { note: `failing: ${failing.join(', ')}` } : {}),
    });
    console.error(`${page}: performance ${perf}, accessibility ${a11y}${failing.length ? ` (failing: ${failing.join(', ')})` : ''}`);
  }
} finally {
  await chrome.kill();
  preview.stop();
}
writeResult(desktop ? 'lighthouse-desktop' : 'lighthouse', figures);
