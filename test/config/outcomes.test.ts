import { describe, expect, it } from 'vitest';
import { configHash, resolveConfig } from '../../src/config/resolve.js';

const origin = { file: 'job.yaml', baseDir: '/repo', source: null };
const users = (extra: Record<string, unknown>) => ({ inputs: { users: { path: 'users.csv', key: 'id', ...extra } } });

describe('config: outcomes and column types', () => {
  it('reads outcomes and types, and leaves a config without them (and its hash) as before', () => {
    const c = resolveConfig(users({ outcomes: ['churned', 'revenue'], types: { Region: 'category', row: 'id' } }), origin);
    expect(c.inputs.users!.outcomes).toEqual(['churned', 'revenue']);
    expect(c.inputs.users!.types).toEqual({ Region: 'category', row: 'id' });
    const plain = resolveConfig(users({}), origin);
    expect(Object.keys(plain.inputs.users!)).toEqual(['paths', 'key', 'exclude', 'accountKey']);
    expect(configHash(resolveConfig(users({ outcomes: [], types: {} }), origin))).toBe(configHash(plain));
  });

  it('adds --outcome to the users outcomes, once each', () => {
    const c = resolveConfig(users({ outcomes: ['churned'] }), origin, { outcomes: ['revenue', 'churned'] });
    expect(c.inputs.users!.outcomes).toEqual(['churned', 'revenue']);
    // --outcome churned --outcome churned: one outcome, not "job.yaml: … must be each outcome column once" (QA).
    expect(resolveConfig(users({}), origin, { outcomes: ['churned', 'churned'] }).inputs.users!.outcomes).toEqual(['churned']);
    expect(() => resolveConfig({ inputs: { events: { path: 'e.csv' } } }, origin, { outcomes: ['churned'] })).toThrow(
      /inputs\.users\.path must be a users table holding the --outcome column\(s\)/,
    );
  });

  it('refuses bad types and outcomes in one line naming the setting', () => {
    expect(() => resolveConfig(users({ types: { Region: 'integer' } }), origin)).toThrow(/inputs\.users\.types\.Region must be one of category, number, date, id, ignore, got "integer"/);
    expect(() => resolveConfig(users({ outcomes: ['id'] }), origin)).toThrow(/inputs\.users\.outcomes must be columns other than the key \(id\)/);
    expect(() => resolveConfig(users({ outcomes: ['x'], exclude: ['x'] }), origin)).toThrow(/inputs\.users\.outcomes must be columns not also in inputs\.users\.exclude/);
    expect(() => resolveConfig(users({ outcomes: ['x'], types: { x: 'ignore' } }), origin)).toThrow(/inputs\.users\.types\.x must be category or number for an outcome column/);
    expect(() => resolveConfig({ inputs: { users: { path: 'u.csv' }, accounts: { path: 'a.csv', outcome: ['x'] } } }, origin)).toThrow(/unknown setting inputs\.accounts\.outcome/);
  });
});
