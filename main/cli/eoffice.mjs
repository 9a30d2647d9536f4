#!/usr/bin/env node
// The eoffice command: the TypeScript CLI, run through tsx so that it needs no build step.
import { register } from 'tsx/esm/api';

register();
process.env.EOFFICE_CLI_MAIN = '1';
await import('./eoffice.ts');
