#!/usr/bin/env node
// The eoffice command's entry point, bundled into dist/cli/eoffice.mjs (package.json's bin).
import { run } from './eoffice.js';
import { UsageError } from './cliError.js';

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`eoffice: ${error.message.split('\n')[0]}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
