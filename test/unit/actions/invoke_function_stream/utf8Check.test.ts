import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Utf8Check, utf8Length } from "../../../../src/actions/invoke_function_stream/utf8Check.js";

/** `bytes` cut at `cuts` (positions, any order, may repeat). */
function split(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const at = [
    0,
    ...[...new Set(cuts.map((cut) => cut % (bytes.byteLength + 1)))].sort((a, b) => a - b),
    bytes.byteLength,
  ];
  return at.slice(1).map((end, i) => bytes.subarray(at[i], end));
}

function checked(parts: readonly Uint8Array[], cut: boolean): number | undefined {
  const check = new Utf8Check();
  for (const part of parts) {
    check.push(part);
  }
  return check.length(cut);
}

/** Text bytes, now and then with a byte that is not UTF-8, and cut anywhere. */
const bytesArbitrary = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }).map((text) => Buffer.from(text, "utf8")),
  fc
    .tuple(fc.string({ unit: "grapheme", maxLength: 20 }), fc.uint8Array({ maxLength: 4 }))
    .map(([text, noise]) => Buffer.concat([Buffer.from(text, "utf8"), noise])),
  fc
    .tuple(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }), fc.nat())
    .map(([text, drop]) => {
      const bytes = Buffer.from(text, "utf8");
      return bytes.subarray(0, bytes.byteLength - (drop % Math.min(4, bytes.byteLength)));
    }),
);

describe("Utf8Check", () => {
  it("says what utf8Length says of the bytes joined, however they are split", () => {
    fc.assert(
      fc.property(
        bytesArbitrary,
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        (bytes, cuts, cut) => {
          expect(checked(split(bytes, cuts), cut)).toBe(utf8Length(bytes, cut));
        },
      ),
    );
  });

  it("keeps no view of the parts it checked", () => {
    const part = Buffer.from("a€", "utf8");

    const check = new Utf8Check();
    check.push(part.subarray(0, 3));
    part.fill(0xff);

    expect(check.length(true)).toBe(1);
  });

  it.each([
    ["a character split by the cut", [0x68, 0xe2, 0x82], true, 1],
    ["the same bytes not cut", [0x68, 0xe2, 0x82], false, undefined],
    ["a byte that starts no character", [0x68, 0xff], true, undefined],
    ["continuation bytes with nothing before them", [0x82, 0x82], true, undefined],
    ["only the start of a character", [0xf0, 0x9f, 0x98], true, 0],
    ["nothing", [], false, 0],
  ])("utf8Length of %s", (_, bytes, cut, length) => {
    expect(utf8Length(Buffer.from(bytes), cut)).toBe(length);
  });
});
