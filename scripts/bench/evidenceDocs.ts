import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { type EvidenceFigures, evidenceRows } from "./evidenceRuns.js";
import { markdownTable } from "./formatTable.js";

const START = "<!-- evidence-bench:start -->";
const END = "<!-- evidence-bench:end -->";
const BLOCK = new RegExp(`${START}[\\s\\S]*?${END}\\n?`);

/**
 * The evidence benchmark's section of `markdown`, markers included, or "" without one:
 * what a rewrite of docs/benchmarks.md by the main benchmark keeps.
 *
 * @example
 * ```ts
 * const kept = evidenceSectionOf(readFileSync("docs/benchmarks.md", "utf8"));
 * ```
 */
export function evidenceSectionOf(markdown: string): string {
  return BLOCK.exec(markdown)?.[0] ?? "";
}

/** Writes the figures into docs/benchmarks.md's evidence section, replacing the one before. */
export function writeEvidenceDocs(figures: EvidenceFigures, docsDir: string): string {
  const path = join(docsDir, "benchmarks.md");
  const previous = existsSync(path) ? readFileSync(path, "utf8") : "# Benchmarks\n";
  const section = [
    START,
    "## Evidence of a 50 MiB package (acquire_function_evidence)",
    "",
    `Run on ${figures.date.slice(0, 16).replace("T", " ")} UTC, Node ${figures.nodeVersion}, with \`npm run bench -- --evidence\`, load average ${figures.load[0].toFixed(2)} at the start and ${figures.load[1].toFixed(2)} at the end (${cpus().length} cores).`,
    "Each round runs `node dist/main.js` afresh: acquire_function_evidence on a 50 MiB",
    "package of random bytes served by the local endpoint, the same on a 1 KiB package,",
    "the SDK's own NodeHttpHandler streaming the same URL into a SHA-256",
    "(`scripts/bench/sdk-stream.mjs`: what the SDK itself needs to stream the package),",
    "and a bare `node -e 0`, each reporting its own peak RSS; then `curl`",
    "downloads a fresh presigned URL of the same package to /dev/null. The file API in",
    "the bench runs in a process of its own (`scripts/bench/comparing-file-api.mjs`), so",
    "that receiving the upload does not share the event loop that serves the download;",
    "it compares what it receives with the package byte for byte and keeps nothing",
    "(before 2026-12-02 it ran in the bench's process and hashed what it received).",
    "The local endpoint serves package files in 1 MiB reads. The throughput is timed where",
    "the package arrives, at the file API, from the upload's request to its last byte:",
    "the download, its SHA-256 and the upload together, against curl's download alone;",
    "the whole run's extra time for the 50 MiB (its run less the 1 KiB run, which adds",
    "process and GC costs) is shown beside it. curl -o /dev/null does one of the three",
    "jobs, so the same three done by curl and coreutils,",
    "`curl URL | tee >(sha256sum) | curl -T - <file API>`, timed the same way at the file",
    "API, stand beside it; the goal's figure stays the one against the plain download.",
    "`scripts/bench/evidenceStages.ts` times each stage of the path alone (Node's plain",
    "download, with a SHA-256, the connector's download, its upload, the whole) with the",
    "CPU each process spends on it.",
    "",
    markdownTable(evidenceRows(figures)),
    END,
    "",
  ].join("\n");
  const markdown = BLOCK.test(previous)
    ? previous.replace(BLOCK, section)
    : `${previous.trimEnd()}\n\n${section}`;
  writeFileSync(path, markdown);
  return path;
}
