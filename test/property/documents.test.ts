/**
 * Property tests of whole documents, for any action: empty and non-JSON standard input,
 * JSON that is no object, the two forms mixed, prototype keys and numbers past the
 * double range at the top, duplicate keys, nesting deeper than any stack, very many
 * keys, odd ASSET_KEYS, unknown action names. And, through the built entry, bytes that
 * are not UTF-8 and input over the size limit, which only the process ever sees.
 */
import { existsSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRY_PATH } from "../../scripts/lib/runEntryProcess.js";
import { ACTION_NAMES } from "../../src/actions/actionList.js";
import { ASSET_FIELD_NAMES } from "../../src/asset/schema.js";
import { MAX_DOCUMENT_BYTES } from "../../src/turbine/contract.js";
import { type GeneratedAsset, validAsset } from "../support/assetArbitraries.js";
import { FAKE_ANSWERS } from "../support/fakeAwsEndpoint.js";
import { nastyText, rawNumber } from "../support/hostileValues.js";
import { RawJson, toJsonText, withOwnKey } from "../support/jsonText.js";
import { checkRun, RunTally } from "../support/runContract.js";
import { runEntryBytes } from "../support/runEntryBytes.js";
import {
  assetKeysVariant,
  type DocumentRun,
  ENVIRONMENT_SECRETS,
  entryEnvironment,
  platformEnvironment,
  propertySettings,
  runDocument,
  type TurbineWorld,
  timeoutFor,
  useTurbineWorld,
} from "./turbineRuns.js";

/** Action names that are not actions: case, spacing, prototype names, paths, control characters. */
const unknownAction: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constantFrom(
    undefined,
    "",
    "INVOKE_FUNCTION",
    "invoke_function ",
    " invoke_function",
    "invoke-function",
    "__proto__",
    "constructor",
    "toString",
    "hasOwnProperty",
    "../../etc/passwd",
    "invoke_function\u0000",
  ),
  nastyText,
);

/** Standard input that is empty, or only whitespace (and a byte-order mark). */
const emptyText = fc.constantFrom("", " ", "\n", "\r\n\t ", "\ufeff", "\ufeff\n");

/** Text that is not JSON, often nearly so. */
function notJson(asset: GeneratedAsset): fc.Arbitrary<string> {
  const valid = JSON.stringify({ ...asset.fields, function_name: "enrich-indicator" });
  return fc.oneof(
    fc.constantFrom(
      "{",
      "[",
      "NaN",
      "undefined",
      "{'region_name': 'us-east-1'}",
      '{"region_name": "us-east-1",}',
      "{}{}",
      '{"a": 1} trailing',
      "// comment\n{}",
      "\u0000{}",
      '{"a": "\u0001"}',
      '{"a": "\\x41"}',
      '{"a": 01}',
      '{"a": .5}',
      '{"a": +1}',
      '{"a": Infinity}',
    ),
    fc.integer({ min: 1, max: Math.max(1, valid.length - 1) }).map((cut) => valid.slice(0, cut)),
    fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
  );
}

/** JSON that parses, but to no object: scalars, arrays, numbers past the double range, deep arrays. */
const notAnObject: fc.Arbitrary<string> = fc.oneof(
  fc
    .jsonValue({ maxDepth: 2 })
    .filter((v) => typeof v !== "object" || v === null || Array.isArray(v))
    .map((v) => JSON.stringify(v)),
  rawNumber.map((raw) => raw.text),
  fc
    .integer({ min: 1_000, max: 50_000 })
    .map((depth) => `${"[".repeat(depth)}${"]".repeat(depth)}`),
);

/** Documents in the wrong shape or with hostile tops, each built around a valid asset (with its secrets). */
function hostileDocument(asset: GeneratedAsset): fc.Arbitrary<{ kind: string; value: unknown }> {
  const inputs = { function_name: "enrich-indicator" };
  const flat = { ...asset.fields, ...inputs };
  const secretKey = asset.fields.secret_key;
  return fc.oneof(
    fc.constant({ kind: "mixed forms", value: { asset: asset.fields, ...inputs } }),
    fc.constant({ kind: "mixed forms", value: { asset: asset.fields, inputs, extra: 1 } }),
    fc.constant({ kind: "explicit, asset only", value: { asset: asset.fields } }),
    fc.constant({ kind: "explicit, inputs only", value: { inputs } }),
    fc
      .constantFrom<unknown>(5, "x", [], null, true, [asset.fields])
      .chain((bad) =>
        fc.constantFrom(
          { kind: "explicit, asset not an object", value: { asset: bad, inputs } },
          { kind: "explicit, inputs not an object", value: { asset: asset.fields, inputs: bad } },
        ),
      ),
    fc.constant({
      kind: "__proto__ at the top",
      value: withOwnKey({ ...inputs }, "__proto__", asset.fields),
    }),
    fc.constant({
      kind: "__proto__ inside the asset",
      value: { asset: withOwnKey({ ...asset.fields }, "__proto__", { polluted: true }), inputs },
    }),
    rawNumber.map((raw) => ({
      kind: `number ${raw.label} at the top`,
      value: { ...flat, n: raw },
    })),
    rawNumber.map((raw) => ({
      kind: `number ${raw.label} as an asset field`,
      value: { ...flat, session_duration: raw },
    })),
    fc.integer({ min: 1_000, max: 50_000 }).map((depth) => ({
      kind: `${depth} levels deep`,
      value: { ...flat, payload: new RawJson(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`) },
    })),
    fc.integer({ min: 1_000, max: 100_000 }).map((count) => ({
      kind: `${count} unknown keys`,
      value: {
        ...flat,
        ...Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i])),
      },
    })),
    fc.constant({
      // JSON.parse keeps the last of duplicate keys: the first secret must leak nowhere either.
      kind: "duplicate keys",
      value: new RawJson(
        `{"secret_key":${JSON.stringify(`first-${String(secretKey)}`)},${JSON.stringify(flat).slice(1)}`,
      ),
    }),
  );
}

interface DocumentCase {
  kind: string;
  action: string | undefined;
  text: string;
  assetKeys: string | undefined;
  asset: GeneratedAsset;
  answer: (typeof FAKE_ANSWERS)[number];
}

function documentCase(world: TurbineWorld): fc.Arbitrary<DocumentCase> {
  return validAsset(world.targets).chain((asset) =>
    fc
      .record({
        action: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom(...ACTION_NAMES) },
          { weight: 1, arbitrary: unknownAction },
        ),
        body: fc.oneof(
          emptyText.map((text) => ({ kind: "empty", text })),
          notJson(asset).map((text) => ({ kind: "not JSON", text })),
          notAnObject.map((text) => ({ kind: "not an object", text })),
          {
            weight: 4,
            arbitrary: hostileDocument(asset).map(({ kind, value }) => ({
              kind,
              text: toJsonText(value),
            })),
          },
        ),
        assetKeys: assetKeysVariant(asset.fields, ASSET_FIELD_NAMES),
        asset: fc.constant(asset),
        answer: fc.constantFrom(...FAKE_ANSWERS),
      })
      .map(({ body, ...rest }) => ({ ...rest, kind: body.kind, text: body.text })),
  );
}

/** Byte sequences that are not UTF-8: bad lead bytes, stray continuations, overlongs, surrogates, truncations. */
const INVALID_UTF8: ReadonlyArray<readonly number[]> = [
  [0xff],
  [0xfe, 0xff],
  [0x80],
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
];

describe("any whole document, for any action", () => {
  const world = useTurbineWorld();
  const { runs, seed } = propertySettings();
  const tally = new RunTally();
  const entryTally = new RunTally();

  afterAll(() => {
    process.stderr.write(
      `${tally.summary(`property whole documents: ${runs * 2} documents, seed ${seed}`)}; calls bound off 127.0.0.1 ${world().guard.escapes.length}\n`,
    );
    process.stderr.write(`${entryTally.summary("property entry process bytes")}\n`);
    expect(world().guard.escapes).toEqual([]);
  });

  it(
    "never crashes, names a field unless the whole document is wrong, leaks no secret and keeps the output contract",
    async () => {
      await fc.assert(
        fc.asyncProperty(documentCase(world()), async (testCase) => {
          world().aws.answer = testCase.answer;
          const env = platformEnvironment(world());
          if (testCase.assetKeys !== undefined) {
            env.ASSET_KEYS = testCase.assetKeys;
          }
          const run: DocumentRun = {
            action: testCase.action,
            text: testCase.text,
            env,
            secrets: [
              ...testCase.asset.secrets,
              ...testCase.asset.secrets.map((s) => ({
                name: `${s.name} (first duplicate)`,
                value: `first-${s.value}`,
              })),
            ],
          };
          await runDocument(run, world(), tally, `${String(testCase.action)}, ${testCase.kind}`);
        }),
        { numRuns: runs * 2, seed },
      );

      expect(tally.violations.map((v) => `${v.property}: ${v.detail}\n  ${v.example}`)).toEqual([]);
      expect(tally.runs).toBe(runs * 2);
    },
    timeoutFor(runs * 2),
  );

  describe("through the built entry, as bytes", () => {
    beforeAll(() => {
      if (!existsSync(ENTRY_PATH)) {
        throw new Error(`${ENTRY_PATH} is missing: run \`npm run build\` first`);
      }
    });

    it("refuses standard input that is not UTF-8, wherever the bad bytes are, and leaks nothing", async () => {
      const byteCase = fc.record({
        asset: validAsset(world().targets),
        bad: fc.constantFrom(...INVALID_UTF8),
        at: fc.double({ min: 0, max: 1, noNaN: true }),
        action: fc.constantFrom(...ACTION_NAMES),
      });
      await fc.assert(
        fc.asyncProperty(byteCase, async ({ asset, bad, at, action }) => {
          const text = JSON.stringify({ ...asset.fields, function_name: "enrich-indicator" });
          const bytes = Buffer.from(text, "utf8");
          const cut = Math.floor(at * bytes.length);
          const hostile = Buffer.concat([
            bytes.subarray(0, cut),
            Buffer.from(bad),
            bytes.subarray(cut),
          ]);

          const result = await runEntryBytes(action, hostile, entryEnvironment(world()));

          const facts = checkRun(result, [...asset.secrets, ...ENVIRONMENT_SECRETS]);
          entryTally.add(
            facts,
            false,
            () => `${action}, ${bad.length} bad byte(s) at ${cut}: ${result.stderr}`,
          );
          expect(facts.violations).toEqual([]);
          expect(result.exitCode).toBe(2);
          expect(result.stderr).toContain('"message":"Standard input is not valid UTF-8."');
        }),
        { numRuns: Math.min(runs, 12), seed },
      );
    }, 120_000);

    it("reads the same document as valid UTF-8, and refuses it over the size limit", async () => {
      const asset = fc.sample(validAsset(world().targets), {
        numRuns: 1,
        seed,
      })[0] as GeneratedAsset;
      // Direct to the stand-in: a generated proxy may be one that fails on purpose.
      const { http_proxy: _proxy, ...direct } = asset.fields;
      const text = JSON.stringify({ ...direct, function_name: "enrich-indicator" });
      world().aws.answer = "denied";
      const before = world().aws.requests.lambda + world().aws.requests.sts;

      const valid = await runEntryBytes(
        "get_function",
        Buffer.from(text),
        entryEnvironment(world()),
      );
      const reached = world().aws.requests.lambda + world().aws.requests.sts > before;
      const padding = Buffer.alloc(MAX_DOCUMENT_BYTES + 1 - Buffer.byteLength(text), 0x20);
      const tooLarge = await runEntryBytes(
        "get_function",
        Buffer.concat([Buffer.from(text), padding]),
        entryEnvironment(world()),
      );

      for (const result of [valid, tooLarge]) {
        const facts = checkRun(result, [...asset.secrets, ...ENVIRONMENT_SECRETS]);
        entryTally.add(facts, result === valid && reached, () => result.stderr);
        expect(facts.violations).toEqual([]);
      }
      expect(valid.exitCode).toBe(1);
      expect(reached).toBe(true);
      expect(tooLarge.exitCode).toBe(2);
      expect(tooLarge.stderr).toContain(`Standard input is over ${MAX_DOCUMENT_BYTES} bytes.`);
    }, 60_000);
  });
});
