import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tidyIso } from '../../src/core/isoTime.js';

describe('tidyIso', () => {
  it.each([
    ['2026-08-31T00:50:46.000000Z', '2026-08-31T00:50:46Z'],
    ['2026-08-31T00:50:46.538000Z', '2026-08-31T00:50:46.538Z'],
    ['2026-08-31T00:50:46.538120Z', '2026-08-31T00:50:46.538120Z'],
    ['2026-08-31T00:50:46.000120Z', '2026-08-31T00:50:46.000120Z'],
  ])('%s → %s', (text, tidy) => {
    expect(tidyIso(text)).toBe(tidy);
  });

  it('never changes the instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: 0, max: 999 }), (ms, us) => {
        const text = new Date(ms).toISOString().replace('Z', `${String(us).padStart(3, '0')}Z`);
        const tidy = tidyIso(text);
        expect(Date.parse(tidy)).toBe(Date.parse(text.replace(/(\.\d{3})\d{3}Z$/, '$1Z')));
        expect(tidy.length).toBeLessThanOrEqual(text.length);
      }),
    );
  });
});
