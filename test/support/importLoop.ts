// Child process for the crash test: imports made-up PDFs into a data folder until it is killed.
// With EOFFICE_KILL_BEFORE_COMMIT=1 it kills itself with SIGKILL at the worst moment instead:
// after the file is durable on disk, before the database transaction commits.
import { openCore } from '../../main/core/app/core.js';
import { importDocument } from '../../main/core/registry/importDocument.js';
import { makeVietnamesePdf } from './fixtures.js';

const [dataDir, seed] = process.argv.slice(2) as [string, string];
const core = openCore({ dataDir, shell: 'cli', actor: 'crash-test' });
const killBeforeCommit = process.env.EOFFICE_KILL_BEFORE_COMMIT === '1';
for (let i = 0; ; i++) {
  const bytes = await makeVietnamesePdf([`Công văn số ${seed}-${i}`, 'V/v kiểm tra an toàn khi mất điện đột ngột', 'Nội dung '.repeat(40)]);
  const id = await importDocument(
    {
      db: core.db,
      blobs: core.blobs,
      maxBytes: 1e8,
      actor: 'crash-test',
      beforeCommit: killBeforeCommit ? () => process.kill(process.pid, 'SIGKILL') : undefined,
    },
    { direction: 'in', fileName: `cv-${seed}-${i}.pdf`, bytes },
  );
  process.stdout.write(`imported ${id}\n`);
  // The first import loads pdf.js and the font; from here on imports come every ~0.1 s.
  if (i === 0) process.stdout.write('ready\n');
}
