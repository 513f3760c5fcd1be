/**
 * Small validators for the YAML config. Each reads one value at a dotted path and either returns
 * it typed or throws `errors.configInvalid` naming the file, the path and what was expected.
 * Hand-written (rather than a schema library) so every message names the path in the user's own
 * snake_case spelling with the exact expectation, in one line.
 */
import { errors } from '../core/messages.js';

export type Obj = Record<string, unknown>;

export class Reader {
  constructor(readonly file: string) {}

  fail(path: string, expected: string, got: unknown): never {
    throw errors.configInvalid(this.file, path, expected, got);
  }

  /** An object (or absent ⇒ {}), with no keys outside `allowed`. */
  object(value: unknown, path: string, allowed: readonly string[]): Obj {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'a mapping', value);
    for (const key of Object.keys(value as Obj)) {
      if (!allowed.includes(key)) throw errors.configUnknownKey(this.file, join(path, key), allowed);
    }
    return value as Obj;
  }

  number(o: Obj, path: string, key: string, fallback: number, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    const p = join(path, key);
    const range = describeRange(opts);
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(p, `a number${range}`, v);
    if (opts.integer && !Number.isInteger(v)) this.fail(p, `a whole number${range}`, v);
    if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
      this.fail(p, `a ${opts.integer ? 'whole ' : ''}number${range}`, v);
    }
    return v;
  }

  boolean(o: Obj, path: string, key: string, fallback: boolean): boolean {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') this.fail(join(path, key), 'true or false', v);
    return v;
  }

  /** A number, or `auto` / null ⇒ null. */
  numberOrAuto(o: Obj, path: string, key: string, fallback: number | null, opts: { min?: number; max?: number; integer?: boolean } = {}): number | null {
    const v = o[key];
    if (v === 'auto' || v === null) return null;
    if (v === undefined) return fallback;
    if (typeof v !== 'number') this.fail(join(path, key), `a number${describeRange(opts)} or auto`, v);
    return this.number(o, path, key, 0, opts);
  }

  string(o: Obj, path: string, key: string, fallback: string): string {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string' || v.length === 0) this.fail(join(path, key), 'a non-empty string', v);
    return v;
  }

  /** A string, or `auto` / absent ⇒ null. */
  stringOrAuto(o: Obj, path: string, key: string): string | null {
    const v = o[key];
    if (v === undefined || v === null || v === 'auto') return null;
    if (typeof v !== 'string' || v.length === 0) this.fail(join(path, key), 'a column name or auto', v);
    return v;
  }

  oneOf<T extends string>(o: Obj, path: string, key: string, options: readonly T[], fallback: T): T {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string' || !options.includes(v as T)) this.fail(join(path, key), `one of ${options.join(', ')}`, v);
    return v as T;
  }

  /** A string or a list of strings ⇒ list. */
  stringList(o: Obj, path: string, key: string, fallback: readonly string[] = []): string[] {
    const v = o[key];
    if (v === undefined || v === null) return [...fallback];
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || list.some((s) => typeof s !== 'string' || s.length === 0)) {
      this.fail(join(path, key), 'a string or a list of strings', v);
    }
    return [...(list as string[])];
  }

  pair(o: Obj, path: string, key: string, fallback: readonly [number, number], opts: { min?: number; max?: number; integer?: boolean } = {}): [number, number] {
    const v = o[key];
    if (v === undefined || v === null) return [fallback[0], fallback[1]];
    const p = join(path, key);
    const expected = `a pair [low, high] of ${opts.integer ? 'whole ' : ''}numbers${describeRange(opts)} with low <= high`;
    if (!Array.isArray(v) || v.length !== 2) this.fail(p, expected, v);
    const [a, b] = v as unknown[];
    const ok = (x: unknown): x is number =>
      typeof x === 'number' &&
      Number.isFinite(x) &&
      (!opts.integer || Number.isInteger(x)) &&
      (opts.min === undefined || x >= opts.min) &&
      (opts.max === undefined || x <= opts.max);
    if (!ok(a) || !ok(b) || a > b) this.fail(p, expected, v);
    return [a, b];
  }
}

export function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function describeRange(opts: { min?: number; max?: number }): string {
  if (opts.min !== undefined && opts.max !== undefined) return ` between ${opts.min} and ${opts.max}`;
  if (opts.min !== undefined) return ` >= ${opts.min}`;
  if (opts.max !== undefined) return ` <= ${opts.max}`;
  return '';
}

/**
 * A whole-number command-line flag, given as typed (`--k abc`, `--k 2.5`): checked before any
 * work starts, so a bad value never surfaces as a stack trace after the whole analysis.
 *
 * @example
 * integerFlag('k', '4', { min: 2 }); // 4
 * integerFlag('k', '2.5', { min: 2 }); // throws errors.badFlagValue('k', '2.5', 'an integer >= 2')
 */
export function integerFlag(flag: string, raw: unknown, range: { min: number; max?: number }): number | undefined {
  if (raw === undefined) return undefined;
  const expected = `an integer >= ${range.min}${range.max === undefined ? '' : ` and <= ${range.max}`}`;
  const text = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : null;
  if (text === null || !/^[+-]?\d+$/.test(text)) throw errors.badFlagValue(flag, raw, expected);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < range.min || (range.max !== undefined && value > range.max)) throw errors.badFlagValue(flag, raw, expected);
  return value;
}
