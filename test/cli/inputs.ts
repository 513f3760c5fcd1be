/** A small event log two segments are planted in, for CLI tests that need a finished run. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** 60 users on 4–8 Thursdays: even ones edit at night, odd ones view by day. Returns the CSV path. */
export function plantedEvents(dir: string): string {
  const rows = ['user_id,event,timestamp'];
  for (let u = 0; u < 60; u++) {
    const night = u % 2 === 0;
    for (let d = 0; d < 4 + (u % 5); d++) {
      for (let e = 0; e < 3; e++) {
        rows.push(`u${u},${night ? 'edit' : 'view'},${new Date(Date.UTC(2026, 9, 1 + d * 7, night ? 2 + e : 13 + e, (u * 7) % 60)).toISOString()}`);
      }
    }
  }
  const file = join(dir, 'events.csv');
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}
