import type { IncomingMessage } from "node:http";

/**
 * Reads a request body into memory, or returns undefined once it passes `limit` bytes
 * (the rest is drained, so the connection stays usable for the error response).
 */
export async function readBody(
  request: IncomingMessage,
  limit: number,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= limit) {
      chunks.push(buffer);
    }
  }
  return size <= limit ? Buffer.concat(chunks) : undefined;
}
