#!/usr/bin/env node
// The softphone CLI host. TypeScript sources run through tsx (see docs/decisions.md).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
// Sockets and timers are closed by main(); exit explicitly in case stdin keeps the loop alive.
process.exit(process.exitCode);
