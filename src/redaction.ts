/**
 * The one place that keeps secrets out of what the connector prints. Messages are
 * built to leave secret values out in the first place; this module is the second
 * guard, applied to every error line, and the only code that masks URL passwords.
 */

/** What a masked secret is replaced with. */
export const MASK = "***";

/**
 * `scheme://user:password@` in any text: the password is masked whoever wrote it. A match
 * starts at `://` and looks back for the scheme, and neither the user nor the password
 * may hold a `/`, so each character is read a bounded number of times: linear in the
 * text. (Starting at the scheme made a long run of letters quadratic: a 1 MB message
 * took minutes.)
 */
const URL_PASSWORD = /(:\/\/[^\s:/@]*:)(?<=[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;

/** The same at the very end of clipped text, where the `@` was cut off. */
const CUT_URL_PASSWORD = /(:\/\/[^\s:/@]*:)(?<=[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+$/i;

/** Longest message or hint printed; a foreign message can be arbitrarily long. */
export const MAX_TEXT_LENGTH = 4000;

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
 * The `user:password` of a URL, decoded, as a proxy sends it base64-encoded in
 * `Proxy-Authorization: Basic`; nothing when the URL has no password.
 *
 * @example
 * ```ts
 * basicCredentials("http://bob:p%40ss@proxy:3128"); // ["bob:p@ss"]
 * ```
 */
export function basicCredentials(url: unknown): string[] {
  if (typeof url !== "string" || !URL.canParse(url)) {
    return [];
  }
  const { username, password } = new URL(url);
  if (password === "") {
    return [];
  }
  try {
    return [`${decodeURIComponent(username)}:${decodeURIComponent(password)}`];
  } catch {
    return [`${username}:${password}`];
  }
}

/**
 * Every form in which `secret` may appear in printed text: as given, JSON-escaped
 * (inside a quoted JSON string), percent-encoded (inside a URL) and base64-encoded (a
 * Basic authorization header, a log tail): on its own, and the part of it that does
 * not depend on where it starts inside a longer base64 text.
 */
function formsOf(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1)];
  try {
    forms.push(encodeURIComponent(secret));
  } catch {
    // A lone surrogate cannot be percent-encoded, so it cannot appear encoded either.
  }
  forms.push(...base64FormsOf(secret));
  return [...new Set(forms)];
}

/**
 * The base64 of `secret` alone, and for each of the three byte offsets it can start at
 * inside longer data, the characters that encode only its own bytes: the first and
 * last group of four may mix in neighbouring bytes, so they are left out.
 */
function base64FormsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const forms = [bytes.toString("base64")];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const whole = Math.floor((offset + bytes.length) / 3) * 4;
    const core = encoded.slice(offset === 0 ? 0 : 4, whole);
    if (core.length >= 8) {
      forms.push(core);
    }
  }
  return forms;
}

/**
 * `text` with each secret and the password of any URL in it replaced by `***`. With
 * `maxLength`, the text is clipped to about that many characters first, so that masking
 * costs the same for a 6 MB message as for a short one; the cut never falls inside a
 * secret, so no part of one is left showing.
 *
 * @example
 * ```ts
 * maskSecrets("bad key wJalrXUtnFEMI", ["wJalrXUtnFEMI"]); // "bad key ***"
 * maskSecrets(hugeMessage, secrets, 4000); // "…… (5995904 more characters)"
 * ```
 */
export function maskSecrets(text: string, secrets: readonly string[], maxLength?: number): string {
  const forms = secrets
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    .flatMap(formsOf)
    // Longest first, so a secret that contains another is masked whole.
    .sort((a, b) => b.length - a.length);
  const cut = maxLength === undefined ? text.length : safeCut(text, forms, maxLength);
  let masked = text.slice(0, cut).replace(URL_PASSWORD, `$1${MASK}@`);
  if (cut < text.length) {
    masked = masked.replace(CUT_URL_PASSWORD, `$1${MASK}`);
  }
  for (const form of forms) {
    masked = masked.replaceAll(form, MASK);
  }
  return cut < text.length ? `${masked}… (${text.length - cut} more characters)` : masked;
}

/**
 * Where to clip `text` to at most `maxLength` characters: before any secret form that
 * the cut would split. Each check reads only the few characters around the cut.
 */
function safeCut(text: string, forms: readonly string[], maxLength: number): number {
  if (text.length <= maxLength) {
    return text.length;
  }
  let cut = maxLength;
  let moved = true;
  while (moved) {
    moved = false;
    for (const form of forms) {
      const from = Math.max(0, cut - form.length + 1);
      const at = text.slice(from, cut + form.length - 1).indexOf(form);
      if (at !== -1 && from + at < cut) {
        cut = from + at;
        moved = true;
      }
    }
  }
  return cut;
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
  const secrets = PROXY_VARIABLES.flatMap((name) => [
    ...urlPasswords(env[name]),
    ...basicCredentials(env[name]),
  ]);
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

/** The inputs whose values are environment variables: secrets wherever they would be printed. */
const ENVIRONMENT_INPUTS = ["environment", "environment_set"];

/**
 * The environment variable values a raw input document gives (create_function's
 * `environment`, update_function_configuration's `environment_set`), in its explicit
 * `{ asset, inputs }` form or flat: secrets, masked in whatever a failure prints.
 *
 * @example
 * ```ts
 * environmentValuesIn({ inputs: { environment_set: { API_TOKEN: "ghp_…" } } }); // ["ghp_…"]
 * ```
 */
export function environmentValuesIn(document: unknown): string[] {
  if (typeof document !== "object" || document === null) {
    return [];
  }
  const record = document as Record<string, unknown>;
  const sources = [record, record.inputs];
  return sources.flatMap((source) =>
    typeof source === "object" && source !== null
      ? ENVIRONMENT_INPUTS.flatMap((name) => {
          const variables = (source as Record<string, unknown>)[name];
          return typeof variables === "object" && variables !== null
            ? Object.values(variables).filter((value): value is string => typeof value === "string")
            : [];
        })
      : [],
  );
}

/**
 * The part of a raw document that {@link secretsIn} and {@link environmentValuesIn}
 * read, and nothing else: the string values of `assetKeys` (every field that may be
 * secret is one), flat or under `asset`, and the environment inputs, flat or under
 * `inputs`. Both find the same secrets in it as in the document, so a run can keep it
 * for a failure's line instead of the document and its payload (up to 6 MB).
 *
 * @example
 * ```ts
 * const kept = secretSourcesOf(document, ASSET_FIELD_NAMES);
 * secretsIn(kept, secretAssetKeys(), env); // what secretsIn(document, …) finds
 * ```
 */
export function secretSourcesOf(
  document: unknown,
  assetKeys: readonly string[],
): Record<string, unknown> | undefined {
  if (typeof document !== "object" || document === null) {
    return undefined;
  }
  const record = document as Record<string, unknown>;
  const pick = (source: unknown, keys: readonly string[], keep: (value: unknown) => boolean) => {
    if (typeof source !== "object" || source === null) {
      return undefined;
    }
    const values = source as Record<string, unknown>;
    return Object.fromEntries(
      keys
        .filter((key) => Object.hasOwn(values, key) && keep(values[key]))
        .map((key) => [key, values[key]]),
    );
  };
  const isString = (value: unknown) => typeof value === "string";
  const isObject = (value: unknown) => typeof value === "object" && value !== null;
  return {
    ...pick(record, assetKeys, isString),
    ...pick(record, ENVIRONMENT_INPUTS, isObject),
    asset: pick(record.asset, assetKeys, isString),
    inputs: pick(record.inputs, ENVIRONMENT_INPUTS, isObject),
  };
}

/** Schemes of URL-valued secrets (proxy URLs), whose only secret part is the password. */
const URL_SECRET = /^(https?|socks[45]?h?a?):\/\//i;

/**
 * The parts of a secret field's value to mask: the whole value, except for a URL
 * (the proxy), whose host stays readable in messages and only the password is secret.
 */
function secretPartsOf(value: string): string[] {
  return URL_SECRET.test(value) && URL.canParse(value)
    ? [...urlPasswords(value), ...basicCredentials(value)]
    : [value];
}
