/**
 * dbt reads every model and schema.yml as a Jinja template before any SQL or YAML meaning applies,
 * so `jinjaInert` must give back exactly the text segmint wrote once rendered, whatever braces,
 * percent signs and hashes the data holds (rendered with test/helpers/jinja.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jinjaInert } from '../../src/ruleset/export/dbt.js';
import { jinja } from '../helpers/jinja.js';

describe('jinjaInert', () => {
  it('renders back to the text it was given, for any text of tag characters', () => {
    const text = fc.string({ unit: fc.constantFrom('{', '}', '%', '#', '-', "'", '"', ' ', '\n', 'x', '7', '*', '(', ')'), maxLength: 40 });
    fc.assert(
      fc.property(text, (s) => {
        expect(jinja.renderString(jinjaInert(s), {})).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves nothing for Jinja to run: an expression, a statement and a comment stay text', () => {
    const hostile = "event = '{{ 7*7 }}' OR name = '{% if true %}x{% endif %}' -- {# note";
    expect(jinja.renderString(hostile.replace(' -- {# note', ''), {})).not.toBe(hostile.replace(' -- {# note', '')); // the raw text is live
    expect(jinja.renderString(jinjaInert(hostile), {})).toBe(hostile);
    expect(jinjaInert('plain {x} 100% #1')).toBe('plain {x} 100% #1');
  });
});
