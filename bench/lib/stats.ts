/** Latency statistics and table rows shared by the benchmarks. */

/** Nearest-rank percentile of ascending `sorted` samples (NaN when there are none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? Number.NaN;
}

/** One table row: label, then p50, p99, mean, min and max in ms with `decimals` digits. */
export function latencyRow(label: string, samples: readonly number[], options: { labelWidth: number; decimals: number }): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const width = options.decimals + 7;
  const cells = [percentile(sorted, 50), percentile(sorted, 99), mean, sorted[0] ?? 0, sorted.at(-1) ?? 0].map(
    (ms) => `${ms.toFixed(options.decimals).padStart(width)} ms`,
  );
  return `  ${label.padEnd(options.labelWidth)}${cells.join('')}`;
}
