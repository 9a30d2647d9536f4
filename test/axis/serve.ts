// `eoffice axis serve`: the reference axis as a long-running process for developers, until
// SIGINT or SIGTERM. Loaded at run time by main/cli/axisCommands.ts from a source checkout only.
import fs from 'node:fs';
import { startAxisServer, type AxisServerAgency } from './server.js';

export interface ServeArgs {
  port: number;
  db: string;
  /** A JSON file: [{code, name, systemId, secret}, …]. */
  agencies: string;
  failRate?: number;
  delayMs?: number;
  dropRate?: number;
  duplicateRate?: number;
}

function readAgencies(file: string): AxisServerAgency[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the agencies file ${file}: ${(error as Error).message}`);
  }
  const fields = ['code', 'name', 'systemId', 'secret'] as const;
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Error(`${file} must hold a non-empty JSON array of {code, name, systemId, secret}`);
  return parsed.map((entry: unknown, index) => {
    const record = entry as Record<string, unknown>;
    const missing = fields.filter((field) => typeof record?.[field] !== 'string' || record[field] === '');
    if (missing.length > 0) throw new Error(`${file}: agency ${index + 1} lacks ${missing.join(', ')}`);
    return { code: record['code'] as string, name: record['name'] as string, systemId: record['systemId'] as string, secret: record['secret'] as string };
  });
}

export async function serveFromArgs(args: ServeArgs, out: (line: string) => void): Promise<number> {
  const server = await startAxisServer({
    port: args.port,
    dbPath: args.db,
    agencies: readAgencies(args.agencies),
    failRate: args.failRate,
    delayMs: args.delayMs,
    dropRate: args.dropRate,
    duplicateRate: args.duplicateRate,
  });
  out(`axis listening on ${server.url}`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (name: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(name);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  out(`axis stopped (${signal})`);
  return 0;
}
