/**
 * Streams its response (awslambda.streamifyResponse). `event.shape` picks what:
 * - `json` (default): one JSON object, cut across `event.chunks` (default 3) writes;
 * - `text`: `event.chunks` lines of plain text;
 * - `binary`: bytes that are not UTF-8;
 * - `bulk`: `event.total_bytes` of filler in writes of `event.chunk_bytes` (64 KiB):
 *   the benchmark's 200 MB stream;
 * - `pieces`: the UTF-8 bytes of `event.text` in writes of `event.piece_bytes` (1), so
 *   that characters of more than one byte are split across events.
 */
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const shape = event?.shape ?? "json";
  const chunks = Number(event?.chunks ?? 3);
  if (shape === "bulk") {
    const total = Number(event?.total_bytes ?? 1024 * 1024);
    const size = Number(event?.chunk_bytes ?? 64 * 1024);
    const filler = Buffer.alloc(size, 0x61);
    for (let sent = 0; sent < total; sent += size) {
      await responseStream.write(sent + size <= total ? filler : filler.subarray(0, total - sent));
    }
  } else if (shape === "pieces") {
    const bytes = Buffer.from(String(event?.text ?? ""), "utf8");
    const size = Number(event?.piece_bytes ?? 1);
    for (let at = 0; at < bytes.byteLength; at += size) {
      await responseStream.write(bytes.subarray(at, at + size));
    }
  } else if (shape === "binary") {
    await responseStream.write(Buffer.from([0xff, 0xfe, 0x00, 0x80, 0xc3]));
  } else if (shape === "text") {
    for (let i = 1; i <= chunks; i++) {
      await responseStream.write(`line ${i} of ${chunks}\n`);
    }
  } else {
    const text = JSON.stringify({ indicator: event?.indicator ?? null, verdict: "benign", chunks });
    const step = Math.ceil(text.length / chunks);
    for (let at = 0; at < text.length; at += step) {
      await responseStream.write(text.slice(at, at + step));
    }
  }
  console.log(`streamed ${shape}`);
  responseStream.end();
});
