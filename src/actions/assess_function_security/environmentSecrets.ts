/**
 * Likely secrets in a function's environment variables, found by the variable's name
 * and by the form of its value. Only the name and the detectors that fired leave this
 * module: never the value, nor any part, length or hash of it.
 */

/** A detector over a variable's name. */
interface NameDetector {
  id: string;
  name: RegExp;
}

/** A detector over a variable's value; `value` never leaves {@link detectSecrets}. */
interface ValueDetector {
  id: string;
  /** A form specific to one kind of credential: a hit is a credential, not a guess. */
  specific: boolean;
  matches: (value: string) => boolean;
}

/** Names that say a secret is kept there (`*_TOKEN`, `*SECRET*`, `*PASSWORD*`, `*API_KEY*` …). */
const NAME_DETECTORS: readonly NameDetector[] = [
  { id: "name:token", name: /(^|_)[A-Z]*TOKENS?(_|$)/i },
  { id: "name:secret", name: /SECRET/i },
  { id: "name:password", name: /PASSWORD|PASSWD|(^|_)PWD$|PASSPHRASE/i },
  { id: "name:api_key", name: /API_?KEY/i },
  { id: "name:private_key", name: /PRIVATE_?KEY/i },
  { id: "name:access_key", name: /ACCESS_?KEY/i },
  { id: "name:credentials", name: /CREDENTIAL|(^|_)AUTH(_|$)/i },
];

/** Value forms of well-known credentials, then strings too random to be anything else. */
const VALUE_DETECTORS: readonly ValueDetector[] = [
  {
    id: "value:aws_access_key_id",
    specific: true,
    matches: (v) => /\b(AKIA|ASIA)[A-Z0-9]{16}\b/.test(v),
  },
  {
    id: "value:private_key",
    specific: true,
    matches: (v) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v),
  },
  {
    id: "value:jwt",
    specific: true,
    matches: (v) => /\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/.test(v),
  },
  {
    id: "value:token_prefix",
    specific: true,
    matches: (v) =>
      /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\w{30,}|glpat-[\w-]{20,}|xox[abposr]-[\w-]{10,}|sk_live_\w{16,}|rk_live_\w{16,}|AIza[\w-]{35}|npm_[A-Za-z0-9]{36}|SG\.[\w-]{16,}\.[\w-]{16,}|sk-[A-Za-z0-9_-]{32,})/.test(
        v,
      ),
  },
  {
    id: "value:url_with_password",
    specific: true,
    matches: (v) => /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(v),
  },
  { id: "value:high_entropy", specific: false, matches: looksRandom },
];

/** One variable that likely holds a secret: its name and what gave it away, never its value. */
export interface SecretSuspect {
  variable: string;
  detectors: string[];
  /** Whether a value form specific to a credential matched (not just its name or randomness). */
  credential_form: boolean;
}

/**
 * The variables of `variables` that likely hold secrets, sorted by name.
 *
 * @example
 * ```ts
 * detectSecrets({ GITHUB_TOKEN: "…", LOG_LEVEL: "info" });
 * // [{ variable: "GITHUB_TOKEN", detectors: ["name:token", …], credential_form: … }]
 * ```
 */
export function detectSecrets(variables: Readonly<Record<string, string>>): SecretSuspect[] {
  const suspects: SecretSuspect[] = [];
  for (const variable of Object.keys(variables).sort()) {
    const value = variables[variable] ?? "";
    const byName = NAME_DETECTORS.filter((d) => d.name.test(variable)).map((d) => d.id);
    const byValue = value === "" ? [] : VALUE_DETECTORS.filter((d) => d.matches(value));
    // A name that says "secret" over an empty value, or a reference to where the secret is
    // kept (an ARN, a parameter path), holds nothing to leak.
    const reference = /^(arn:|\/|\{\{resolve:)/.test(value);
    const detectors = [...(value === "" || reference ? [] : byName), ...byValue.map((d) => d.id)];
    if (detectors.length > 0) {
      suspects.push({
        variable,
        detectors,
        credential_form: byValue.some((d) => d.specific),
      });
    }
  }
  return suspects;
}

/**
 * A value of 20 or more characters without spaces, of mixed character classes, whose
 * Shannon entropy is at least 4 bits a character: random keys, not words, ARNs or URLs.
 */
function looksRandom(value: string): boolean {
  if (value.length < 20 || /\s/.test(value) || /^(arn:|https?:\/\/|\/)/.test(value)) {
    return false;
  }
  const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((c) => c.test(value)).length;
  return classes >= 2 && entropy(value) >= 4;
}

function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) {
    counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
