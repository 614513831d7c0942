/**
 * Looks for secrets in text and errors: in the forms printed text can hold them (as
 * given, JSON-escaped, percent-encoded), and through an error's whole cause chain. The
 * property tests check each run with it; `test/setup.ts` runs it over everything the
 * suite produces (see {@link SuiteSecretScan}). A hit names the secret and the form,
 * never the value, so that reporting a leak does not leak it again.
 */

/** A secret to look for, by a name that can be printed in its place. */
export interface NamedSecret {
  name: string;
  value: string;
}

/** The forms a secret takes in printed text. */
export type SecretForm = "raw" | "json-escaped" | "percent-encoded";

/** One secret found somewhere. */
export interface SecretHit {
  /** The secret's name, never its value. */
  secret: string;
  form: SecretForm;
  /** Where it was found, e.g. `runConnector stderr` or `console.error`. */
  channel: string;
}

/** Secrets shorter than this are not looked for: they would match ordinary text. */
export const MIN_SCANNED_LENGTH = 6;

/**
 * The distinct forms of `value` in printed text: as given, inside a JSON string, and in
 * a URL or form body.
 *
 * @example
 * ```ts
 * secretForms('a"b/c'); // [["raw", 'a"b/c'], ["json-escaped", 'a\\"b/c'], ["percent-encoded", "a%22b%2Fc"]]
 * ```
 */
export function secretForms(value: string): Array<[SecretForm, string]> {
  const forms: Array<[SecretForm, string]> = [
    ["raw", value],
    ["json-escaped", JSON.stringify(value).slice(1, -1)],
  ];
  try {
    forms.push(["percent-encoded", encodeURIComponent(value)]);
  } catch {
    // A lone surrogate has no UTF-8, so the value has no percent-encoded form.
  }
  return forms.filter(([, text], index) => forms.findIndex(([, t]) => t === text) === index);
}

/** Compiled forms of a set of secrets, ready to search text for. */
export class SecretMatcher {
  private readonly forms: Array<{ secret: string; form: SecretForm; text: string }>;
  /** Length of the longest form: how much of a stream's tail to keep between chunks. */
  readonly longest: number;

  constructor(secrets: readonly NamedSecret[]) {
    this.forms = secrets
      .filter((secret) => secret.value.length >= MIN_SCANNED_LENGTH)
      .flatMap((secret) =>
        secretForms(secret.value).map(([form, text]) => ({ secret: secret.name, form, text })),
      );
    this.longest = Math.max(0, ...this.forms.map((form) => form.text.length));
  }

  /** Every secret form that `text` holds, as hits on `channel`. */
  find(text: string, channel: string): SecretHit[] {
    if (text.length === 0) {
      return [];
    }
    return this.forms
      .filter((form) => text.includes(form.text))
      .map(({ secret, form }) => ({ secret, form, channel }));
  }
}

/**
 * The links of an error's cause chain, `error` first: every `cause`, and the `errors` of
 * an AggregateError, each once.
 */
export function causeChain(error: unknown, maxLinks = 50): unknown[] {
  const links: unknown[] = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && links.length < maxLinks) {
    const link = pending.shift();
    if (link === undefined || link === null || links.includes(link)) {
      continue;
    }
    links.push(link);
    if (typeof link === "object") {
      const { cause, errors } = link as { cause?: unknown; errors?: unknown };
      pending.push(cause);
      if (Array.isArray(errors)) {
        pending.push(...errors);
      }
    }
  }
  return links;
}

/**
 * The text of one link of a cause chain: an error's name, message and hint (the
 * connector's errors carry one), or a plain value as text.
 */
export function linkText(link: unknown): string {
  if (typeof link === "string") {
    return link;
  }
  if (typeof link !== "object" || link === null) {
    return String(link);
  }
  const { name, message, hint } = link as { name?: unknown; message?: unknown; hint?: unknown };
  const texts = [name, message, hint].filter((part): part is string => typeof part === "string");
  if (texts.length > 0) {
    return texts.join("\n");
  }
  try {
    return JSON.stringify(link) ?? "";
  } catch {
    return String(link);
  }
}

/** Where test code lives; anything else (src/, node_modules, Node itself) is code under test. */
const TEST_FRAME = /[/\\]test[/\\][^\s)]*\.ts/;

/**
 * Whether test code built this error: the first stack frame that is not a constructor
 * (`at new X`) lies in `test/`. A foreign error a test crafts to carry a secret into the
 * connector (to check that the connector masks it) is the test's input, not output.
 */
export function builtByTest(error: unknown): boolean {
  if (!(error instanceof Error) || typeof error.stack !== "string") {
    return false;
  }
  const frames = error.stack
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("at "));
  const site = frames.find((frame) => !frame.startsWith("at new "));
  return site !== undefined && TEST_FRAME.test(site);
}

/** A secret was found in what the suite produced. */
export class SecretLeakError extends Error {
  override readonly name = "SecretLeakError";
  readonly hits: readonly SecretHit[];

  constructor(where: string, hits: readonly SecretHit[]) {
    const listed = [...new Set(hits.map((h) => `${h.secret} (${h.form}) in ${h.channel}`))];
    super(
      `Secret scan: ${where} produced ${hits.length} secret(s): ${listed.slice(0, 10).join("; ")}${listed.length > 10 ? `; and ${listed.length - 10} more` : ""}. No test output, error message or cause chain may hold a test secret.`,
    );
    this.hits = hits;
  }
}

/**
 * The suite-wide scan: hooks in `test/setup.ts` feed it everything a test produces, and
 * `afterEach` fails the test whose output held a secret. Hits are kept, not thrown, where
 * they are found: a hook must never change what the code under test sees.
 *
 * @example
 * ```ts
 * const scan = new SuiteSecretScan([{ name: "SECRET", value: "wJalrXUtnFEMI/K7MDENG" }]);
 * scan.scanText("console.error", "key wJalrXUtnFEMI/K7MDENG");
 * scan.takeHits(); // [{ secret: "SECRET", form: "raw", channel: "console.error" }]
 * ```
 */
export class SuiteSecretScan {
  readonly matcher: SecretMatcher;
  private hits: SecretHit[] = [];
  /** How much was looked at, by channel: for the self-test and for honest reporting. */
  readonly scanned = new Map<string, number>();

  constructor(secrets: readonly NamedSecret[]) {
    this.matcher = new SecretMatcher(secrets);
  }

  /** Looks for secrets in `text`, produced on `channel`. */
  scanText(channel: string, text: string): void {
    this.count(channel);
    this.hits.push(...this.matcher.find(text, channel));
  }

  /**
   * Looks for secrets in an error and its whole cause chain, and in `texts` made from it
   * (its error line). A link that test code built (see {@link builtByTest}) is the test's
   * input: a secret it carries may travel up the chain (the connector's own error quotes
   * the foreign one) without counting, since only printing it would leak it, and what is
   * printed is scanned on its own channels. Every other secret counts, in every link.
   */
  scanError(channel: string, error: unknown, texts: ReadonlyArray<[string, string]> = []): void {
    this.count(channel);
    const found: SecretHit[] = [];
    const fedByTest = new Set<string>();
    for (const link of causeChain(error)) {
      const hits = this.matcher.find(linkText(link), channel);
      // Reading `stack` is slow: only a link that holds a secret is asked where it was built.
      if (hits.length > 0 && builtByTest(link)) {
        for (const hit of hits) {
          fedByTest.add(hit.secret);
        }
      } else {
        found.push(...hits);
      }
    }
    for (const [textChannel, text] of texts) {
      found.push(...this.matcher.find(text, textChannel));
    }
    this.hits.push(...found.filter((hit) => !fedByTest.has(hit.secret)));
  }

  /**
   * A sink for a stream's chunks (text or bytes). It keeps the tail of what it saw, so a
   * secret split across two chunks is still found.
   */
  streamSink(channel: string): (chunk: unknown) => void {
    let tail = "";
    return (chunk) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString();
      const window = tail + text;
      this.count(channel);
      for (const hit of this.matcher.find(window, channel)) {
        if (!this.hits.some((h) => h.secret === hit.secret && h.channel === channel)) {
          this.hits.push(hit);
        }
      }
      tail = window.slice(-Math.max(0, this.matcher.longest - 1));
    };
  }

  /** The hits found since the last call, cleared. */
  takeHits(): SecretHit[] {
    const hits = this.hits;
    this.hits = [];
    return hits;
  }

  /** Throws a {@link SecretLeakError} for the hits found since the last call, if any. */
  assertClean(where: string): void {
    const hits = this.takeHits();
    if (hits.length > 0) {
      throw new SecretLeakError(where, hits);
    }
  }

  private count(channel: string): void {
    this.scanned.set(channel, (this.scanned.get(channel) ?? 0) + 1);
  }
}
