// The evidence benchmark's memory baseline: the SDK's own HTTP handler streaming a
// presigned package URL into a SHA-256 and nothing else, as a developer would with the
// AWS SDK v3's NodeHttpHandler (the handler S3 GetObject streams its Body through).
// What its peak RSS grows by over a bare node is the SDK's own buffers for the download.
//
//   node scripts/bench/sdk-stream.mjs <presigned URL>
import { createHash } from "node:crypto";
import { NodeHttpHandler } from "@smithy/node-http-handler";

const url = new URL(process.argv[2] ?? "");
const handler = new NodeHttpHandler();
const { response } = await handler.handle({
  protocol: url.protocol,
  hostname: url.hostname,
  port: Number(url.port),
  method: "GET",
  path: url.pathname,
  query: Object.fromEntries(url.searchParams),
  headers: { host: url.host },
});
const hash = createHash("sha256");
let bytes = 0;
for await (const chunk of response.body) {
  hash.update(chunk);
  bytes += chunk.length;
}
handler.destroy();
process.stdout.write(`${JSON.stringify({ bytes, sha256: hash.digest("base64") })}\n`);
