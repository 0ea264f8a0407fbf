/** zipcode-to-timezone (CommonJS, untyped): a 5-digit ZIP → IANA zone, or null when the ZIP is unknown. */
declare module 'zipcode-to-timezone' {
  export function lookup(zipcode: string): string | null;
}
