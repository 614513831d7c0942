// Preloaded with `node --import` into a benchmark child: at exit, prints the process's
// peak resident set size (getrusage's ru_maxrss, every thread included) as the last
// line of stderr, for scripts/bench/peakMemory.ts to read.
process.on("exit", () => {
  process.stderr.write(`\nbench-max-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
