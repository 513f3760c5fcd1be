/** Run the CLI in-process and capture what it prints, through the Io every command is given. */
import { captureIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[]): Promise<CliResult> {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

export { tempDir, entries } from './tmp.js';
