/**
 * `npm run store-template` (run by npm ci's prepare step): makes the embedded
 * store's template now (src/store/embedded.ts), the tar and its folder form,
 * so that the first `npm start` does not run PGlite's initdb and the
 * migrations itself. Nothing to do when the template for these migrations is there.
 */
import { openEmbedded, templateFile, templateFolder } from './embedded.js';

const started = Date.now();
const db = await openEmbedded('memory://');
await db.close();
await templateFolder(templateFile());
process.stdout.write(`embedded store template ready (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
