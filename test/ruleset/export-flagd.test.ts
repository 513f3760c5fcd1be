/**
 * The flagd flag set as flagd reads it (OpenFeature's flagd-core, schema validation on): values
 * from the data are data, whatever they hold. flagd expands `$ref` to `$evaluators` by text
 * replacement, where `$$`, `$&`, `` $` `` and `$'` are replacement patterns — so a rule must not
 * travel through `$evaluators`.
 */
import { FlagdCore, MemoryStorage } from '@openfeature/flagd-core';
import { describe, expect, it } from 'vitest';
import { flagdFlagSet } from '../../src/ruleset/export/flagd.js';
import type { PromotedSegment } from '../../src/ruleset/schema.js';
import { attribute, promotedDoc } from './docs.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** Loads the flag set with flagd's schema enforced (throws on a file flagd would warn about). */
function load(json: string): FlagdCore {
  new MemoryStorage(quiet).setConfigurations(json, true);
  const core = new FlagdCore(undefined, quiet);
  core.setConfigurations(json);
  return core;
}

/** The users (targeting keys) each flag puts in. */
function selected(core: FlagdCore, key: string, contexts: readonly Record<string, string | number | boolean | null>[]): string[] {
  return contexts.flatMap((context) => {
    const r = core.resolveBooleanEvaluation(key, false, context);
    expect(r.reason).not.toBe('ERROR');
    return r.value ? [String(context.targetingKey)] : [];
  });
}

describe('flagdFlagSet', () => {
  const plans = ['a $$ b', 'x$&y', 'x$`y', "x$'y", 'free'];
  const users = plans.map((plan, i) => ({ targetingKey: `u${i}`, attr_plan: plan }));
  const docs: PromotedSegment[] = plans.slice(0, 4).map((plan, i) =>
    promotedDoc(`plan-${i}`, [{ feature: 'attr_plan', op: '=', value: plan, label: `plan = ${plan}` }], { attr_plan: attribute('plan', 'category') }),
  );

  it('keeps $$, $&, $` and $\' in values as they are: each flag selects the users with that value', () => {
    const core = load(flagdFlagSet(docs));
    docs.forEach((doc, i) => expect(selected(core, doc.key, users), plans[i]).toEqual([`u${i}`]));
  });

  it('a value with $ in a != condition leaves the other flags of the set working', () => {
    const not = promotedDoc('not-dollar', [{ feature: 'attr_plan', op: '!=', value: "$'}]}x$`", label: '' }], { attr_plan: attribute('plan', 'category') });
    const core = load(flagdFlagSet([not, ...docs]));
    expect(selected(core, 'not-dollar', users)).toEqual(users.map((u) => u.targetingKey));
    expect(selected(core, 'plan-0', users)).toEqual(['u0']);
    expect(selected(core, 'plan-2', users)).toEqual(['u2']);
  });

  it('writes each rule inline in its flag (no $evaluators, no $ref)', () => {
    const set = JSON.parse(flagdFlagSet(docs));
    expect(set.$evaluators).toBeUndefined();
    expect(JSON.stringify(set.flags)).not.toContain('"$ref"');
  });

  describe('a coded category (users-table column of whole numbers 1–3, read as a category)', () => {
    const channel = { attr_channel: attribute('channel', 'category') };
    const is2 = promotedDoc('channel-2', [{ feature: 'attr_channel', op: '=', value: '2', label: "channel = '2'" }], channel);
    const not2 = promotedDoc('not-channel-2', [{ feature: 'attr_channel', op: '!=', value: '2', label: "channel != '2'" }], channel);
    const contexts: Record<string, string | number | boolean | null>[] = [
      { targetingKey: 'number', attr_channel: 2 },
      { targetingKey: 'text', attr_channel: '2' },
      { targetingKey: 'other-number', attr_channel: 3 },
      { targetingKey: 'other-text', attr_channel: '3' },
      { targetingKey: 'null', attr_channel: null },
      { targetingKey: 'absent' },
      { targetingKey: 'true', attr_channel: true },
    ];

    it('matches the code given as a number, as an app passes it, or as its text', () => {
      const core = load(flagdFlagSet([is2, not2]));
      expect(selected(core, 'channel-2', contexts)).toEqual(['number', 'text']);
      expect(selected(core, 'not-channel-2', contexts)).toEqual(['other-number', 'other-text', 'true']);
    });

    it('says in the flag metadata which context values the rule reads, and of what type', () => {
      const set = JSON.parse(flagdFlagSet([is2]));
      expect(set.flags['channel-2'].metadata.context).toBe('attr_channel: a code, as a number or its text (2 or "2"); a missing value: null or left out');
    });

    it('leaves text categories to strict equality ("02" is not 2, "gold" only "gold")', () => {
      const plan = promotedDoc('gold', [{ feature: 'attr_plan', op: '=', value: 'gold', label: '' }], { attr_plan: attribute('plan', 'category') });
      expect(JSON.parse(flagdFlagSet([plan])).flags.gold.targeting).toEqual({ if: [{ and: [{ '===': [{ var: 'attr_plan' }, 'gold'] }] }, 'in', 'out'] });
      const zero = promotedDoc('zero-two', [{ feature: 'attr_channel', op: '=', value: '02', label: '' }], channel);
      expect(selected(load(flagdFlagSet([zero])), 'zero-two', [{ targetingKey: 'n', attr_channel: 2 }, { targetingKey: 't', attr_channel: '02' }])).toEqual(['t']);
    });
  });
});
