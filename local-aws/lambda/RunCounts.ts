/**
 * How many times each function version's handler really started, which is what a
 * retry or fault test needs to know ("did it run twice?").
 */
export class RunCounts {
  private readonly counts = new Map<string, Map<string, number>>();

  /** Notes one start of `name` at `version`. */
  add(name: string, version: string): void {
    const versions = this.counts.get(name) ?? new Map<string, number>();
    versions.set(version, (versions.get(version) ?? 0) + 1);
    this.counts.set(name, versions);
  }

  /** Starts of `name` at `version`, or of all its versions when no version is given. */
  count(name: string, version?: string): number {
    const versions = this.counts.get(name);
    if (versions === undefined) {
      return 0;
    }
    if (version !== undefined) {
      return versions.get(version) ?? 0;
    }
    return [...versions.values()].reduce((sum, count) => sum + count, 0);
  }

  /** Every count, keyed `name:version`. */
  snapshot(): Record<string, number> {
    const result: Record<string, number> = {};
    for (const [name, versions] of this.counts) {
      for (const [version, count] of versions) {
        result[`${name}:${version}`] = count;
      }
    }
    return result;
  }
}
