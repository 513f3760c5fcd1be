/** `segmint segments export RUN SEGMENT [--out FILE]`: the member list of one segment as CSV. */
import { resolve } from 'node:path';
import Papa from 'papaparse';
import { FORMULA_CELL } from '../../core/csvCells.js';
import { NO_EVENTS_GROUP } from '../../core/groups.js';
import { errors } from '../../core/messages.js';
import { eachAssignment, loadRunDocuments, resolveRunDir } from '../../run/load.js';
import { replaceFile } from '../../run/output.js';
import { shownPath } from '../../run/paths.js';
import type { RunDocuments } from '../../run/types.js';
import type { Io } from '../io.js';

export interface SegmentsExportArgs {
  run: string;
  /** A segment id, a segment name (case-insensitive), or -1 / "No events in window". */
  segment: string;
  /** CSV to write; the CSV goes to stdout without it. */
  out?: string;
  /** Reports folder a bare run id is looked up in. */
  dir?: string;
}

export interface SegmentMember {
  readonly userId: string;
  readonly segment: number;
  readonly segmentName: string;
  /** Empty for the no-events group (it has no centre to be near). */
  readonly confidence: string;
}

/**
 * Write the members of one segment as `user_id,segment,segment_name,confidence`, in the order of
 * assignments.csv (byte order of user id), formula-safe like every CSV segmint writes.
 *
 * @example
 * await segmentsExportCommand({ run: 'latest', segment: 'Power users', out: 'power.csv' }, io);
 */
export function segmentsExportCommand(args: SegmentsExportArgs, io: Io): SegmentMember[] {
  const dir = resolveRunDir(args.run, args.dir ?? 'reports');
  const docs = loadRunDocuments(dir);
  const segment = findSegment(docs, args.segment);
  const members: SegmentMember[] = [];
  eachAssignment(dir, docs.segments, (userId, id, cells) => {
    if (id === segment.id) members.push({ userId, segment: id, segmentName: segment.name, confidence: cells.confidence ?? '' });
  });
  const csv =
    Papa.unparse(
      {
        fields: ['user_id', 'segment', 'segment_name', 'confidence'],
        // Segment as a number: "-1" is an id, not a formula. Ids and names come from data and are
        // written with a leading ' when a spreadsheet would run them.
        data: members.map((m) => [m.userId, m.segment, m.segmentName, m.confidence]),
      },
      { newline: '\n', escapeFormulae: FORMULA_CELL },
    ) + '\n';
  const what = `${members.length.toLocaleString('en-US')} users in segment ${segment.id} ${JSON.stringify(segment.name)}`;
  if (args.out === undefined) {
    io.out(csv);
    io.err(`${what}\n`);
  } else {
    const file = resolve(args.out);
    replaceFile(file, csv);
    io.out(`${shownPath(file)}\n${what}\n`);
  }
  return members;
}

/** The run's segment with this id or name, the no-events group included. */
function findSegment(docs: RunDocuments, given: string): { id: number; name: string } {
  const segments = [
    ...docs.segments.segments.map((s) => ({ id: s.id, name: s.name })),
    ...((docs.segments.usersWithoutEvents ?? 0) > 0 ? [{ id: NO_EVENTS_GROUP.segment, name: NO_EVENTS_GROUP.name as string }] : []),
  ];
  const g = given.trim();
  const found =
    (/^-?\d+$/.test(g) ? segments.find((s) => s.id === Number(g)) : undefined) ??
    segments.find((s) => s.name === g) ??
    segments.find((s) => s.name.toLowerCase() === g.toLowerCase());
  if (!found) throw errors.segmentNotInRun(docs.manifest.runId, given, segments.map((s) => `${s.id} ${JSON.stringify(s.name)}`));
  return found;
}
