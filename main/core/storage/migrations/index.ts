import type { Database } from 'better-sqlite3';
import { migrate0001Registry } from './0001_registry.js';
import { migrate0002Search } from './0002_search.js';
import { migrate0003CertificateImages } from './0003_certificate_images.js';
import { migrate0004Issuing } from './0004_issuing.js';
import { migrate0005Exchange } from './0005_exchange.js';
import { migrate0006Incoming } from './0006_incoming.js';
import { migrate0007Reports } from './0007_reports.js';
import { migrate0008ReceiveAttempts } from './0008_receive_attempts.js';
import { migrate0009OutboxErrorCodes } from './0009_outbox_error_codes.js';
import { migrate0010IncomingCapture } from './0010_incoming_capture.js';
import { migrate0011ReportColumnsOnInsert } from './0011_report_columns_on_insert.js';
import { migrate0012SearchFields } from './0012_search_fields.js';
import { migrate0013DocumentLinks } from './0013_document_links.js';
import { migrate0014Accounts } from './0014_accounts.js';

/** Migration N brings the schema from user_version N-1 to N. Never edit one that has shipped. */
export const MIGRATIONS: ReadonlyArray<(db: Database) => void> = [migrate0001Registry, migrate0002Search, migrate0003CertificateImages, migrate0004Issuing, migrate0005Exchange, migrate0006Incoming, migrate0007Reports, migrate0008ReceiveAttempts, migrate0009OutboxErrorCodes, migrate0010IncomingCapture, migrate0011ReportColumnsOnInsert, migrate0012SearchFields, migrate0013DocumentLinks, migrate0014Accounts];

export const SCHEMA_VERSION = MIGRATIONS.length;
