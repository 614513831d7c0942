function toRegExp(pattern: string, ignoreCase: boolean): RegExp {
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
