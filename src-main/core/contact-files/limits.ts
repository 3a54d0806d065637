/**
 * Bounds on what an import reads, so a hostile or broken file gives a clean error or skipped
 * rows, never a crash or a hang. Field lengths are the contract's (`contactInputSchema`).
 */
export const importLimits = {
  /** Decoded file size [bytes]. */
  maxBytes: 32 * 1024 * 1024,
  /** vCards or CSV data rows. */
  maxRows: 100_000,
  /** One unfolded vCard line [characters]: ical.js's parameter parsing is quadratic in it. */
  maxVCardLine: 16 * 1024,
  /** One vCard from BEGIN to END [characters]. */
  maxVCardEntry: 256 * 1024,
  /** One physical CSV line [characters]. */
  maxCsvLine: 256 * 1024,
  /** CSV columns read (the rest are ignored). */
  maxColumns: 512,
  /** Rows between two progress reports. */
  progressEvery: 250,
  /** Reading runs at most this long before it yields to the event loop [ms]. */
  yieldAfterMs: 15,
} as const;

/** Contract field lengths. */
export const fieldLimits = { name: 256, company: 256, email: 256, notes: 4096, label: 32, value: 256 } as const;
