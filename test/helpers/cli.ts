/** Run the CLI in-process and capture what it prints. */
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const originalWrite = process.stderr.write.bind(process.stderr);
  // Progress and warnings go to process.stderr directly; capture them too.
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(argv, { out: (s) => (stdout += s), err: (s) => (stderr += s) });
    return { code, stdout, stderr };
  } finally {
    process.stderr.write = originalWrite;
  }
}

export { tempDir, entries } from './tmp.js';
