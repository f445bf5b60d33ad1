import { runCli } from 'src/cli/cli';

// Entry point of the compiled CLI: `node dist/src/cli/main.js contracts:import <file...>` (see package.json).
void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
