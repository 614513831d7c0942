import type { IncomingHttpHeaders } from "node:http";

/** One header's value, repeated headers joined with commas; `name` is lower-case. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}
