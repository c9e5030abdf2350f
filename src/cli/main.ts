#!/usr/bin/env node
/** The `newsdesk` command (bin/newsdesk.js, `npm start`): runs the command line given and exits with its code. */
import { main } from './cli.js';

// A reader that stops early (`newsdesk stories list | head`) closes the pipe: stop quietly, as other commands do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

process.exitCode = await main(process.argv.slice(2));
