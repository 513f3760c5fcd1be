import { describe, expect, it } from 'vitest';
import { globToRegExp, hasGlob } from '../../../src/stages/ingest/glob.js';
import { formatOf } from '../../../src/stages/ingest/files.js';

describe('globToRegExp', () => {
  it.each([
    ['*.csv', 'a.csv', true],
    ['*.csv', 'sub/a.csv', false],
    ['**/*.csv', 'a.csv', true],
    ['**/*.csv', 'x/y/a.csv', true],
    ['events-?.csv', 'events-1.csv', true],
    ['events-?.csv', 'events-10.csv', false],
    ['*.{csv,jsonl}', 'a.jsonl', true],
    ['*.{csv,jsonl}', 'a.json', false],
    ['[ab]*.csv', 'b1.csv', true],
    ['[!ab]*.csv', 'b1.csv', false],
    ['a+b (1).csv', 'a+b (1).csv', true],
  ])('%s matches %s: %s', (glob, file, expected) => {
    expect(globToRegExp(glob).test(file)).toBe(expected);
  });

  it('tells globs from plain paths', () => {
    expect(hasGlob('/data/*.csv')).toBe(true);
    expect(hasGlob('/data/events.csv')).toBe(false);
  });
});

describe('formatOf', () => {
  it.each([
    ['a.csv', 'csv'],
    ['a.CSV.gz', 'csv'],
    ['a.tsv', 'tsv'],
    ['a.jsonl.gz', 'jsonl'],
    ['a.ndjson', 'jsonl'],
    ['a.json', 'json'],
    ['a.parquet', 'parquet'],
    ['README.md', null],
  ])('%s is %s', (file, format) => {
    expect(formatOf(file)).toBe(format);
  });
});
