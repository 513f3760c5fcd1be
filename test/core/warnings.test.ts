import { describe, expect, it } from 'vitest';
import { warnings } from '../../src/core/warnings.js';

describe('warnings wording', () => {
  it('duplicate keys: the article agrees with the key words', () => {
    expect(warnings.duplicateKeys(3, 'accounts', 'account id', 'a1').message).toBe(
      '3 accounts rows repeat an account id already seen (e.g. "a1"); the first row of each was kept',
    );
    expect(warnings.duplicateKeys(1, 'users', 'user id', 'b').message).toBe('1 users row repeats a user id already seen (e.g. "b"); the first row of each was kept');
  });

  it('non-finite values: a file names its line, a warehouse table itself', () => {
    expect(warnings.nonFiniteValues(2, 'users', 'score', { file: '/data/users.csv', line: 7, value: '1e309' }).message).toBe(
      '2 users value(s) in column "score" are not finite numbers (infinite, NaN or too large) (first: users.csv:7 "1e309"); they were read as missing',
    );
    expect(warnings.nonFiniteValues(1, 'accounts', 'valid_to', { file: 'crm.accounts', line: null, value: 'infinity' }).message).toBe(
      '1 accounts value(s) in column "valid_to" are not finite numbers (infinite, NaN or too large) (first: table crm.accounts "infinity"); they were read as missing',
    );
  });
});
