/**
 * The per-action properties: for each action, PROPERTY_RUNS documents, each a generated
 * asset and generated inputs (valid, or with hostile values), sent in Turbine's flat
 * form with ASSET_KEYS or in the explicit form, through `runConnector` to a local
 * stand-in for AWS. Every run must hold properties (a) to (d) of `runContract.ts`.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadActions } from "../../src/actions/actionList.js";
import { ASSET_FIELD_NAMES } from "../../src/asset/schema.js";
import { type GeneratedAsset, hostileAsset, validAsset } from "../support/assetArbitraries.js";
import { FAKE_ANSWERS } from "../support/fakeAwsEndpoint.js";
import { hostileInputs, validInputs } from "../support/inputArbitraries.js";
import { RunTally } from "../support/runContract.js";
import {
  assetKeysVariant,
  propertySettings,
  runCase,
  type TurbineCase,
  type TurbineWorld,
  timeoutFor,
  useTurbineWorld,
} from "./turbineRuns.js";

/** Every declared action, loaded, by id. */
const ACTIONS = new Map((await loadActions()).map(({ action }) => [action.name, action]));

/** How often each kind of document is made: valid ones must reach AWS, hostile ones must not crash. */
const MODES = [
  { mode: "valid asset + valid inputs", weight: 4, asset: "valid", inputs: "valid" },
  { mode: "valid asset + hostile inputs", weight: 3, asset: "valid", inputs: "hostile" },
  { mode: "hostile asset + valid inputs", weight: 2, asset: "hostile", inputs: "valid" },
  { mode: "hostile asset + hostile inputs", weight: 1, asset: "hostile", inputs: "hostile" },
] as const;

function caseArbitrary(actionName: string, world: TurbineWorld): fc.Arbitrary<TurbineCase> {
  const action = ACTIONS.get(actionName);
  if (action === undefined) {
    throw new Error(`no action ${actionName}`);
  }
  const { sizes } = propertySettings();
  const assets: Record<"valid" | "hostile", fc.Arbitrary<GeneratedAsset>> = {
    valid: validAsset(world.targets),
    hostile: hostileAsset(world.targets, sizes),
  };
  const inputs = { valid: validInputs(action), hostile: hostileInputs(action, sizes) };
  return fc
    .oneof(
      ...MODES.map((mode) => ({
        weight: mode.weight,
        arbitrary: fc.record({
          mode: fc.constant(mode.mode),
          asset: assets[mode.asset],
          inputs: inputs[mode.inputs],
          form: fc.constantFrom("flat" as const, "flat" as const, "explicit" as const),
          answer: fc.constantFrom(...FAKE_ANSWERS),
        }),
      })),
    )
    .chain((partial) =>
      assetKeysVariant(partial.asset.fields, ASSET_FIELD_NAMES).map((assetKeys) => ({
        ...partial,
        assetKeys,
      })),
    );
}

/**
 * One `describe` per action of `actionNames`, each a property over PROPERTY_RUNS
 * documents, and a one-line summary of the file on stderr.
 */
export function describeActionProperties(label: string, actionNames: readonly string[]): void {
  const world = useTurbineWorld();
  const { runs, seed } = propertySettings();
  const fileTally = new RunTally();

  afterAll(() => {
    process.stderr.write(
      `${fileTally.summary(`property ${label}: ${actionNames.length} actions × ${runs} documents (each a generated asset and generated inputs), seed ${seed}`)}; calls through the asset's proxy ${world().aws.proxied}; calls bound off 127.0.0.1 ${world().guard.escapes.length}\n`,
    );
    expect(world().guard.escapes).toEqual([]);
  });

  describe.each(actionNames.map((name, index) => [name, index] as const))(
    "%s, for any asset and inputs",
    (actionName, index) => {
      it(
        "never crashes, names the field of every invalid value, leaks no secret and keeps the output contract",
        async () => {
          const tally = new RunTally();
          const started = performance.now();
          await fc.assert(
            fc.asyncProperty(caseArbitrary(actionName, world()), async (testCase) => {
              await runCase(actionName, testCase, world(), tally);
            }),
            // Each action its own seed, so that no two actions see the same stream of assets.
            { numRuns: runs, seed: seed + index },
          );
          fileTally.merge(tally);
          if (process.env.PROPERTY_VERBOSE !== undefined) {
            const seconds = ((performance.now() - started) / 1000).toFixed(1);
            process.stderr.write(
              `${tally.summary(`  ${actionName} (${seconds} s)`)}\n    codes: ${tally.codes()}\n`,
            );
          }

          expect(tally.violations.map((v) => `${v.property}: ${v.detail}\n  ${v.example}`)).toEqual(
            [],
          );
          expect(tally.runs).toBe(runs);
          // Valid documents must get past validation to the executor, or the properties
          // would only ever have been checked on validation errors.
          if (runs >= 100) {
            expect(tally.reachedAws).toBeGreaterThan(0);
          }
        },
        timeoutFor(runs),
      );
    },
  );
}
