import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`pyrometer: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
