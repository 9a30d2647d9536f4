// The command line's help texts, apart from the commands themselves: `eoffice --help` prints them
// without loading the registry, the PDF libraries or a token module.

export const BOOK_USAGE = 'book out|in --year <yyyy> | --from dd/MM/yyyy --to dd/MM/yyyy --format pdf|xlsx|csv -o <file> [--confidential]';

export const REPORT_USAGE =
  'report --from dd/MM/yyyy --to dd/MM/yyyy [--format json|xlsx|pdf] [-o <file>] [--place "…"] [--signer-name "…" --signer-position "…" --competence TM.] [--recipient "…"]…';

export const VERIFY_USAGE = `Usage: eoffice verify <pdf…> [--json] [--trust <pem|der|p7b>…] [--offline]
  validates every signature: integrity, changes after signing, the certificate path to the trust
  store (<data-dir>/trust, plus the CA certificates of --trust files for this run only; any other
  certificate in them is skipped with a warning), validity, revocation (CRL/OCSP, cached, asked
  only for trusted paths; --offline uses the cache only).
  Exit codes:
    0 every signature is valid
    3 every signature is valid except that revocation could not be checked (offline, no answer)
    1 anything else: a signature invalid or not trusted, a file that cannot be read
    2 a command line that makes no sense`;

export const USAGE = `Usage: eoffice [--data-dir <dir>] <command>
  import <files…> --book in|out   import PDF files into the incoming (in) or outgoing (out) register;
                                  an incoming one that may duplicate one already there is imported,
                                  and named on standard error (--json: "duplicates")
  list [--book in|out] [--year <yyyy>] [--limit <n>] [--offset <n>] [--json]
  search <query> [--book in|out] [--year <yyyy>] [--limit <n>] [--json]
       [--sort relevance|date|number|due] [--order asc|desc] [--columns <key,…>]
       [--save <name>] [--saved <name>] [-o <results.pdf|xlsx>]
                                  every field (số đến, handler, recipients, notes, identifier
                                  code, the files' text); --columns from incomingNumber, notation,
                                  documentDate, typeCode, subject, authorAgency, signerName,
                                  recipients, handlerName, dueDate, state, registeredAt,
                                  identifierCode; -o writes every result (up to 10,000)
  search --saved-list | --remove-saved <name>
                                  the saved searches (the same the app lists)
  audit verify                    check the hash chain of the audit trail
  serve [--listen <address:port>]  this data folder as the office host, over HTTPS (default
                                  0.0.0.0:8443): prints its addresses and its certificate's
                                  fingerprint (hex, syllables, QR code); needs an administrator
  users list [--json] | users add <login> --name "…" --role van-thu|lanh-dao|chuyen-vien|quan-tri[,…]
       [--unit "…"] [--position "…"] | users update <login> [--name|--role|--unit|--position …]
       | users disable|enable|reset|signout <login>
                                  the office's accounts: a password (add, reset) is read from
                                  standard input or typed twice, never an argument; at least 10
                                  characters, not the login; the last administrator stays one
  tokens [--module <lib>] [--json]
                                  list the tokens plugged in and their certificates
  tokens add-module <library>     add a CA's PKCS#11 library to those eOffice loads (the app's
                                  "Add a token library" in a terminal; loaded first, then saved)
  signers [--module <lib>] [--json]
                                  who can sign here: the tokens' certificates and the identities
                                  the remote signing services hold, each with its --signer name,
                                  holder, approval (PIN / điện thoại) and validity; a service that
                                  cannot be asked is named on standard error (--json: "problems")
  sign <in.pdf…> -o <file|folder> --token <label> [--module <lib>] [--cert <serial|id>]
       [--signer <choice> instead of --token/--cert] [--as signer|agency|attachment] [--image <png>] [--page N] [--rect x,y,w,h] [--invisible]
       [--agency-name <name>] [--notation <number/notation>] [--tsa <url>] [--confirm-final-try]
                                  sign PDFs with the token (PIN from EOFFICE_PIN or a prompt), or
                                  with a remote identity of the data folder's services: the files
                                  go to the phone together, under one confirmation (up to what
                                  the service allows at once); Ctrl+C cancels.
                                  Without --rect, on the signature block of the last page (or of
                                  --page N): the signer between the position and the name printed
                                  as the certificate's holder; the agency's seal over the left
                                  third of that signature. --agency-name defaults to the data
                                  folder's agency.name
  config get [key] | config set <key> <value>
                                  keys: agency.code, agency.name, agency.abbr, locale, tsaUrl,
                                  maxImportMegabytes, separateConfidentialSeries,
                                  signingSessionSeconds (how long a typed PIN serves further
                                  signing, 0–900, 0: every signing asks), signingIdleMinutes
                                  (an unused token login lapses, 1–60)
  config set signer.smartca.url|clientId|accounts <value> [signer.… <value>…]
  config set signer.csc.<name>.url|clientId|userId <value> [signer.… <value>…]
  config set signer.mss.url|apId|msspId|clientCertificate|clientKey|ca <value>
  config set signer.mss.identities 84912345678=/path/cert.pem,…
  config set signer.smartca.secret - | signer.csc.<name>.secret - | signer.mss.apPassword -
  config unset signer.smartca | signer.csc.<name> | signer.mss
                                  the remote signing services (the administrator's): a new
                                  service's required keys go in one command; accounts is a comma
                                  list; the secrets are read from standard input only, sealed,
                                  and shown by config get as (set)/(not set)
  out new <file.pdf|.docx|.odt> --type <QĐ|TB|…|CV> --subject "…" [--to <codes,…>]
       [--signer-name … --signer-position … --competence TM.|KT.|TL.] [--unit VP]
       [--recipient "printed recipient"]… [--priority normal|urgent|very_urgent|flash]
       [--due dd/MM/yyyy] [--copies N] [--confidential] [--attach <pdf>]…
       [--number-at page,x,y,w,h] [--date-at page,x,y,w,h]
                                  create an outgoing draft; prints its id
  out places <id> --number-at … --date-at …   mark where the number and date go
  out sign <id> --token <label> [--cert …] [--page N --rect x,y,w,h] [--image <png>]
  out sign <id> --signer <choice> [--page N --rect x,y,w,h] [--image <png>]
                                  the competent person signs (certifies; number and date stay open);
                                  <choice>: token:<label>[/<cert>] | smartca:<account>[/<credential>]
                                  | csc:<provider>/<credential> | mss:<msisdn> (see eoffice signers);
                                  a remote signer confirms on the phone (no PIN; Ctrl+C cancels)
  out number <id> [--yes]         cấp số: refused before a valid signature of the declared signer
  out issue <id> --token <label> [--cert …] [--image <seal.png>] [--yes]
  out issue <id> --signer <choice> [--image <seal.png>] [--yes]
                                  number if needed, fill number and date, agency signature (the
                                  agency's own certificate), queue. out sign and out issue are the
                                  app's documents.sign and outgoing.issue: timestamped by the
                                  settings' tsaUrl; --image is for this act only (else the image
                                  stored for the certificate)
  out recall <id> --reason "…" [--yes] | out update <id> --reason "…"
  out replace <id> --by <newId> --reason "…"
                                  number, issue and recall say what they will do and ask y/N;
                                  without a terminal (a script), --yes confirms
  out show <id>                   the document's state and notation, its versions and attachments
  out export <id> -o <file> [--version draft|signed|numbered|issued] [--attachment N]
                                  the document's current PDF, an earlier version, or attachment N
  ${BOOK_USAGE}
                                  the outgoing (đi) or incoming (đến) register, of a year or a period
  ${REPORT_USAGE}
                                  the periodic report: figures issued, received, signed, handled
                                  (the dashboard's figures; json to standard output without -o)
  config set axis.endpoint|axis.systemId <value> | config set axis.secret -
                                  where this agency reaches the document axis; the secret is read
                                  from standard input only (an argument would stay in the shell
                                  history and the process list), sealed, and never printed
  sync [--once] [--now] [--json]  send what is due and receive what waits; --now sends what waits
                                  for a retry too; without --once, keep doing it every
                                  syncIntervalSeconds until stopped
  queue [--json]                  what waits to be sent, with the last error of each
  in list [--json]                packages received from the axis (refused ones with the reason)
  in list --state <filter> | --overdue | --due-soon [--year <yyyy>] [--limit <n>] [--offset <n>] [--json]
                                  the incoming register; filters: all, new, received, registered,
                                  assigned, in-progress, overdue, due-soon, done, returned, recalled,
                                  recall-pending
  in show <id> [--json]           the ĐẾN data: số đến, ngày đến, handler, due date, statuses, recall;
                                  the received file and its attachments, with their names as sent,
                                  each PDF attachment's signatures checked (offline); possible duplicates
  in export <id> -o <file> [--attachment N]
                                  the received file, or attachment N, copied out whole
  in accept <id> [--notation "2280/QĐ-UBND"] [--date dd/MM/yyyy] [--agency "…"] [--type QĐ] [--subject "…"]
                                  tiếp nhận: the next số đến, 03 to the sender; refused, naming what is
                                  missing, until the register has the number and notation, date,
                                  issuing agency, type and subject (give what the file does not say);
                                  warns (standard error) of a document with the same identifier code,
                                  or number, notation and issuing agency, already in the register
  in link <id> --to <other id>    liên kết: the two are the same document (shown on both, audited)
  in return <id> --reason "…"     trả lại (02)
  in register <file.pdf> [the same options]
                                  a scanned paper document into the register, with its số đến
  in assign <id> --to <handler id|exact name> --due dd/MM/yyyy [--note "…"]
                                  chuyển xử lý (04); again to reassign
  in start <id> | in done <id> [--note "…"]
                                  đang xử lý (05) / đã xử lý xong (06)
  in recall accept|refuse <id> [--reason "…"]
                                  answer the sender's recall: 15 (the document is recalled) or 16
  in handlers [--add "Name" [--unit "…"] [--kind person|unit]] [--deactivate <id|name>] [--json]
                                  the directory of handlers
${VERIFY_USAGE.replace('Usage: eoffice ', '  ')}`;
