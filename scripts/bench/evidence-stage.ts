// One stage of the evidence path, alone, in a fresh process, timed from its first request
// to its end (process start excluded); prints {"stage", "ms", "bytes"} as one JSON line.
//
// It prints its own CPU (user and system ms) and minor page faults over the same span.
//
//   node --import tsx scripts/bench/evidence-stage.ts <stage> <presigned URL> <file API URL> <package file>
//
// Stages: sink (Node's http.get, bytes discarded), sink-hash (the same, SHA-256 of each
// chunk), download (openPackageDownload, its checks and hash, into a discarding sink),
// upload (uploadFileStream of the package from memory, 64 KiB chunks), full (download
// into upload, as acquire_function_evidence does).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { get } from "node:http";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createAgents } from "../../src/aws/httpHandler.js";
import { openPackageDownload } from "../../src/aws/presignedDownload.js";
import { uploadFileStream } from "../../src/turbine/files.js";

const [stage = "", url = "", fileApi = "", packageFile = ""] = process.argv.slice(2);
const MAX = 70 * 1024 * 1024;
const env = { IPC_API_URI: fileApi, IPC_API_TOKEN: "bench-evidence" };
const agents = await createAgents({ proxyUrl: undefined, verifySsl: true });
const memory = stage === "upload" ? readFileSync(packageFile) : undefined;
const sink = () =>
  new Writable({
    highWaterMark: 1024 * 1024,
    write(_chunk, _encoding, done) {
      done();
    },
  });

const cpuBefore = process.cpuUsage();
const faultsBefore = process.resourceUsage().minorPageFault;
const started = performance.now();
let bytes = 0;
if (stage === "sink" || stage === "sink-hash") {
  const hash = createHash("sha256");
  await new Promise<void>((resolve, reject) => {
    get(url, (response) => {
      response.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (stage === "sink-hash") {
          hash.update(chunk);
        }
      });
      response.on("end", resolve);
      response.on("error", reject);
    }).on("error", reject);
  });
  hash.digest();
} else if (stage === "download" || stage === "full") {
  const download = await openPackageDownload(url, {
    agents,
    signal: AbortSignal.timeout(60_000),
    maxBytes: MAX,
    expectedBytes: undefined,
    what: "the bench's package",
  });
  if (stage === "download") {
    await pipeline(download.body, sink());
  } else {
    await uploadFileStream(download.body, "bench.zip", {
      field: "code",
      env,
      maxBytes: MAX,
    });
  }
  bytes = download.digest().bytes;
} else if (stage === "upload" && memory !== undefined) {
  const chunks = function* () {
    for (let offset = 0; offset < memory.length; offset += 64 * 1024) {
      yield memory.subarray(offset, offset + 64 * 1024);
    }
  };
  await uploadFileStream(Readable.from(chunks(), { objectMode: false }), "bench.zip", {
    field: "code",
    env,
    maxBytes: MAX,
  });
  bytes = memory.length;
} else {
  throw new Error(`unknown stage ${stage}`);
}
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const minorFaults = process.resourceUsage().minorPageFault - faultsBefore;
process.stdout.write(
  `${JSON.stringify({ stage, ms, bytes, userMs: cpu.user / 1000, systemMs: cpu.system / 1000, minorFaults })}\n`,
);
process.exit(0);
