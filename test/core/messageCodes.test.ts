// Every message code the core can produce reaches the clerk as a sentence of the Vietnamese and
// English catalogues, never as the core's English text: the error codes the core raises (found by
// walking its source), the refusal reasons and status codes of the exchange, the reasons of a
// signature's validation, and — made to happen for real, against local servers and real settings
// files — every problem the exchange records for a pass or a queued job, with its parameters.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { ERROR_CODES, type ApiErrorShape } from '../../main/common/errors.js';
import { REFUSAL_REASONS, STATUS_CODES } from '../../main/common/exchangeCodes.js';
import { AxisError, type AxisConfig } from '../../main/core/axis/adapter.js';
import { createAxisAdapter } from '../../main/core/axis/createAdapter.js';
import { exchangeProblem, storedProblem } from '../../main/core/exchange/problems.js';
import { writeAxisSecret } from '../../main/core/exchange/axisSettings.js';
import { createKeyFileSecretBox } from '../../main/core/secrets/secretBox.js';
import { createFileSettings } from '../../main/core/settings/settings.js';
import { openCore } from '../../main/core/app/core.js';
import { invoke } from '../../main/core/api/invoke.js';
import type { Output } from '../../main/common/contract.js';
import type { Envelope } from '../../main/common/errors.js';
import { REPO_ROOT, tempDir } from '../support/fixtures.js';

type Catalog = Record<string, string>;
const catalogs: Record<'vi' | 'en', Catalog> = {
  vi: JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'renderer/src/i18n/vi.json'), 'utf8')) as Catalog,
  en: JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'renderer/src/i18n/en.json'), 'utf8')) as Catalog,
};
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

/** As the renderer's errorMessage does: the code's sentence, its placeholders filled from the details. */
function render(locale: 'vi' | 'en', problem: ApiErrorShape): string {
  const template = catalogs[locale][`error.${problem.code}`];
  assert.ok(template, `error.${problem.code} is missing from ${locale}.json`);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (problem.details?.[name] === undefined || problem.details[name] === null ? whole : String(problem.details[name])));
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

test('every key has the same placeholders in Vietnamese and English', () => {
  assert.deepEqual(Object.keys(catalogs.en).sort(), Object.keys(catalogs.vi).sort());
  const differ = Object.keys(catalogs.vi).filter((key) => placeholders(catalogs.vi[key]!).join() !== placeholders(catalogs.en[key] ?? '').join());
  assert.deepEqual(differ, []);
});

test('every code the core raises (walked in its source) has a sentence in both catalogues', () => {
  const errorCodes = new Set<string>(ERROR_CODES);
  const raised = new Map<string, string>();
  const refusals = new Set<string>();
  const reasons = new Set<string>();
  // main/common/doctypes.ts lists document types by `code:` too (CV, QĐ…): names, not messages.
  const files = [...sourceFiles(path.join(REPO_ROOT, 'main/core')), ...sourceFiles(path.join(REPO_ROOT, 'main/common'))].filter((file) => !file.endsWith('doctypes.ts'));
  for (const file of files) {
    const source = fs.readFileSync(file, 'utf8');
    const where = path.relative(REPO_ROOT, file);
    for (const m of source.matchAll(/new (?:AppError|ApiError)\(\s*'([A-Z][A-Z0-9_]+)'/g)) raised.set(m[1]!, where);
    // AxisError's options and the problems built by hand ({ code: 'AXIS_…', message }).
    // In validation, `code:` names a signature's reason (sig.reason.*); elsewhere an error code.
    const validation = file.includes(`${path.sep}validation${path.sep}`);
    for (const m of source.matchAll(/\bcode: '([A-Z][A-Z0-9_]+)'/g)) {
      if (validation) reasons.add(m[1]!);
      else raised.set(m[1]!, where);
    }
    for (const m of source.matchAll(/\brefusal\(\s*'([a-z-]+)'/g)) refusals.add(m[1]!);
  }
  assert.ok(raised.size > 60, `the walk found the core's codes (${raised.size})`);
  const unknown = [...raised].filter(([code]) => !errorCodes.has(code) && !reasons.has(code));
  assert.deepEqual(unknown, [], 'a code raised outside ERROR_CODES');
  for (const locale of ['vi', 'en'] as const) {
    const catalog = catalogs[locale];
    assert.deepEqual([...raised.keys()].filter((code) => errorCodes.has(code) && !catalog[`error.${code}`]), [], `error.* in ${locale}`);
    assert.deepEqual(ERROR_CODES.filter((code) => !catalog[`error.${code}`]), [], `every ERROR_CODES entry in ${locale}`);
    assert.deepEqual([...refusals, ...REFUSAL_REASONS].filter((reason) => !catalog[`exchange.refusal.${reason}`]), [], `exchange.refusal.* in ${locale}`);
    assert.deepEqual(STATUS_CODES.filter((code) => !catalog[`exchange.statusCode.${code}`]), [], `status codes in ${locale}`);
    assert.deepEqual([...reasons].filter((code) => !errorCodes.has(code) && !catalog[`sig.reason.${code}`]), [], `sig.reason.* in ${locale}`);
  }
});

// ---- The exchange's problems, made for real ----

const servers: http.Server[] = [];
after(() => servers.forEach((s) => s.close()));

/** A local "axis" answering every call with one status and body, or never. */
async function answering(status: number | 'never', body = '{}'): Promise<string> {
  const server = http.createServer((request, response) => {
    request.resume();
    if (status === 'never') return;
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/vxp/`;
}

async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function axisFailure(config: Partial<AxisConfig> & { endpoint: string }): Promise<AxisError> {
  try {
    const adapter = createAxisAdapter({ variant: 'vxp', systemId: 'xa-thu-nghiem', secret: 'bí mật', timeoutMs: 400, ...config });
    await adapter.listInbox('edoc');
  } catch (error) {
    assert.ok(error instanceof AxisError, String(error));
    return error;
  }
  assert.fail(`no failure from ${config.endpoint}`);
}

async function syncProblem(dataDir: string): Promise<ApiErrorShape | null> {
  const core = openCore({ dataDir, shell: 'web', actor: 'test' });
  try {
    const envelope = (await invoke(core.handlers, 'exchange.syncNow', {}, () => undefined)) as Envelope<Output<'exchange.syncNow'>>;
    assert.ok(envelope.ok, JSON.stringify(envelope));
    return envelope.result.error;
  } finally {
    core.close();
  }
}

test('every problem the exchange records is a code with its parameters, said in Vietnamese and English without the core’s English', async () => {
  const problems: ApiErrorShape[] = [];
  const expect = (problem: ApiErrorShape | null, code: string) => {
    assert.equal(problem?.code, code, JSON.stringify(problem));
    problems.push(problem!);
  };

  // The axis's answers and the network, through the real adapter.
  const dead = await unusedPort();
  expect((await axisFailure({ endpoint: `http://127.0.0.1:${dead}/vxp/` })).toShape(), 'AXIS_UNREACHABLE');
  expect((await axisFailure({ endpoint: await answering('never') })).toShape(), 'AXIS_TIMEOUT');
  expect((await axisFailure({ endpoint: await answering(401) })).toShape(), 'AXIS_AUTH_FAILED');
  expect((await axisFailure({ endpoint: await answering(503) })).toShape(), 'AXIS_UNAVAILABLE');
  expect((await axisFailure({ endpoint: await answering(404) })).toShape(), 'AXIS_PATH_NOT_SERVED');
  expect((await axisFailure({ endpoint: await answering(400, JSON.stringify({ status: 'FAIL', ErrorCode: 'E12', ErrorDesc: 'Đơn vị nhận không tồn tại' })) })).toShape(), 'AXIS_REFUSED');
  expect((await axisFailure({ endpoint: await answering(200, JSON.stringify({ status: 'FAIL', ErrorDesc: 'Sai chữ ký' })) })).toShape(), 'AXIS_REFUSED');
  expect((await axisFailure({ endpoint: await answering(200, '<html>proxy</html>') })).toShape(), 'AXIS_BAD_ANSWER');
  expect((await axisFailure({ endpoint: await answering(200, '{"status":"OK"}') })).toShape(), 'AXIS_BAD_ANSWER');
  expect((await axisFailure({ endpoint: await answering(200), systemId: 'xã-thử-nghiệm' })).toShape(), 'AXIS_HEADER_INVALID');
  for (const [endpoint, code] of [
    ['http://lgsp.example.gov.vn/vxp', 'AXIS_ENDPOINT_INSECURE'],
    ['ftp://lgsp.example.gov.vn/vxp', 'AXIS_ENDPOINT_INSECURE'],
    ['trục tỉnh', 'AXIS_ENDPOINT_INVALID'],
  ] as const) {
    assert.throws(
      () => createAxisAdapter({ variant: 'vxp', endpoint, systemId: 's', secret: 's' }),
      (error: unknown) => error instanceof AxisError && (expect(error.toShape(), code), true),
    );
  }
  const packageFile = path.join(tempDir('eoffice-messages-'), 'goi.edxml');
  fs.writeFileSync(packageFile, 'abc');
  const changed = createAxisAdapter({ variant: 'vxp', endpoint: await answering(200), systemId: 's', secret: 's' });
  await assert.rejects(changed.send({ path: packageFile, size: 99, sha256: '00', from: 'a', to: ['b'], messageType: 'edoc' }), (error: unknown) => {
    assert.ok(error instanceof AxisError);
    expect(error.toShape(), 'QUEUED_PACKAGE_CHANGED');
    return true;
  });

  // A pass with the settings as a clerk leaves them: nothing, no axis, a secret another shell sealed, a damaged one.
  const dataDir = tempDir('eoffice-messages-');
  expect(await syncProblem(dataDir), 'AGENCY_CODE_MISSING');
  const core = openCore({ dataDir, shell: 'web', actor: 'test' });
  await invoke(core.handlers, 'agency.update', { code: '000.00.21.H99', name: 'UBND xã Thử Nghiệm', abbreviation: 'UBND' }, () => undefined);
  core.close();
  expect(await syncProblem(dataDir), 'AXIS_NOT_CONFIGURED');
  createFileSettings(dataDir).update({ axisEndpoint: `http://127.0.0.1:${dead}/vxp/`, axisSystemId: 'xa-thu-nghiem' });
  writeAxisSecret(dataDir, createKeyFileSecretBox(dataDir), 'bí mật');
  const secretFile = path.join(dataDir, 'axis-secret.sealed');
  const sealed = fs.readFileSync(secretFile, 'utf8');
  fs.writeFileSync(secretFile, JSON.stringify({ ...(JSON.parse(sealed) as object), kind: 'safeStorage' }));
  expect(await syncProblem(dataDir), 'AXIS_SECRET_ELSEWHERE');
  fs.writeFileSync(secretFile, '{not json');
  expect(await syncProblem(dataDir), 'AXIS_SECRET_UNREADABLE');
  fs.writeFileSync(secretFile, sealed);
  expect(await syncProblem(dataDir), 'AXIS_UNREACHABLE');

  // Our own side, and a job that failed before codes were kept.
  expect(exchangeProblem(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })), 'EXCHANGE_LOCAL_FAILURE');
  expect(storedProblem({ last_error: 'The axis refused sendEdoc (HTTP 400: x).', last_error_code: null, last_error_details: null, error_kind: 'permanent' }), 'AXIS_SEND_FAILED');
  expect(storedProblem({ last_error: 'The axis refused our credentials.', last_error_code: null, last_error_details: null, error_kind: 'auth' }), 'AXIS_AUTH_FAILED');

  for (const problem of problems) {
    for (const locale of ['vi', 'en'] as const) {
      const said = render(locale, problem);
      assert.deepEqual(placeholders(said), [], `${problem.code} in ${locale}: every parameter is given (${said})`);
      assert.ok(!said.includes(problem.message), `${problem.code} in ${locale} does not repeat the core's English: ${said}`);
    }
  }
  assert.deepEqual(
    [...new Set(problems.map((p) => p.code))].sort(),
    [
      'AGENCY_CODE_MISSING',
      'AXIS_AUTH_FAILED',
      'AXIS_BAD_ANSWER',
      'AXIS_ENDPOINT_INSECURE',
      'AXIS_ENDPOINT_INVALID',
      'AXIS_HEADER_INVALID',
      'AXIS_NOT_CONFIGURED',
      'AXIS_PATH_NOT_SERVED',
      'AXIS_REFUSED',
      'AXIS_SECRET_ELSEWHERE',
      'AXIS_SECRET_UNREADABLE',
      'AXIS_SEND_FAILED',
      'AXIS_TIMEOUT',
      'AXIS_UNAVAILABLE',
      'AXIS_UNREACHABLE',
      'EXCHANGE_LOCAL_FAILURE',
      'QUEUED_PACKAGE_CHANGED',
    ],
    'every code an exchange problem can carry was made',
  );
});
