import { isUtf8 } from "node:buffer";

/** Whether `byte` goes on a UTF-8 character rather than starting one. */
const isContinuation = (byte: number) => (byte & 0xc0) === 0x80;

/** The most bytes one UTF-8 character takes. */
const MAX_CHARACTER_BYTES = 4;

/**
 * Whether bytes that arrive in parts are UTF-8, checked as they pass and holding none of
 * them: each part on its own but for the characters its ends split, which are checked
 * joined (the last one so far is copied, at most 4 bytes). The answer is the one
 * {@link utf8Length} gives of all the bytes joined.
 *
 * @example
 * ```ts
 * const check = new Utf8Check();
 * check.push(Buffer.from([0x68, 0xe2, 0x82]));
 * check.push(Buffer.from([0xac]));
 * check.length(false); // 4: "h€"
 * ```
 */
export class Utf8Check {
  /** From the last character's first byte so far: later bytes may go on it. */
  private open: Buffer = Buffer.alloc(0);
  private valid = true;
  private bytes = 0;

  push(part: Uint8Array): void {
    this.bytes += part.byteLength;
    if (!this.valid || part.byteLength === 0) {
      return;
    }
    const bytes = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
    let lead = 0;
    while (
      lead < bytes.byteLength &&
      lead < MAX_CHARACTER_BYTES &&
      isContinuation(bytes[lead] ?? 0)
    ) {
      lead++;
    }
    let last = bytes.byteLength;
    while (last > lead && isContinuation(bytes[last - 1] ?? 0)) {
      last--;
    }
    if (last > lead) {
      // The part starts another character: the one open before it ends in its first bytes.
      this.valid =
        isUtf8(Buffer.concat([this.open, bytes.subarray(0, lead)])) &&
        isUtf8(bytes.subarray(lead, last - 1));
      this.open = Buffer.from(bytes.subarray(last - 1));
    } else {
      this.open = Buffer.concat([this.open, bytes]);
    }
    if (this.open.byteLength > MAX_CHARACTER_BYTES) {
      this.valid = false;
    }
  }

  /**
   * How many of the bytes are UTF-8 text, or undefined when they are not UTF-8. When the
   * bytes were `cut`, the character the cut split (its first 1 to 3 bytes) is left out.
   */
  length(cut: boolean): number | undefined {
    const kept = this.valid ? utf8Length(this.open, cut) : undefined;
    return kept === undefined ? undefined : this.bytes - (this.open.byteLength - kept);
  }
}

/**
 * How many of the bytes are UTF-8 text, or undefined when they are not UTF-8. A cut can
 * split one character of up to 4 bytes: its first 1 to 3 bytes are then left out.
 *
 * @example
 * ```ts
 * utf8Length(Buffer.from([0x68, 0xe2, 0x82]), true); // 1: the cut split "€"
 * ```
 */
export function utf8Length(bytes: Buffer, cut: boolean): number | undefined {
  for (let drop = 0; drop <= (cut ? 3 : 0) && drop <= bytes.byteLength; drop++) {
    const end = bytes.byteLength - drop;
    if ((drop === 0 || isSplitCharacter(bytes.subarray(end))) && isUtf8(bytes.subarray(0, end))) {
      return end;
    }
  }
  return undefined;
}

/** The first bytes of characters of more than one byte: from, to, and the length. */
const SPLIT_LEADS: readonly (readonly [number, number, number])[] = [
  [0xc2, 0xdf, 2],
  [0xe0, 0xef, 3],
  [0xf0, 0xf4, 4],
];

/** Whether `bytes` are the start of a character of more bytes than they are. */
function isSplitCharacter(bytes: Buffer): boolean {
  const first = bytes[0] ?? 0;
  const length = SPLIT_LEADS.find(([low, high]) => first >= low && first <= high)?.[2] ?? 0;
  return bytes.byteLength < length && bytes.subarray(1).every(isContinuation);
}
