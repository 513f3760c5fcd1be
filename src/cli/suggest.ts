/**
 * "Did you mean": when yargs rejects a command line, find the mistyped command or flag and the
 * closest real one in the command table (`options.ts`), so the one-line error can name it.
 * Pure functions over argv and the table, so tests call them without running a command.
 */
import type { Options } from 'yargs';
import { errors } from '../core/messages.js';
import type { SegmintError } from '../core/errors.js';

/** A command's options and, for a command group (`runs`, `rules`, `segments`), its subcommands' options. */
export interface CommandEntry {
  readonly options: Readonly<Record<string, Options>>;
  readonly subcommands?: Readonly<Record<string, Readonly<Record<string, Options>>>>;
}

export type CommandTable = Readonly<Record<string, CommandEntry>>;

/** Flags every command takes (yargs adds them). */
const BUILT_IN = ['help'] as const;

/**
 * Edit distance with adjacent transpositions counting as one edit (optimal string alignment):
 * `evnets` is one edit from `events`, `rn` one from `run`.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Int32Array(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2] + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1];
}

/**
 * The candidate closest to `word`: within 2 edits, or one that `word` begins (a prefix such as
 * `--ev` for `--events`). Fewest edits win, then table order. Null when nothing is close.
 *
 * @example
 * closest('rn', ['run', 'validate', 'rules']); // 'run'
 */
export function closest(word: string, candidates: readonly string[]): string | null {
  const w = word.toLowerCase();
  let best: { name: string; score: number } | null = null;
  for (const name of candidates) {
    const distance = editDistance(w, name.toLowerCase());
    const prefix = w.length > 0 && name.toLowerCase().startsWith(w);
    if (distance > 2 && !prefix) continue;
    const score = prefix ? Math.min(distance, 1.5) : distance;
    if (best === null || score < best.score) best = { name, score };
  }
  return best?.name ?? null;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The mistyped command, subcommand or flag of a command line yargs rejected, as the catalog's
 * usage error with the closest real name; null when none is found (yargs' own message says it
 * best). Whether a word is unknown is yargs' call (`message`, "Unknown argument: …"); the table
 * only supplies suggestions. When yargs stopped at something else first (a required flag
 * missing because it was mistyped), a flag missing from the table is named only when it is
 * close to one in it, so a flag the table does not list yet is never called unknown.
 *
 * @example
 * usageProblem(['rn'], table, 'Unknown argument: rn')?.oneLine(); // 'error: unknown command "rn" (hint: did you mean "run"?)'
 */
export function usageProblem(argv: readonly string[], table: CommandTable, message: string): SegmintError | null {
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message)?.[1].split(', ').map((w) => w.trim()) ?? null;
  const command = argv[0] !== undefined && !argv[0].startsWith('-') ? argv[0] : null;
  const names = Object.keys(table);
  if (command !== null && !(command in table)) {
    return unknown?.includes(command) ? errors.unknownCommand(command, closest(command, names), names) : null;
  }
  const entry = command === null ? null : table[command];
  let options: readonly string[] = command === null ? [...BUILT_IN, 'version'] : [...BUILT_IN, ...Object.keys(entry!.options)];
  let path = command ?? '';
  const subs = entry?.subcommands;
  if (subs) {
    const sub = argv[1] !== undefined && !argv[1].startsWith('-') ? argv[1] : null;
    const subNames = Object.keys(subs);
    if (sub !== null && !(sub in subs)) {
      return unknown?.includes(sub) ? errors.unknownCommand(`${command} ${sub}`, withPrefix(command!, closest(sub, subNames)), subNames.map((s) => `${command} ${s}`)) : null;
    }
    if (sub !== null) {
      options = [...options, ...Object.keys(subs[sub])];
      path = `${command} ${sub}`;
    }
  }
  for (const token of argv) {
    if (token === '--') break;
    if (!token.startsWith('-') || /^-\d/.test(token)) continue;
    const typed = token.replace(/^--?/, '').replace(/=.*$/s, '');
    const name = kebab(typed);
    if (name === '' || known(name, options)) continue;
    const suggestion = closest(name, options);
    if (unknown?.includes(typed) || unknown?.includes(name)) return errors.unknownFlag(name, suggestion, path);
    if (unknown === null && suggestion !== null) return errors.unknownFlag(name, suggestion, path);
  }
  return null;
}

function known(name: string, options: readonly string[]): boolean {
  // yargs accepts --no-quiet for a boolean --quiet.
  return options.includes(name) || (name.startsWith('no-') && options.includes(name.slice(3)));
}

function withPrefix(command: string, sub: string | null): string | null {
  return sub === null ? null : `${command} ${sub}`;
}
