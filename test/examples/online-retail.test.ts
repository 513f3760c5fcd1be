/**
 * The Online Retail example runs end to end from the repository as committed: a real purchase
 * log with missing customer ids, cancellations and a monetary value.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/resolve.js';
import { createContext } from '../../src/core/context.js';
import { runPipeline, type RunOutcome } from '../../src/pipeline.js';
import { tempDir } from '../helpers/tmp.js';

const CONFIG = fileURLToPath(new URL('../../pipeline/examples/online-retail.yaml', import.meta.url));
const DATA = fileURLToPath(new URL('../../data/examples/online-retail/online-retail-sample-20000.csv', import.meta.url));
/** Facts of the sample, counted independently (see data/examples/online-retail/README.md). */
const ROWS = 20_000;
const NA_ROWS = 5_078;
const CUSTOMERS = 3_049;

describe('the Online Retail example', () => {
  it('ships its data with the attribution beside it', () => {
    expect(existsSync(DATA)).toBe(true);
    const readme = readFileSync(join(DATA, '../README.md'), 'utf8');
    expect(readme).toContain(
      'Daqing Chen, "Online Retail", UCI Machine Learning Repository, 2015, CC BY 4.0. Row sample as published in a public analysis repository.',
    );
  });

  it('resolves to purchases, C-invoice cancellations and a revenue value feature', () => {
    const config = loadConfigFile(CONFIG);
    const events = config.inputs.events!;
    expect(events.paths).toEqual([DATA]);
    expect(events.columns.userId).toBe('CustomerID');
    expect(events.columns.timestamp).toBe('InvoiceDate');
    expect(events.eventName).toBe('purchase');
    expect(events.eventCases).toEqual([{ column: 'InvoiceNo', startsWith: 'C', equals: null, negative: false, event: 'cancellation' }]);
    expect(config.features.values).toEqual([{ name: 'revenue', columns: ['Quantity', 'UnitPrice'], aggregates: ['sum', 'mean'] }]);
    expect(config.output.maxRejectRate).toBe(0.3);
  });

  describe('a run', () => {
    let outcome: RunOutcome;
    beforeAll(async () => {
      const config = loadConfigFile(CONFIG, { out: tempDir('segmint-retail-') });
      outcome = await runPipeline(config, createContext(config.seed));
    }, 120_000);

    it('accounts for every row, rejecting exactly the rows without a customer id', () => {
      const ev = outcome.documents.manifest.accounting.find((a) => a.role === 'events')!;
      expect(ev.read).toBe(ROWS);
      expect(ev.used + ev.outOfWindow + ev.duplicates + ev.rejected).toBe(ev.read);
      expect(ev.rejected).toBe(NA_ROWS);
      // The window covers the whole log and an invoice number is no event id.
      expect(ev.outOfWindow).toBe(0);
      expect(ev.duplicates).toBe(0);

      const rejects = Papa.parse<Record<string, string>>(readFileSync(join(outcome.runDir, 'rejects.csv'), 'utf8'), {
        header: true,
        skipEmptyLines: true,
      }).data;
      expect(rejects).toHaveLength(NA_ROWS);
      for (const r of rejects) {
        expect(r.value).toBe('NA');
        expect(r.reason).toMatch(/missing user id.*CustomerID/);
      }
    });

    it('counts cancellations as their own event type and builds revenue features', () => {
      const features = outcome.documents.segments.model.features;
      expect(features).toContain('count__cancellation');
      expect(features).toContain('count__purchase');
      const revenue = features.filter((f) => /revenue/.test(f));
      expect(revenue.some((f) => /sum/.test(f))).toBe(true);
      expect(revenue.some((f) => /mean/.test(f))).toBe(true);
    });

    it('chooses k in range and writes the report', () => {
      const { segments } = outcome.documents;
      expect(segments.selection.method).toBe('auto');
      expect(segments.k).toBeGreaterThanOrEqual(2);
      expect(segments.k).toBeLessThanOrEqual(8);
      expect(segments.segments).toHaveLength(segments.k);
      // Every customer has at least one row with their id, all inside the window.
      expect(segments.users).toBe(CUSTOMERS);
      for (const f of ['report.html', 'report.md', 'manifest.json', 'segments.json', 'assignments.csv']) {
        expect(existsSync(join(outcome.runDir, f))).toBe(true);
      }
    });
  });
});
