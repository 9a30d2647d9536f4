// The reference axis (test/axis/server.ts) in a process of its own, for the sync benchmark: the
// client's CPU time and memory are then measured apart from the server's. Arguments: the axis
// database file. The agencies (with their secrets) come as JSON in EOFFICE_BENCH_AXIS_AGENCIES,
// never on the command line. Prints one JSON line {port} once listening; on stdin, the line
// "stats" prints {stats, cpuMs, maxRssMB}; on SIGTERM, SIGINT or the end of stdin it closes.
import readline from 'node:readline';
import { startAxisServer, type AxisServerAgency } from '../axis/server.js';

const [dbPath] = process.argv.slice(2);
const agenciesJson = process.env['EOFFICE_BENCH_AXIS_AGENCIES'];
if (!dbPath || !agenciesJson) {
  process.stderr.write('usage: EOFFICE_BENCH_AXIS_AGENCIES=<json> node --import tsx test/bench/syncAxisChild.ts <db file>\n');
  process.exit(2);
}
const server = await startAxisServer({ port: 0, dbPath, agencies: JSON.parse(agenciesJson) as AxisServerAgency[] });
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);

let closing: Promise<void> | null = null;
const close = () => {
  closing ??= server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`axis child: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
};
process.once('SIGTERM', close);
process.once('SIGINT', close);

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() !== 'stats') return;
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ stats: server.stats(), cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
});
// The benchmark went away (a crash): do not outlive it.
lines.on('close', close);
