// The reference axis as developers run it (`npm run axis -- serve …`, a script of the source
// checkout, not a command of the shipped eoffice): a long-running process that prints its URL,
// answers signed requests, and exits cleanly on SIGTERM; and its option checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAxisAdapter } from '../main/core/axis/createAdapter.js';
import { CliError } from '../main/cli/cliError.js';
import { run } from '../main/cli/eoffice.js';
import { runAxisCommand, UsageError } from './axis/serve.js';
import { REPO_ROOT, tempDir } from './support/fixtures.js';

const COMMUNE = { code: '000.00.01.H99', name: 'UBND xã Thử Nghiệm', systemId: 'commune-system', secret: randomBytes(24).toString('base64url') };
const DISTRICT = { code: '000.00.02.H99', name: 'UBND huyện Thử Nghiệm', systemId: 'district-system', secret: randomBytes(24).toString('base64url') };

function agenciesFile(dir: string): string {
  const file = path.join(dir, 'agencies.json');
  fs.writeFileSync(file, JSON.stringify([COMMUNE, DISTRICT]));
  return file;
}

/** Resolves with the URL the process prints, or rejects with what it printed when it exits first. */
async function listeningUrl(child: ChildProcess): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /axis listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`the axis exited (${code}) before listening:\n${output}`)));
  });
}

async function checkServes(child: ChildProcess): Promise<void> {
  try {
    const url = await listeningUrl(child);
    assert.notEqual(new URL(url).port, '0', 'port 0 is replaced by the port actually bound');
    const agencies = await createAxisAdapter({ variant: 'vxp', endpoint: url, systemId: COMMUNE.systemId, secret: COMMUNE.secret }).listAgencies();
    assert.deepEqual(agencies.map((agency) => agency.code), [COMMUNE.code, DISTRICT.code]);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

test('serveFromArgs prints the bound port, answers a signed request and exits 0 on SIGTERM', async () => {
  const dir = tempDir('eoffice-axis-serve-');
  const script = path.join(dir, 'serve.mts');
  fs.writeFileSync(
    script,
    `import { serveFromArgs } from ${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'test/axis/serve.ts')).href)};
process.exitCode = await serveFromArgs(JSON.parse(process.argv[2]), (line) => console.log(line));
`,
  );
  const args = { port: 0, db: path.join(dir, 'axis.db'), agencies: agenciesFile(dir) };
  await checkServes(spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(args)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
});

/** package.json's "axis" script as a command for spawn, with this Node. */
function axisScript(): [string, string[]] {
  const script = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['axis'];
  assert.ok(script, 'package.json has an "axis" script');
  const [command, ...args] = script.split(' ');
  assert.equal(command, 'node');
  return [process.execPath, args];
}

test('npm run axis -- serve --port 0 runs the reference axis until SIGTERM', async () => {
  const dir = tempDir('eoffice-axis-script-');
  const [node, args] = axisScript();
  await checkServes(spawn(node, [...args, 'serve', '--port', '0', '--db', path.join(dir, 'axis.db'), '--agencies', agenciesFile(dir)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
});

test('the axis script refuses bad options with a sentence saying what is expected; the shipped eoffice has no axis command', async () => {
  const dir = tempDir('eoffice-axis-options-');
  const base = ['serve', '--port', '0', '--db', path.join(dir, 'axis.db'), '--agencies', agenciesFile(dir)];
  const refused = (argv: string[], pattern: RegExp) => assert.rejects(runAxisCommand(argv, () => undefined), (error: unknown) => error instanceof UsageError && pattern.test(error.message));
  await refused([...base, '--fail-rate', '1.5'], /--fail-rate must be a number from 0 to 1/);
  await refused([...base, '--delay-ms', '2.5'], /--delay-ms must be a whole number/);
  await refused(['serve', '--port', '70000', '--db', 'x', '--agencies', 'y'], /--port must be a whole number up to 65535/);
  await refused(['serve', '--port', '0'], /needs --port .* --db <file> and --agencies/);
  await refused(['start'], /usage: npm run axis -- serve/);
  await refused([...base, '--colour'], /Unknown option '--colour'/);
  const lines: string[] = [];
  assert.equal(await runAxisCommand(['--help'], (line) => lines.push(line)), 0);
  assert.match(lines.join('\n'), /--drop-rate/);

  // As a process: exit code 2 and the reason on stderr, nothing listening.
  const [node, args] = axisScript();
  const child = spawn(node, [...args, ...base, '--drop-rate', 'often'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  assert.equal(code, 2);
  assert.match(stderr, /^axis: --drop-rate must be a number from 0 to 1, not "often"/);

  // The reference axis is not part of what ships: eoffice does not know the command.
  await assert.rejects(run(['axis', 'serve'], () => undefined), (error: unknown) => error instanceof CliError && /unknown command "axis"/.test(error.message));
});
