/**
 * The command line's own usage: "did you mean" for a mistyped command or flag (one line, exit 2,
 * suggestions from the command table), --version, and RUN defaulting to latest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { commandTable } from '../../src/cli/options.js';
import { closest, editDistance } from '../../src/cli/suggest.js';
import { errors } from '../../src/core/messages.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { plantedEvents } from './inputs.js';

const COMMANDS = Object.keys(commandTable);

describe('did you mean', () => {
  it('edit distance counts a swap of neighbours as one edit', () => {
    expect(editDistance('rn', 'run')).toBe(1);
    expect(editDistance('evnets', 'events')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests within two edits or by prefix, else nothing', () => {
    expect(closest('rn', COMMANDS)).toBe('run');
    expect(closest('rulse', COMMANDS)).toBe('rules');
    expect(closest('seg', COMMANDS)).toBe('segments');
    expect(closest('evnets', Object.keys(commandTable.run.options))).toBe('events');
    expect(closest('ev', Object.keys(commandTable.run.options))).toBe('events');
    expect(closest('zzzzzz', COMMANDS)).toBeNull();
  });

  it('a mistyped command: one line naming the closest, exit 2', async () => {
    const r = await runCli(['rn']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${errors.unknownCommand('rn', 'run', COMMANDS).oneLine()}\n`);
    expect(r.stderr).toContain('did you mean "run"?');
    expect(r.stdout).toBe('');
  });

  it('a mistyped subcommand', async () => {
    const r = await runCli(['rules', 'lst']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "rules lst" (hint: did you mean "rules list"?)');
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('a command far from every real one lists them', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${errors.unknownCommand('frobnicate', null, COMMANDS).oneLine()}\n`);
  });

  it('a mistyped flag: one line naming the closest flag of that command, exit 2', async () => {
    const r = await runCli(['run', '--evnets', 'events.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${errors.unknownFlag('evnets', 'events', 'run').oneLine()}\n`);
    expect(r.stderr).toContain('did you mean --events?');
  });

  it('a mistyped required flag is named, not reported as missing', async () => {
    const r = await runCli(['rules', 'apply', '--rulset', 'rs', '--out', 'm']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${errors.unknownFlag('rulset', 'ruleset', 'rules apply').oneLine()}\n`);
  });

  it('a flag close to nothing points at the command\'s help', async () => {
    const r = await runCli(['validate', '--zzzzzz']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${errors.unknownFlag('zzzzzz', null, 'validate').oneLine()}\n`);
  });

  it('a known flag with a bad value keeps its own message', async () => {
    const r = await runCli(['run', '--k']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('unknown option');
    expect(r.stderr).toContain('Not enough arguments following: k');
  });

  it('every command and subcommand in --help is in the command table', async () => {
    // yargs prints help through console.log, not the Io.
    const help = async (argv: string[]) => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      try {
        await runCli(argv);
        return { stdout: log.mock.calls.map((c) => c.join(' ')).join('\n') };
      } finally {
        log.mockRestore();
      }
    };
    const top = await help(['--help']);
    const listed = [...top.stdout.matchAll(/^ {2}segmint (\w+)/gm)].map((m) => m[1]);
    expect(listed.length).toBeGreaterThan(5);
    for (const c of listed) expect(COMMANDS).toContain(c);
    for (const group of ['runs', 'rules', 'segments']) {
      const sub = await help([group, '--help']);
      const subs = [...sub.stdout.matchAll(new RegExp(`^ {2}segmint ${group} (\\w+)`, 'gm'))].map((m) => m[1]);
      expect(subs.length).toBeGreaterThan(0);
      for (const s of subs) expect(Object.keys(commandTable[group].subcommands ?? {})).toContain(s);
    }
  });
});

describe('--version', () => {
  it('prints the package version and exits 0', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = await runCli(['--version']);
    expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});

describe('RUN defaults to latest', () => {
  let out: string;
  beforeAll(async () => {
    const dir = tempDir();
    out = join(dir, 'reports');
    const run = await runCli(['run', '--events', plantedEvents(dir), '--out', out, '--k', '2', '--quiet']);
    expect(run.code).toBe(0);
  }, 60_000);

  it('rules list without a run lists the latest run\'s rules', async () => {
    const r = await runCli(['rules', 'list', '--dir', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/precision \d+\.\d% {2}recall/);
    expect(r.stdout).toEqual((await runCli(['rules', 'list', 'latest', '--dir', out])).stdout);
  });

  it('runs show and report without a run read the latest', async () => {
    const show = await runCli(['runs', 'show', '--dir', out]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('k = 2');
    const report = await runCli(['report', '--dir', out]);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('report.html');
  });

  it('with no runs at all: one line that no run was found', async () => {
    const r = await runCli(['rules', 'list', '--dir', join(tempDir(), 'none')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${errors.runNotFound('latest').oneLine()}\n`);
  });

  it('rules list --ruleset still lists a ruleset, not a run', async () => {
    const r = await runCli(['rules', 'list', '--ruleset', join(tempDir(), 'missing-ruleset'), '--dir', out]);
    expect(r.code).toBe(1);
    // A folder that does not exist is said to be missing, not empty (a typo in a cron job).
    expect(r.stderr).toMatch(/^error: no ruleset folder \S*missing-ruleset: it does not exist \(hint: check the --ruleset path/);
    const empty = tempDir();
    expect((await runCli(['rules', 'list', '--ruleset', empty])).stderr).toMatch(/^error: no promoted segments in /);
  });
});
