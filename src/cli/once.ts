/**
 * A flag that takes one value given twice (`--out a --out b`): yargs hands the command a list,
 * which a path or a name must never become. One line naming the flag, as a repeated `--seed`
 * gets, before any command runs. A pure function over the parsed arguments and the command table.
 */
import type { SegmintError } from '../core/errors.js';
import { errors } from '../core/messages.js';
import type { CommandTable } from './suggest.js';

/** Flags whose command checks a repeated value itself, naming what it expects (`an integer >= 2`, …). */
const CHECKED_BY_COMMAND: ReadonlySet<string> = new Set(['k', 'seed', 'window-days', 'as-of', 'previous']);

/**
 * The error for the first single-value flag of the parsed command given more than once, or null.
 *
 * @example
 * repeatedFlag({ _: ['validate'], config: ['a.yaml', 'b.yaml'] }, commandTable)?.oneLine();
 * // 'error: --config "a.yaml b.yaml" is not valid: config must be one value (hint: give --config once)'
 */
export function repeatedFlag(parsed: Readonly<Record<string, unknown>>, table: CommandTable): SegmintError | null {
  const [command, sub] = ((parsed._ as readonly unknown[] | undefined) ?? []).map(String);
  const entry = command === undefined ? undefined : table[command];
  if (!entry) return null;
  const options = { ...entry.options, ...(sub !== undefined ? entry.subcommands?.[sub] : undefined) };
  for (const [name, option] of Object.entries(options)) {
    if (option.array || option.type === 'boolean' || CHECKED_BY_COMMAND.has(name)) continue;
    const value = parsed[name];
    if (Array.isArray(value)) return errors.badFlagValue(name, value, 'one value');
  }
  return null;
}
