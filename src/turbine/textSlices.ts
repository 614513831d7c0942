/** UTF-16 code units in a slice of {@link textSlices} unless asked otherwise. */
export const TEXT_SLICE_CHARACTERS = 64 * 1024;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * `text` in slices of at most `size` code units (one more where a slice would end between
 * the two halves of a surrogate pair, so that each slice encodes as its characters do in
 * the whole): to encode or measure a text of megabytes without a copy of all of it.
 *
 * @example
 * ```ts
 * for (const slice of textSlices(json)) bytes += Buffer.byteLength(slice);
 * ```
 */
export function* textSlices(text: string, size = TEXT_SLICE_CHARACTERS): Generator<string> {
  for (let from = 0; from < text.length; ) {
    let to = Math.min(text.length, from + size);
    if (isHighSurrogate(text.charCodeAt(to - 1)) && isLowSurrogate(text.charCodeAt(to))) {
      to++;
    }
    yield text.slice(from, to);
    from = to;
  }
}
