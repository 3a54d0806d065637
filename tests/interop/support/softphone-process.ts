/** Moved to tests/support/softphone-process.ts (shared with bench/); kept while uncommitted work still imports this path. */
export * from '../../support/softphone-process.js';
