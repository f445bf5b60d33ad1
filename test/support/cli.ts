import { CliIo, runCli } from 'src/cli/cli';
import { AppConfig } from 'src/config/app-config';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process on `config` (as `npm run cli -- ...argv` would), capturing what it writes. */
export async function runCliCaptured(config: AppConfig, argv: readonly string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (s) => void (out += s), err: (s) => void (err += s) };
  const code = await runCli([...argv], { io, config });
  return { code, out, err };
}
