// A benchmark child's own peak memory. On Linux, process.resourceUsage().maxRSS is not it: the
// kernel carries ru_maxrss across execve, so a child forked from a parent holding 240 MB reports
// at least 240 MB whatever it does itself. /proc/self/status's VmHWM belongs to the address
// space made by execve, so it is read where it exists; maxRSS elsewhere.
import fs from 'node:fs';

export function ownPeakRssMB(): number {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // Not Linux: maxRSS (in kilobytes) is the best there is.
  }
  return process.resourceUsage().maxRSS / 1024;
}
