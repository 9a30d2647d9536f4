// The reference axis's storage: messages and their per-recipient deliveries in SQLite, package
// bodies as files beside the database. A body is on disk under its final name before its row
// commits, so a row never points at a missing file; a crash in between leaves only an orphan file.
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MessageType } from '../../main/core/axis/adapter.js';
import { fsyncDirectory } from '../../main/core/storage/blobStore.js';

export type DeliveryState = 'pending' | 'processing' | 'done' | 'fail';

export interface NewMessage {
  sender: string;
  messageType: MessageType;
  documentId: string | null;
  businessDocType: number | null;
  sha256: string;
  size: number;
  recipients: string[];
}

export interface PendingItem {
  docId: string;
  messageType: MessageType;
  from: string;
  to: string[];
  createdTime: string;
  updatedTime: string;
  state: DeliveryState;
}

/** One recipient of a message, as its sender sees it. */
export interface SentDelivery {
  id: string;
  messageType: MessageType;
  recipient: string;
  createdTime: string;
  updatedTime: string;
  state: DeliveryState;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  sender TEXT NOT NULL,
  message_type TEXT NOT NULL,
  document_id TEXT,
  business_doc_type INTEGER,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  created TEXT NOT NULL,
  -- What makes a re-send the same message: the edoc's identity, or a status message's bytes.
  dedup_key TEXT NOT NULL,
  UNIQUE (sender, message_type, dedup_key)
);
CREATE TABLE IF NOT EXISTS deliveries (
  message_id TEXT NOT NULL REFERENCES messages(id),
  recipient TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'processing', 'done', 'fail')),
  updated TEXT NOT NULL,
  PRIMARY KEY (message_id, recipient)
);
CREATE INDEX IF NOT EXISTS deliveries_by_recipient ON deliveries (recipient, state);
`;

export class AxisStore {
  private readonly db: Database;
  private readonly packageDir: string;

  constructor(dbPath: string) {
    this.packageDir = `${dbPath}.packages`;
    fs.mkdirSync(this.packageDir, { recursive: true });
    this.db = new BetterSqlite3(dbPath);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  packagePath(id: string): string {
    return path.join(this.packageDir, id);
  }

  /** Where an upload is written while it is checked; committed by `commitMessage`. */
  temporaryPath(): string {
    return path.join(this.packageDir, `.upload-${randomUUID()}`);
  }

  /**
   * Stores the uploaded, fsynced file and routes it to every recipient, or, when the same message
   * was sent before, drops the upload and returns the original id.
   */
  commitMessage(uploadPath: string, message: NewMessage): { id: string; duplicate: boolean } {
    // A new document is the same message when it has the same DocumentId (a resend after a lost
    // answer). A recall, update or replacement reuses the DocumentId it is about, and a document
    // may be updated twice: those, statuses and packages the axis could not read are the same
    // message only when they are the same bytes.
    const dedupKey =
      message.messageType === 'edoc' && message.documentId
        ? (message.businessDocType ?? 0) === 0
          ? `0|${message.documentId}`
          : `${message.businessDocType}|${message.documentId}|${message.sha256}`
        : message.sha256;
    const commit = this.db.transaction(() => {
      const existing = this.db.prepare('SELECT id FROM messages WHERE sender = ? AND message_type = ? AND dedup_key = ?').get(message.sender, message.messageType, dedupKey) as { id: string } | undefined;
      if (existing) return { id: existing.id, duplicate: true };
      const id = randomUUID();
      const now = new Date().toISOString();
      fs.renameSync(uploadPath, this.packagePath(id));
      fsyncDirectory(this.packageDir);
      this.db
        .prepare('INSERT INTO messages (id, sender, message_type, document_id, business_doc_type, sha256, size, created, dedup_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, message.sender, message.messageType, message.documentId, message.businessDocType, message.sha256, message.size, now, dedupKey);
      const deliver = this.db.prepare("INSERT INTO deliveries (message_id, recipient, state, updated) VALUES (?, ?, 'pending', ?)");
      for (const recipient of message.recipients) deliver.run(id, recipient, now);
      return { id, duplicate: false };
    });
    const result = commit();
    if (result.duplicate) fs.rmSync(uploadPath, { force: true });
    return result;
  }

  /** A recipient's open items of one type, oldest first. */
  pendingFor(recipient: string, messageType: MessageType): PendingItem[] {
    const rows = this.db
      .prepare(
        `SELECT m.id, m.message_type, m.sender, m.created, d.updated, d.state,
                (SELECT json_group_array(recipient) FROM (SELECT recipient FROM deliveries WHERE message_id = m.id ORDER BY rowid)) AS recipients
         FROM deliveries d JOIN messages m ON m.id = d.message_id
         WHERE d.recipient = ? AND m.message_type = ? AND d.state IN ('pending', 'processing')
         ORDER BY m.seq`,
      )
      .all(recipient, messageType) as { id: string; message_type: MessageType; sender: string; created: string; updated: string; state: DeliveryState; recipients: string }[];
    return rows.map((row) => ({ docId: row.id, messageType: row.message_type, from: row.sender, to: JSON.parse(row.recipients) as string[], createdTime: row.created, updatedTime: row.updated, state: row.state }));
  }

  /** The deliveries of what `sender` sent: of one message, or of all of one type, oldest first. */
  sentDeliveries(sender: string, filter: { id: string | null; messageType: MessageType | null }): SentDelivery[] {
    const rows = this.db
      .prepare(
        `SELECT m.id, m.message_type, m.created, d.recipient, d.updated, d.state
         FROM messages m JOIN deliveries d ON d.message_id = m.id
         WHERE m.sender = @sender AND (@id IS NULL OR m.id = @id) AND (@type IS NULL OR m.message_type = @type)
         ORDER BY m.seq, d.rowid`,
      )
      .all({ sender, id: filter.id, type: filter.messageType }) as { id: string; message_type: MessageType; created: string; recipient: string; updated: string; state: DeliveryState }[];
    return rows.map((row) => ({ id: row.id, messageType: row.message_type, recipient: row.recipient, createdTime: row.created, updatedTime: row.updated, state: row.state }));
  }

  /** The stored body, for a recipient of the message only. */
  deliveredPackage(id: string, recipient: string): { path: string; size: number } | undefined {
    const row = this.db.prepare('SELECT m.size FROM deliveries d JOIN messages m ON m.id = d.message_id WHERE d.message_id = ? AND d.recipient = ?').get(id, recipient) as { size: number } | undefined;
    return row ? { path: this.packagePath(id), size: row.size } : undefined;
  }

  /** False when the caller is not a recipient of that message. */
  setDeliveryState(id: string, recipient: string, state: DeliveryState): boolean {
    return this.db.prepare('UPDATE deliveries SET state = ?, updated = ? WHERE message_id = ? AND recipient = ?').run(state, new Date().toISOString(), id, recipient).changes === 1;
  }

  deliveryCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number }).n;
  }
}
