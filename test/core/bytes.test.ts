/** compareUtf8 orders strings as their UTF-8 bytes do. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareUtf8 } from '../../src/core/bytes.js';

const sign = (x: number) => Math.sign(x);

describe('compareUtf8', () => {
  it('agrees with comparing the encoded bytes, for ASCII, BMP, surrogate pairs and prefixes', () => {
    const char = fc.oneof(
      fc.constantFrom('a', 'b', 'Z', '0', ' ', '\u00e9', '\ud7ff', '\ue000', '\uffff', '\u{1f600}', '\u{10000}', '\u{10ffff}'),
      fc.string({ unit: 'grapheme', maxLength: 2 }),
    );
    const text = fc.array(char, { maxLength: 6 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(sign(compareUtf8(a, b))).toBe(sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))));
      }),
      { numRuns: 2000 },
    );
  });

  it('puts a code point above U+FFFF after U+FFFF, where UTF-16 order would not', () => {
    expect(['\u{1f600}', '\uffff', 'a'].sort(compareUtf8)).toEqual(['a', '\uffff', '\u{1f600}']);
  });
});
