// Preloaded into a benchmarked process (`node --import`): at exit it writes the
// process's peak resident set size and CPU seconds to the file named by SPEC_BENCH_RSS_FILE.
import { readFileSync, writeFileSync } from 'node:fs';

/** Peak RSS in MiB: VmHWM from /proc where there is one, else resourceUsage().maxRSS. */
export function peakRssMiB() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS / 1024;
}

const file = process.env.SPEC_BENCH_RSS_FILE;
if (file)
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ peakRssMiB: peakRssMiB(), cpu: (u.userCPUTime + u.systemCPUTime) / 1e6 }));
  });
