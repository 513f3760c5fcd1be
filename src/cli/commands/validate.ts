/** `segmint validate`: check the config and read the inputs, without clustering. */
import { openDb } from '../../core/duckdb.js';
import { createContext } from '../../core/context.js';
import { errors } from '../../core/messages.js';
import { ingest } from '../../stages/ingest/index.js';
import { usersToSegment } from '../../stages/features/index.js';
import { checkUserCount } from '../../stages/cluster/index.js';
import { checkWarehouse } from '../../warehouse/index.js';
import { redactUrl } from '../../warehouse/url.js';
import { probeOutputDir } from '../../run/output.js';
import type { Io } from '../io.js';
import { stderrLogger } from '../logger.js';
import { textTable } from '../table.js';
import { configFromArgs, previousChoice, type RunArgs } from './run.js';
import { jobOf } from '../../run/jobs.js';
import { findPrevious } from '../../run/previous.js';
import { timestampFormatWords } from '../../stages/ingest/mapping.js';

/**
 * Everything `run` checks before its analysis, and the inputs read once (files into DuckDB, or a
 * warehouse's tables judged in its own SQL); nothing is written.
 */
export async function validateCommand(args: RunArgs, io: Io): Promise<void> {
  const out = io.out;
  const config = configFromArgs(args);
  await probeOutputDir(config.output.dir);
  const ctx = createContext(config.seed, stderrLogger({ quiet: Boolean(args.quiet), write: io.err }));
  // The run `run` would compare with (a --previous that does not load fails here, as in run, before any reading).
  const previous = findPrevious(config, previousChoice(args), ctx);
  const db = await openDb();
  try {
    // A warehouse run's ingest happens in the warehouse (src/warehouse): connection, tables,
    // columns, write target and the accounting, with nothing left behind there.
    const warehouse = config.inputs.warehouse;
    const checked = warehouse ? await checkWarehouse(config, ctx) : null;
    const result = checked?.ingested ?? (await ingest(db, config, ctx));
    // The users a run would segment, checked as the run checks them (pipeline.ts, cluster.ts):
    // none in the window, or too few for cluster.k and cluster.min_size, stops here too. A
    // warehouse counts its users in the pass that accounts for its rows.
    const users = checked ? checked.users : await usersToSegment(db, result);
    if (users === 0) throw errors.noUsers();
    if (users < 2) throw errors.tooFewUsers(users, 2);
    checkUserCount(users, config.cluster);
    out(`config ok: ${config.source ?? 'command line'}\n`);
    const m = result.events?.mapping;
    if (m) out(`columns: user_id <- ${m.userId}, event <- ${m.event}, timestamp <- ${m.timestamp} (${timestampFormatWords(m)}${warehouse ? `, in ${redactUrl(warehouse.url)}` : ''})\n`);
    else out('no events: an attribute-only run over the users table\n');
    if (warehouse?.writeAssignments) out(`write-back: ${warehouse.writeAssignments.join('.')} may be written\n`);
    out(`window: ${result.window.start} .. ${result.window.end} (${result.window.days} days)\n\n`);
    const rows = result.accounting.map((a) => [a.role, String(a.read), String(a.used), String(a.outOfWindow), String(a.duplicates), String(a.setAside ?? 0), String(a.rejected)]);
    out(textTable(['input', 'read', 'used', 'out of window', 'duplicates', 'set aside', 'rejected'], rows, [false, true, true, true, true, true, true]));
    out(`\njob: ${jobOf(config)}; previous run: ${previous ? previous.docs.manifest.runId : 'none'}\n`);
    for (const w of ctx.warnings) out(`warning: ${w.message}\n`);
  } finally {
    db.close();
  }
}
