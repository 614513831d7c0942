// The evidence benchmark's file API, in a process of its own: it compares the file part
// of each multipart upload, as it streams (the bytes between the blank line after the
// part's headers and the closing boundary), byte for byte with the package the bench
// wrote, and keeps nothing. A comparison, not a SHA-256: the check is as strict and
// costs the shared cores a tenth of a hash, so the receiving end stays close to what
// curl's /dev/null costs on the other side of the comparison. It runs apart from the bench's
// process, where the local endpoint serves the package, so receiving and checking the
// upload do not take turns with serving the download on one event loop: curl's download
// of the same URL, the comparison, has that event loop to itself.
//
// Prints `listening <url>` once it listens, then one JSON line per upload:
// {"intact": <the file part is the package>, "bytes": <its size>, "ms": <request to last byte>,
// "cpuMs": <this process's CPU over the same span>}.
//
//   node scripts/bench/comparing-file-api.mjs <package file>
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const expected = readFileSync(process.argv[2] ?? "");

let count = 0;
const server = createServer((req, res) => {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const boundary = /boundary=(.+)$/.exec(req.headers["content-type"] ?? "")?.[1];
  // A body that is not multipart (curl -T - in the stage bench) is the file itself.
  const closingLength = boundary === undefined ? 0 : Buffer.byteLength(`\r\n--${boundary}--\r\n`);
  let intact = true;
  const compare = (body) => {
    intact &&= body.equals(expected.subarray(bytes, bytes + body.length));
    bytes += body.length;
  };
  let header = Buffer.alloc(0);
  let inBody = boundary === undefined;
  // The last bytes seen, held back: they may be the closing boundary.
  let tail = Buffer.alloc(0);
  let bytes = 0;
  const take = (chunk) => {
    if (chunk.length >= closingLength) {
      // The whole tail and all of the chunk but its last bytes are file: no copy of the chunk.
      compare(tail);
      compare(chunk.subarray(0, chunk.length - closingLength));
      tail = Buffer.from(chunk.subarray(chunk.length - closingLength));
      return;
    }
    const joined = Buffer.concat([tail, chunk]);
    const keep = Math.min(joined.length, closingLength);
    compare(joined.subarray(0, joined.length - keep));
    tail = Buffer.from(joined.subarray(joined.length - keep));
  };
  req.on("data", (chunk) => {
    if (inBody) {
      take(chunk);
      return;
    }
    header = Buffer.concat([header, chunk]);
    const end = header.indexOf("\r\n\r\n");
    if (end >= 0) {
      inBody = true;
      take(header.subarray(end + 4));
    }
  });
  req.on("end", () => {
    count += 1;
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    intact &&= bytes === expected.length;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    process.stdout.write(`${JSON.stringify({ intact, bytes, ms, cpuMs })}\n`);
    res.writeHead(201, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: `bench-${count}` }));
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening http://127.0.0.1:${server.address().port}\n`);
});
// The bench ends this process by closing its stdin.
process.stdin.resume();
process.stdin.on("end", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
