#!/usr/bin/env node
/** The `newsdesk` command (bin/newsdesk.js, `npm start`): runs the command line given and exits with its code. */
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
