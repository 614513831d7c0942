/**
 * The one place that keeps secrets out of what the connector prints. Messages are
 * built to leave secret values out in the first place; this module is the second
 * guard, applied to every error line, and the only code that masks URL passwords.
 */

/** What a masked secret is replaced with. */
export const MASK = "***";

/** `scheme://user:password@` in any text: the password is masked whoever wrote it. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;

/** Secrets shorter than this are not searched for: masking "ab" everywhere would garble text. */
const MIN_SECRET_LENGTH = 4;

/**
 * A URL with its password replaced by `***`, safe to print.
 *
 * @example
 * ```ts
 * redactUrl("http://alice:s3cret@proxy:3128"); // "http://alice:***@proxy:3128"
 * ```
 */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) {
    return "(unparseable URL)";
  }
  const parsed = new URL(url);
  if (parsed.password !== "") {
    parsed.password = MASK;
  }
  return parsed.toString().replace(/\/$/, "");
}

/**
 * The password of a URL, as written and percent-decoded, or nothing when the value is
 * not a URL with a password. A proxy password can reach a foreign message in either form.
 *
 * @example
 * ```ts
 * urlPasswords("http://bob:p%40ss@proxy:3128"); // ["p%40ss", "p@ss"]
 * ```
 */
export function urlPasswords(url: unknown): string[] {
  if (typeof url !== "string" || !URL.canParse(url)) {
    return [];
  }
  const { password } = new URL(url);
  if (password === "") {
    return [];
  }
  try {
    return [password, decodeURIComponent(password)];
  } catch {
    return [password];
  }
}

/**
 * Every form in which `secret` may appear in printed text: as given, JSON-escaped
 * (inside a quoted JSON string) and percent-encoded (inside a URL).
 */
function formsOf(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1)];
  try {
    forms.push(encodeURIComponent(secret));
  } catch {
    // A lone surrogate cannot be percent-encoded, so it cannot appear encoded either.
  }
  return [...new Set(forms)];
}

/**
 * `text` with each secret and the password of any URL in it replaced by `***`.
 *
 * @example
 * ```ts
 * maskSecrets("bad key wJalrXUtnFEMI", ["wJalrXUtnFEMI"]); // "bad key ***"
 * ```
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text.replace(URL_PASSWORD, `$1${MASK}@`);
  const forms = secrets
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    .flatMap(formsOf)
    // Longest first, so a secret that contains another is masked whole.
    .sort((a, b) => b.length - a.length);
  for (const form of forms) {
    masked = masked.replaceAll(form, MASK);
  }
  return masked;
}

/** Environment variables whose proxy URLs may carry a password into a foreign message. */
export const PROXY_VARIABLES = [
  "HTTPS_PROXY",
  "HTTP_PROXY",
  "ALL_PROXY",
  "https_proxy",
  "http_proxy",
  "all_proxy",
] as const;

/**
 * Every secret value that a raw input document and the proxy environment hold, whatever
 * form the document came in and whether or not it validated.
 *
 * @example
 * ```ts
 * secretsIn({ asset: { secret_key: "wJalr…" } }, ["secret_key"], process.env); // ["wJalr…"]
 * ```
 */
export function secretsIn(
  document: unknown,
  secretKeys: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const secrets = PROXY_VARIABLES.flatMap((name) => urlPasswords(env[name]));
  if (typeof document !== "object" || document === null) {
    return secrets;
  }
  const record = document as Record<string, unknown>;
  const nested = record.asset;
  const sources = [record];
  if (typeof nested === "object" && nested !== null) {
    sources.push(nested as Record<string, unknown>);
  }
  for (const source of sources) {
    for (const key of secretKeys) {
      const value = source[key];
      if (typeof value === "string") {
        secrets.push(...secretPartsOf(value));
      }
    }
  }
  return secrets;
}

/** Schemes of URL-valued secrets (proxy URLs), whose only secret part is the password. */
const URL_SECRET = /^(https?|socks[45]?h?a?):\/\//i;

/**
 * The parts of a secret field's value to mask: the whole value, except for a URL
 * (the proxy), whose host stays readable in messages and only the password is secret.
 */
function secretPartsOf(value: string): string[] {
  return URL_SECRET.test(value) && URL.canParse(value) ? urlPasswords(value) : [value];
}
