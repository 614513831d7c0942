import { createHash } from "node:crypto";

const TAGS = ["botnet", "phishing", "scanner", "tor-exit", "malware-c2", "spam", "benign-cdn"];

/** Tells what kind of indicator a string is, the way a threat-intel lookup would. */
function kindOf(indicator) {
  if (/^(\d{1,3}\.){3}\d{1,3}$/.test(indicator)) return "ipv4";
  if (/^[a-f0-9]{32}$/i.test(indicator)) return "md5";
  if (/^[a-f0-9]{40}$/i.test(indicator)) return "sha1";
  if (/^[a-f0-9]{64}$/i.test(indicator)) return "sha256";
  if (/^https?:\/\//i.test(indicator)) return "url";
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(indicator)) return "domain";
  return undefined;
}

class InvalidIndicatorError extends Error {
  name = "InvalidIndicatorError";
}

/**
 * A made-up but deterministic enrichment: the same indicator always gets the same
 * verdict, score and tags, so demos and tests can rely on the answer.
 */
export const handler = async (event) => {
  const indicator = typeof event?.indicator === "string" ? event.indicator.trim() : "";
  const kind = kindOf(indicator);
  if (kind === undefined) {
    throw new InvalidIndicatorError(
      `Expected {"indicator": "<ip, domain, url or hash>"}, got ${JSON.stringify(event?.indicator ?? null)}`,
    );
  }
  const digest = createHash("sha256").update(indicator.toLowerCase()).digest();
  const score = digest[0] % 101;
  const verdict = score >= 70 ? "malicious" : score >= 40 ? "suspicious" : "harmless";
  const tags =
    verdict === "harmless" ? [] : [TAGS[digest[1] % TAGS.length], TAGS[digest[2] % TAGS.length]];
  console.log(
    `Enriched ${kind} ${indicator}: ${verdict} (score ${score}) from ${process.env.FEED_NAME}`,
  );
  return {
    indicator,
    type: kind,
    verdict,
    score,
    tags: [...new Set(tags)],
    source: process.env.FEED_NAME,
  };
};
