// The handwritten-signature and seal images drawn into visible signatures, one of each per
// certificate (by its SHA-256 fingerprint). The PNG is a content-addressed file like a document's,
// so the row and the file it names commit together, and replacing an image keeps the old file.
import type { Database } from 'better-sqlite3';

export function migrate0003CertificateImages(db: Database): void {
  db.exec(`
    CREATE TABLE certificate_images (
      fingerprint256 TEXT NOT NULL CHECK (length(fingerprint256) = 95),  -- AB:CD:… (32 bytes)
      kind TEXT NOT NULL CHECK (kind IN ('signature', 'seal')),
      file_sha256 TEXT NOT NULL REFERENCES files(sha256),
      updated_at TEXT NOT NULL,
      PRIMARY KEY (fingerprint256, kind)
    );
  `);
}
