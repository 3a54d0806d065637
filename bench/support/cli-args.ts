/** A bench's command-line value: what follows `name` in argv (`--runs 5` → '5'), if given. */
export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}
