import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonBytes, jsonStringBytes } from "../../../src/turbine/recordLimit.js";
import { TEXT_SLICE_CHARACTERS, textSlices } from "../../../src/turbine/textSlices.js";

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

describe("textSlices", () => {
  it("cuts a text into slices of the size asked, never between the halves of a pair", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "😀", "\ud800", "\udc00", "€"), maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        (text, size) => {
          const slices = [...textSlices(text, size)];

          expect(slices.join("")).toBe(text);
          for (const [i, slice] of slices.entries()) {
            expect(slice.length).toBeLessThanOrEqual(size + 1);
            const next = slices[i + 1];
            if (next !== undefined) {
              expect(isHigh(slice.charCodeAt(slice.length - 1)) && isLow(next.charCodeAt(0))).toBe(
                false,
              );
            }
          }
        },
      ),
    );
  });
});

describe("jsonStringBytes", () => {
  it("says what jsonBytes says of any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        expect(jsonStringBytes(text)).toBe(jsonBytes(text));
      }),
    );
  });

  it("counts a text of many slices, with escapes and a pair where a slice ends", () => {
    // A surrogate pair across the first slice's end, quotes, newlines and a lone surrogate.
    const text = `${"x".repeat(TEXT_SLICE_CHARACTERS - 1)}😀"\n${"\u0001é".repeat(50_000)}\ud800`;

    expect(jsonStringBytes(text)).toBe(jsonBytes(text));
  });
});
