import { closest, distance } from "fastest-levenshtein";

/**
 * The candidate `word` was most likely meant to be, for a "did you mean" hint: the
 * closest by edit distance, when it is close enough to be a typo (at most a third of
 * the word's length, and at least 1) rather than another word.
 *
 * @example
 * ```ts
 * suggest("invoke_functon", ["invoke_function", "list_functions"]); // "invoke_function"
 * ```
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (word === "" || candidates.length === 0 || word.length > MAX_WORD_LENGTH) {
    return undefined;
  }
  const best = closest(word, [...candidates]);
  const allowed = Math.max(1, Math.floor(word.length / 3));
  return distance(word, best) <= allowed ? best : undefined;
}

/** Longer words are not typos of a field or action name, and cost time to compare. */
const MAX_WORD_LENGTH = 128;
