/** How much of the log `LogType: Tail` returns. */
export const LOG_TAIL_BYTES = 4096;

/**
 * The last 4 KB of a log, base64-encoded, as in `X-Amz-Log-Result`. The cut never splits
 * a UTF-8 character, so the decoded tail is always valid text.
 */
export function logTail(log: string, maxBytes = LOG_TAIL_BYTES): string {
  const bytes = Buffer.from(log, "utf8");
  let start = Math.max(0, bytes.length - maxBytes);
  // 0b10xxxxxx bytes continue a character: step forward to the next character's start.
  while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) {
    start++;
  }
  return bytes.subarray(start).toString("base64");
}
