/**
 * report.html in a real browser: headless Chromium (Debian's /usr/bin/chromium, never a
 * downloaded one) driven by playwright-core opens the report of two real pipeline runs, the
 * bundled sample and an attribute-only run (users table, no events), at a wide and a narrow
 * window, and checks what string tests cannot: nothing clipped, nothing overlapping, nothing
 * spilling out of a card, no console error and no request beyond the file itself. A third report,
 * rendered from oversized hostile documents, holds the layout to data no sample run produces.
 *
 * Needs Chromium at SEGMINT_CHROMIUM (default /usr/bin/chromium; CI installs Debian's package).
 * Without one the test fails and says so; SEGMINT_SKIP_BROWSER=1 skips it explicitly.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, resolveConfig } from '../../../src/config/resolve.js';
import type { ResolvedConfig } from '../../../src/config/types.js';
import { createContext } from '../../../src/core/context.js';
import { runPipeline } from '../../../src/pipeline.js';
import { renderHtml } from '../../../src/stages/report/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { UNBROKEN, makeHostileMatches, makeOversizedDocuments } from './hostile.js';
import { LAYOUT_PROBE } from './layout-probe.js';
import { withLineage } from './lineage-docs.js';

const CHROMIUM = process.env.SEGMINT_CHROMIUM ?? '/usr/bin/chromium';
const SKIP = process.env.SEGMINT_SKIP_BROWSER === '1';
const WIDTHS = [1400, 800] as const;
/** Every browser step is bounded; a hung browser fails the test instead of stalling CI. */
const STEP_MS = 30_000;

/** A report opened from its file (a pipeline run) or handed to the page as markup. */
type Report = { readonly name: string; readonly file: string } | { readonly name: string; readonly html: string };

const NAMES = ['bundled sample', 'attribute-only run', 'oversized hostile documents'] as const;

/** Runs the pipeline into a fresh folder and returns the path of the report it wrote. */
async function reportOf(config: ResolvedConfig): Promise<string> {
  const outcome = await runPipeline(config, createContext(config.seed));
  return join(outcome.runDir, 'report.html');
}

describe.skipIf(SKIP)('report.html in headless Chromium', () => {
  let browser: Browser | undefined;
  const dirs: string[] = [];
  const reports: Report[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), point SEGMINT_CHROMIUM at one, or set SEGMINT_SKIP_BROWSER=1`);
    }
    const sampleOut = tempDir('segmint-browser-sample-');
    const attrOut = tempDir('segmint-browser-attributes-');
    dirs.push(sampleOut, attrOut);
    const sample = loadConfigFile('pipeline/default.yaml', { out: sampleOut });
    // A users table alone: an attribute-only run (no events, so no event charts or chips to lean on).
    const attributes = resolveConfig(
      { name: 'attributes-only', inputs: { users: { path: 'data/sample/users.csv' } } },
      { file: 'browser.test.ts', baseDir: process.cwd(), source: null },
      { out: attrOut },
    );
    expect(attributes.inputs.events).toBeNull();
    reports.push({ name: NAMES[0], file: await reportOf(sample) });
    reports.push({ name: NAMES[1], file: await reportOf(attributes) });
    // With the --ruleset section, oversized too: it must stay inside its card like the rest.
    // With a lineage too (long keys, 12 runs of history, every status): "Since the previous run" stays in its cards.
    const oversized = withLineage(makeOversizedDocuments(), UNBROKEN);
    reports.push({ name: NAMES[2], html: renderHtml(oversized, { promoted: makeHostileMatches(oversized, UNBROKEN) }) });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: STEP_MS });
  });

  afterAll(async () => {
    await browser?.close();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('the layout probe reports clipped, overlapping, untitled and overflowing content', async () => {
    // A page with one of each defect, so a probe that silently checked nothing would fail here.
    const page = await browser!.newPage({ viewport: { width: 800, height: 600 } });
    try {
      await page.setContent(`<!doctype html><html><body style="font:12px sans-serif">
<svg aria-label="broken" width="200" height="100" viewBox="0 0 200 100">
<text x="-30" y="50">41,535.8</text>
<text x="100" y="20">first</text><text x="104" y="22">second</text>
<g class="badge"><circle cx="150" cy="70" r="11"/><text x="150" y="74">1</text></g>
<g class="badge"><circle cx="154" cy="72" r="11"/><text x="154" y="76">4</text></g>
<text x="10" y="90">Multi-feature…</text>
<circle cx="60" cy="20" r="4"/><text x="50" y="24">2.0%</text>
</svg>
<div class="card" style="width:200px"><code>${'x'.repeat(200)}</code></div></body></html>`);
      const problems = (await page.evaluate(LAYOUT_PROBE)) as string[];
      const has = (re: RegExp) => problems.some((p) => re.test(p));
      expect(has(/text "41,535.8" .* outside the chart/)).toBe(true);
      expect(has(/text "first" .* overlaps text "second"/)).toBe(true);
      expect(has(/badge "1" .* overlaps badge "4"/)).toBe(true);
      expect(has(/text "Multi-feature…" is shortened but no <title>/)).toBe(true);
      expect(has(/text "2.0%" .* covers a point/)).toBe(true);
      expect(has(/\.card: content \d+px wide in a 200px card/)).toBe(true);
      expect(has(/the page scrolls sideways/)).toBe(true);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('bundled sample at 390 px (a phone): no sideways scroll, and chart text stays readable (wide charts scroll in their box)', async () => {
    const report = reports[0];
    if (!('file' in report)) throw new Error('the sample report is a file');
    const page = await browser!.newPage({ viewport: { width: 390, height: 900 } });
    try {
      page.setDefaultTimeout(STEP_MS);
      await page.goto(pathToFileURL(report.file).href, { waitUntil: 'load', timeout: STEP_MS });
      // A string, as LAYOUT_PROBE is: it runs in the page, whose DOM types the tests do not compile against.
      const [scrollWidth, smallest] = (await page.evaluate(
        `[document.documentElement.scrollWidth, Math.min(...[...document.querySelectorAll('svg.chart text')].map((t) => t.getBoundingClientRect().height).filter((h) => h > 0))]`,
      )) as [number, number];
      expect(scrollWidth).toBeLessThanOrEqual(390);
      // Shrunk with the page, the trait and map charts' labels were 5–6 px high (QA).
      expect(smallest).toBeGreaterThanOrEqual(9);
    } finally {
      await page.close();
    }
  }, 60_000);

  NAMES.forEach((name, index) => {
    for (const width of WIDTHS) {
      it(`${name} at ${width} px: no clipping, overlap, overflow, error or request`, async () => {
        const report = reports[index];
        expect(report.name).toBe(name);
        const url = 'file' in report ? pathToFileURL(report.file).href : null;
        const context = await browser!.newContext({ viewport: { width, height: 1000 } });
        try {
          const page = await context.newPage();
          page.setDefaultTimeout(STEP_MS);
          const errors: string[] = [];
          const requests: string[] = [];
          page.on('console', (m) => {
            if (m.type() === 'error') errors.push(m.text());
          });
          page.on('pageerror', (e) => errors.push(e.message));
          // Any request but the report itself is recorded and refused, so a regression cannot reach out.
          await context.route('**/*', (route) => {
            const u = route.request().url();
            if (u === url) return route.continue();
            requests.push(u);
            return route.abort();
          });
          page.on('request', (r) => {
            if (r.url() !== url && !requests.includes(r.url())) requests.push(r.url());
          });
          if ('file' in report) await page.goto(url!, { waitUntil: 'load', timeout: STEP_MS });
          else await page.setContent(report.html, { waitUntil: 'load', timeout: STEP_MS });
          const problems = (await page.evaluate(LAYOUT_PROBE)) as string[];
          expect({ report: name, width, errors, requests, problems }).toEqual({ report: name, width, errors: [], requests: [], problems: [] });
        } finally {
          await context.close();
        }
      }, 60_000);
    }
  });
});
