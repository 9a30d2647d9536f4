// Secrets on the command line: the axis secret is read from standard input only, never from an
// argument (the shell's history and the process list keep arguments); the token PIN taken from
// EOFFICE_PIN goes to the token and to no child process (LibreOffice converting a draft…).
// The converter here is a small script named by EOFFICE_SOFFICE that writes down the environment
// it was given: a real LibreOffice would see the same environment but cannot show it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { convertToPdf } from '../main/core/pdf/convertOffice.js';
import { CLI_BUNDLE, runEoffice } from './support/cliRun.js';
import { tempDir } from './support/fixtures.js';

const PIN = '27182818';

test('config set axis.secret with the secret as an argument is refused and nothing is sealed', async () => {
  const dir = tempDir('eoffice-cli-secret-');
  // Bad inputs tried: the secret as one argument, as several words, and "-" followed by more.
  for (const args of [['s3cr3t-trục'], ['bí', 'mật'], ['-', 'extra']]) {
    const refused = await runEoffice(dir, ['config', 'set', 'axis.secret', ...args], 'from-stdin\n');
    assert.notEqual(refused.code, 0, args.join(' '));
    assert.match(refused.stderr, /standard input/);
    assert.match(refused.stderr, /history/);
    assert.ok(!fs.existsSync(path.join(dir, 'axis-secret.sealed')), 'nothing was sealed');
  }
  const set = await runEoffice(dir, ['config', 'set', 'axis.secret', '-'], 'from-stdin\n');
  assert.equal(set.code, 0, set.stderr);
  assert.equal(set.stdout, 'axis.secret=(set)');
});

/** A stand-in for soffice that writes its environment to a file and fails, as a broken one would. */
function envDumpingConverter(): { program: string; dump: string } {
  const dir = tempDir('eoffice-fake-soffice-');
  const dump = path.join(dir, 'environment.txt');
  const program = path.join(dir, 'soffice');
  fs.writeFileSync(program, `#!/bin/sh\nenv > '${dump}'\nexit 3\n`, { mode: 0o755 });
  return { program, dump };
}

function draftRtf(): string {
  const file = path.join(tempDir(), 'du-thao.rtf');
  fs.writeFileSync(file, '{\\rtf1\\ansi Draft\\par}');
  return file;
}

test('a child process started by the core does not inherit EOFFICE_PIN', async () => {
  const converter = envDumpingConverter();
  const saved = { pin: process.env.EOFFICE_PIN, soffice: process.env.EOFFICE_SOFFICE };
  // As when the desktop app or the web host is started from a shell that exports the PIN.
  process.env.EOFFICE_PIN = PIN;
  process.env.EOFFICE_SOFFICE = converter.program;
  try {
    await assert.rejects(convertToPdf(draftRtf()));
  } finally {
    for (const [name, value] of [['EOFFICE_PIN', saved.pin], ['EOFFICE_SOFFICE', saved.soffice]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  const seen = fs.readFileSync(converter.dump, 'utf8');
  assert.match(seen, /^PATH=/m, 'the converter did run and wrote its environment');
  assert.doesNotMatch(seen, /EOFFICE_PIN/);
  assert.ok(!seen.includes(PIN));
});

test('eoffice with EOFFICE_PIN set passes it to no child: LibreOffice converting a draft does not see it', async () => {
  const converter = envDumpingConverter();
  const dataDir = tempDir();
  const child = spawn(process.execPath, [CLI_BUNDLE, '--data-dir', dataDir, 'out', 'new', draftRtf(), '--type', 'TB', '--subject', 'Thông báo lịch họp', '--signer-name', 'Nguyễn Văn An', '--signer-position', 'Chủ tịch'], {
    env: { ...process.env, EOFFICE_PIN: PIN, EOFFICE_SOFFICE: converter.program },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.notEqual(code, 0, 'the stand-in converter fails on purpose');
  assert.match(stderr, /LibreOffice|convert/i);
  const seen = fs.readFileSync(converter.dump, 'utf8');
  assert.match(seen, /^PATH=/m);
  assert.doesNotMatch(seen, /EOFFICE_PIN/);
  assert.ok(!seen.includes(PIN));
});
