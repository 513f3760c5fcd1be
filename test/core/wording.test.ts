/** Sentences whose wording depends on the case: what decided k, and "a" or "an" before a vendor's name. */
import { describe, expect, it } from 'vitest';
import { errors } from '../../src/core/messages.js';
import { warnings } from '../../src/core/warnings.js';

describe('message wording', () => {
  it('a segment below min_size says whether k was fixed, and what would merge it', () => {
    const head = 'segment 1 has 11 users, fewer than cluster.min_size (20): ';
    expect(warnings.segmentBelowMinSize(1, 11, 20, 4, true).message).toBe(`${head}k = 4 was fixed; a smaller k avoids it`);
    expect(warnings.segmentBelowMinSize(1, 11, 20, 2, false).message).toBe(`${head}k = 2 is the fewest segments segmint fits, so this small group could not be merged away`);
    expect(warnings.segmentBelowMinSize(1, 11, 20, 4, false).message).toBe(`${head}no candidate k kept every segment that large, and k = 4 was the best; --k 3 merges it`);
  });

  it('names a vendor with the right article', () => {
    expect(errors.presetShapeMismatch('e.jsonl', 'amplitude', ['event_type'], ['x'], 'segment').message).toBe('e.jsonl does not look like an amplitude export (no event_type; found x)');
    expect(errors.presetShapeMismatch('e.jsonl', 'segment', ['type'], ['x'], 'amplitude').hint).toMatch(/^it looks like an amplitude export/);
  });
});
