/**
 * A table given as a dbt relation (`source:segment.tracks`, `ref:stg_users`) is the one Jinja in a
 * model: compiled with dbt's source() and ref() it is exactly the SQL for those tables.
 *
 * dbt reads every model and schema.yml as a Jinja template before any SQL or YAML meaning applies,
 * so `jinjaInert` must give back exactly the text segmint wrote once rendered, whatever braces,
 * percent signs and hashes the data holds (rendered with test/helpers/jinja.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dbtProject, dbtRelation, jinjaInert } from '../../src/ruleset/export/dbt.js';
import { segmentSelect } from '../../src/ruleset/export/sql.js';
import { SQL_DIALECTS, opsFor } from '../../src/ruleset/dialect.js';
import { jinja } from '../helpers/jinja.js';
import { attribute, promotedDoc } from './docs.js';

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

describe('dbt relations as tables', () => {
  const hostile = "{{ ref('x') }} segmint_0_events";
  const doc = promotedDoc('gold-users-aaaaaa', [{ feature: 'attr_plan', op: '=', value: hostile, label: `plan = ${hostile}` }], { attr_plan: attribute('plan', 'category') });

  it('reads source:NAME.TABLE and ref:MODEL, and refuses anything else of that shape', () => {
    expect(dbtRelation('source:segment.tracks', 'events-table')).toEqual({ kind: 'source', source: 'segment', table: 'tracks' });
    expect(dbtRelation('ref:stg_users', 'users-table')).toEqual({ kind: 'ref', model: 'stg_users' });
    expect(dbtRelation('SOURCE:segment.tracks', 'events-table')).toEqual({ kind: 'source', source: 'segment', table: 'tracks' });
    expect(dbtRelation('analytics.events', 'events-table')).toBeNull();
    for (const bad of ['source:tracks', 'source:a.b.c', "ref:x') }}{{ run_query('drop')", 'ref:', 'ref:a.b']) {
      expect(() => dbtRelation(bad, 'events-table'), bad).toThrow(/--events-table .* is not valid: events-table must be source:NAME\.TABLE/);
    }
  });

  it('compiles, with dbt\'s source() and ref(), to the SQL for those tables, in every dialect', () => {
    for (const dialect of SQL_DIALECTS) {
      const ops = opsFor(dialect);
      const files = dbtProject([doc], dialect, null, { events: 'source:segment.tracks', users: 'ref:stg_users' });
      const model = files.find((f) => f.name.endsWith('.sql'))!.content;
      expect(model).toContain("{{ source('segment', 'tracks') }}");
      expect(model).toContain("{{ ref('stg_users') }}");
      const compiled = jinja.renderString(model, { source: (s: string, t: string) => ops.table([s, t]), ref: (m: string) => ops.table([m]) });
      const sql = segmentSelect(doc, dialect, null, { events: 'segment.tracks', users: 'stg_users' }, { ordered: false });
      expect(compiled, dialect).toBe(`-- segmint promoted segment ${doc.key} v${doc.version} (${doc.content_hash})\n${sql}\n`);
    }
  });
});
