/** Patterns compiled so far: policies are few and evaluated on every call, so each is compiled once. */
const compiled = new Map<string, RegExp>();
/** Past this many patterns (tests that generate them), the cache starts over. */
const MAX_COMPILED = 10_000;

function toRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? "i" : "-"}${pattern}`;
  let regExp = compiled.get(key);
  if (regExp === undefined) {
    if (compiled.size >= MAX_COMPILED) {
      compiled.clear();
    }
    regExp = compile(pattern, ignoreCase);
    compiled.set(key, regExp);
  }
  return regExp;
}

function compile(pattern: string, ignoreCase: boolean): RegExp {
  const body = Array.from(pattern, (char) => {
    if (char === "*") return ".*";
    if (char === "?") return ".";
    return char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }).join("");
  return new RegExp(`^${body}$`, ignoreCase ? "i" : "");
}

/**
 * Whether `value` matches an IAM-style pattern, where `*` stands for any run of
 * characters (colons included) and `?` for one character.
 *
 * @example
 * ```ts
 * matchesWildcard("arn:aws:lambda:*:123456789012:function:echo:*", "arn:aws:lambda:us-east-1:123456789012:function:echo:live"); // true
 * ```
 */
export function matchesWildcard(pattern: string, value: string, ignoreCase = false): boolean {
  return toRegExp(pattern, ignoreCase).test(value);
}
