/**
 * How long masking takes on long text, the reliability figure of issue 13: a function
 * error can carry a 6 MB message, and every error line is masked before it is printed.
 * Prints, for texts that made the old URL-password pattern quadratic, the time to mask
 * them whole and clipped to the error line's length.
 *
 *   node --import tsx scripts/bench/masking.ts
 */
import { MAX_TEXT_LENGTH, maskSecrets } from "../../src/redaction.js";

const SECRETS = ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "IQoJb3JpZ2luX2VjE/session+token=="];
const MB = 1024 * 1024;

/** Repeated units that each start a would-be URL scheme, and the cases around it. */
const TEXTS: [label: string, unit: string][] = [
  ["letters", "a"],
  ["scheme characters", "a+b.c-"],
  ["URL fragments", "x://u:"],
  ["slashes and colons", "//a:b"],
];

function timed(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

console.log("| text | size | masked whole (ms) | clipped first (ms) |");
console.log("| --- | --- | --- | --- |");
for (const [label, unit] of TEXTS) {
  for (const size of [1 * MB, 6 * MB]) {
    const text = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
    const whole = timed(() => maskSecrets(text, SECRETS));
    const clipped = timed(() => maskSecrets(text, SECRETS, MAX_TEXT_LENGTH));
    console.log(`| ${label} | ${size / MB} MB | ${whole.toFixed(1)} | ${clipped.toFixed(2)} |`);
  }
}
