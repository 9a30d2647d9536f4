/**
 * The common name in an X.509 subject or issuer as the core writes it (RFC 4514 style in the
 * certificate's order: "CN=Nguyễn Văn An, O=UBND xã Thử Nghiệm, C=VN"), or the whole text when
 * it has none.
 */
export function commonName(distinguishedName: string): string {
  return /(?:^|,\s*)CN=([^,]+)/.exec(distinguishedName)?.[1]?.trim() ?? distinguishedName;
}
