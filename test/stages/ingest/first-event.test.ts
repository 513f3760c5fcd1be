import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withFirstEvent } from '../../../src/stages/ingest/judge.js';

describe('withFirstEvent', () => {
  const window = { start: '2024-03-01T23:45:00Z', end: '2024-05-30T23:45:00Z', days: 90 };

  it('names the first event only when the log begins clearly inside the window', () => {
    expect(withFirstEvent(window, '2024-04-02T08:00:00.000000Z')).toEqual({ ...window, firstEvent: '2024-04-02T08:00:00Z' });
    // The next morning is not news (the bundled sample: window from 23:45, events from 08:00).
    expect(withFirstEvent(window, '2024-03-02T08:00:00.000000Z')).toBe(window);
    expect(withFirstEvent(window, null)).toBe(window);
  });

  it('is said exactly when the first event is over a day and over 5% of the window after its start (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 400 * 86_400 }), (days, lateSeconds) => {
        const start = Date.parse('2024-01-01T00:00:00Z');
        const w = { start: new Date(start).toISOString(), end: new Date(start + days * 86_400_000).toISOString(), days };
        const first = new Date(start + lateSeconds * 1000).toISOString();
        const said = withFirstEvent(w, first).firstEvent !== undefined;
        expect(said).toBe(lateSeconds * 1000 > Math.max(1, 0.05 * days) * 86_400_000);
      }),
      { numRuns: 500 },
    );
  });
});
