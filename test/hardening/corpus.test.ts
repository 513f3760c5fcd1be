/**
 * The adversarial corpus: hostile values, odd encodings, broken files, bad flags, hostile output
 * folders, tampered run folders and bad config. Every case ends in one of two ways:
 *
 * - a finished run whose manifest accounting adds up for every input (read = used + out of
 *   window + duplicates + set aside + rejected) and whose outputs keep data inert, or
 * - a non-zero exit with exactly one line on stderr (no stack trace, no bare JavaScript error)
 *   naming the file, column or value — and no run folder.
 *
 * A case says which of the two it must be (`either` where both are right). Cases marked `spawn`
 * run the CLI as a child process (bin/segmint.js's twin); the rest call `main` in-process, which
 * is the same code without the process start-up, to keep the corpus fast on two cores.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { openDb } from '../../src/core/duckdb.js';
import { CASES, type CorpusCase, type Fixtures } from './corpus-cases.js';
import {
  expectAccountingAddsUp,
  expectOneLineFailure,
  expectOnlyCompleteRuns,
  expectOutputsEscaped,
  assignedUsers,
  eventLog,
  latestRun,
  readManifest,
  runFolders,
  spawnCli,
  toCsv,
} from './helpers.js';

const fixtures = {} as Fixtures;

beforeAll(async () => {
  const dir = tempDir('segmint-corpus-fixtures-');
  fixtures.dir = dir;
  fixtures.eventsCsv = join(dir, 'events.csv');
  writeFileSync(fixtures.eventsCsv, toCsv(eventLog()));
  // Parquet written by DuckDB itself (the engine segmint reads it with).
  fixtures.eventsParquet = join(dir, 'events.parquet');
  const db = await openDb(1);
  try {
    await db.run(`COPY (SELECT * FROM read_csv('${fixtures.eventsCsv}', all_varchar = true)) TO '${fixtures.eventsParquet}' (FORMAT parquet)`);
  } finally {
    db.close();
  }
  // One finished run to tamper with.
  const out = join(dir, 'runs');
  const r = await runCli(['run', '--events', fixtures.eventsCsv, '--out', out, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  fixtures.goodRunsDir = out;
  fixtures.goodRunId = runFolders(out)[0];
});

async function execute(c: CorpusCase, argv: string[]) {
  if (c.spawn) {
    const r = await spawnCli(argv).done;
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  }
  return runCli(argv);
}

/** The run folder a case's `--out` holds after it, checked complete, accounted and inert. */
async function checkRun(out: string, c: CorpusCase): Promise<string> {
  expectOnlyCompleteRuns(out);
  const runDir = latestRun(out);
  const manifest = readManifest(runDir);
  expectAccountingAddsUp(manifest);
  for (const file of ['manifest.json', 'segments.json', 'rules.json']) expect(() => JSON.parse(readFileSync(join(runDir, file), 'utf8')), file).not.toThrow();
  expectOutputsEscaped(runDir);
  if (c.users) expect(assignedUsers(runDir)).toEqual([...c.users].sort());
  await c.onRun?.(runDir, manifest);
  return runDir;
}

describe('adversarial corpus', () => {
  it('has at least 60 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  for (const c of CASES) {
    it(`${c.expect.padEnd(6)} ${c.spawn ? '[spawn] ' : ''}${c.name}`, async () => {
      const dir = tempDir('segmint-corpus-');
      const out = join(dir, 'out');
      const ctx = { dir, out, fixtures, write: writer(dir) };
      const argv = await c.setup(ctx);
      const before = existsSync(out) ? readdirSync(out).filter((n) => !n.startsWith('.')) : [];
      try {
        const result = await execute(c, argv);
        if (c.custom) return c.custom(result, ctx);
        if (result.code === 0) {
          expect(c.expect, `expected a failure naming ${c.names}, but it succeeded; stderr:\n${result.stderr}`).not.toBe('fail');
          if (argv[0] === 'run') await checkRun(out, c);
        } else {
          expect(c.expect, `expected success; exit ${result.code}, stderr:\n${result.stderr}`).not.toBe('ok');
          expectOneLineFailure(result, c.names ?? /./);
          // A failed run leaves no run folder and no temporary folder behind.
          if (argv[0] === 'run' && existsSync(out) && !c.outIsHostile) {
            expect(readdirSync(out).filter((n) => !before.includes(n))).toEqual([]);
          }
        }
      } finally {
        c.cleanup?.(ctx);
      }
    });
  }
});

/** Writes a case's input file (text or bytes) into its folder; returns the path. */
function writer(dir: string) {
  return (name: string, content: string | Buffer): string => {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    return path;
  };
}
