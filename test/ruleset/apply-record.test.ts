import { describe, expect, it } from 'vitest';
import { continuityWarnings, type ApplyRecord } from '../../src/ruleset/apply-record.js';
import type { Membership } from '../../src/ruleset/memberships.js';

const member = (userId: string, segment: string, version = 1): Membership => ({ userId, segment, version });
const record = (asOf: string): ApplyRecord => ({ kind: 'segmint.apply-record', version: 1, as_of: [asOf], segments: [{ key: 'a', version: 1, content_hash: 'sha256:x' }] });
const codes = (ws: readonly { code: string }[]) => ws.map((w) => w.code);

describe('what rules apply says about its changes.csv', () => {
  it('says nothing for the same segments, the same versions, forward in time', () => {
    expect(continuityWarnings([member('u1', 'a')], record('2026-10-01 00:00:00.000000'), [{ key: 'a', version: 1 }], ['2026-10-08 00:00:00.000000'])).toEqual([]);
  });

  it('names memberships of none of these segments (another ruleset\'s --out)', () => {
    const ws = continuityWarnings([member('u1', 'x'), member('u2', 'y')], null, [{ key: 'a', version: 1 }], ['2026-10-08 00:00:00.000000']);
    expect(codes(ws)).toEqual(['W_APPLY_OTHER_MEMBERSHIPS']);
    expect(ws[0].message).toContain('its 2 rows are of x, y');
    // An empty previous file, or one sharing a segment, is not another ruleset's.
    expect(continuityWarnings([], null, [{ key: 'a', version: 1 }], [])).toEqual([]);
    expect(continuityWarnings([member('u1', 'x'), member('u2', 'a')], null, [{ key: 'a', version: 1 }], [])).toEqual([]);
  });

  it('names an as-of before the previous one, and a segment whose version changed', () => {
    const ws = continuityWarnings([member('u1', 'a', 1)], record('2026-10-08 00:00:00.000000'), [{ key: 'a', version: 2 }], ['2026-10-01 00:00:00.000000']);
    expect(codes(ws)).toEqual(['W_APPLY_BACKWARDS', 'W_APPLY_NEW_VERSION']);
    expect(ws[1].message).toBe("a was selected by v1 last time and by v2 now: its entries and exits include the rule's change, not only users' behaviour");
  });
});
