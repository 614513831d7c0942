/**
 * The property tests' shared harness: the local world every run talks to (a stand-in for
 * AWS, a guard that counts any call bound elsewhere), the run settings, and one run of
 * the connector as Turbine runs it, checked and counted.
 *
 * Run sizes: `PROPERTY_RUNS` documents per action, each a generated asset and generated
 * inputs (default {@link DEFAULT_RUNS}, sized for two cores in well under a minute);
 * `PROPERTY_SEED` replays a run (every summary line prints its seed); `PROPERTY_VERBOSE`
 * adds a line per action. The full-size run, at least 10,000 assets and 10,000 inputs per
 * action (about 20 minutes on two cores):
 *
 * ```sh
 * PROPERTY_RUNS=10000 PROPERTY_VERBOSE=1 npx vitest run test/property
 * ```
 */
import fc from "fast-check";
import { afterAll, beforeAll, vi } from "vitest";
import { type RunResult, runConnector } from "../../src/runConnector.js";
import { fakeTime } from "../fixtures.js";
import type { GeneratedAsset, LocalTargets } from "../support/assetArbitraries.js";
import {
  type EscapeGuard,
  type FakeAnswer,
  type FakeAwsEndpoint,
  startEscapeGuard,
  startFakeAwsEndpoint,
} from "../support/fakeAwsEndpoint.js";
import { DEFAULT_SIZES, type HostileSizes } from "../support/hostileValues.js";
import { toJsonText } from "../support/jsonText.js";
import { checkRun, type RunTally } from "../support/runContract.js";
import type { NamedSecret } from "../support/secretScan.js";

/** Documents per action when PROPERTY_RUNS is not set. */
export const DEFAULT_RUNS = 100;

/** How large and how many. */
export interface PropertySettings {
  /** Documents per action (or per property, for the document-level file). */
  runs: number;
  /** fast-check's seed: printed in every summary, so a run can be replayed. */
  seed: number;
  sizes: HostileSizes;
}

/** The settings from PROPERTY_RUNS and PROPERTY_SEED. */
export function propertySettings(): PropertySettings {
  const runs = Number(process.env.PROPERTY_RUNS ?? DEFAULT_RUNS);
  const seed = Number(process.env.PROPERTY_SEED ?? Date.now() % 2 ** 31);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
    throw new Error("PROPERTY_RUNS must be a positive whole number, PROPERTY_SEED a whole number");
  }
  return { runs, seed, sizes: DEFAULT_SIZES };
}

/** A test timeout for `runs` documents: generous, since a slow machine must not fail the proof. */
export function timeoutFor(runs: number): number {
  return 60_000 + runs * 100;
}

/** The machine-chain key the environment holds for assets without keys: a secret too. */
const CHAIN_SECRET = "chainSecretPropertyTEST/0123456789abcdefXYZ";
/** The platform's file API token: it travels in query strings and must never be printed. */
const IPC_TOKEN = "ipc-token-PROPERTY-5f0c9e2a7b";

/** Secrets of the run's environment, looked for in every run besides the asset's own. */
export const ENVIRONMENT_SECRETS: readonly NamedSecret[] = [
  { name: "AWS_SECRET_ACCESS_KEY (machine chain)", value: CHAIN_SECRET },
  { name: "IPC_API_TOKEN", value: IPC_TOKEN },
];

/** The variables Turbine sets for every run: the platform's file API, here the stand-in. */
export function platformEnvironment(world: TurbineWorld): Record<string, string> {
  return { IPC_API_URI: world.aws.url, IPC_API_TOKEN: IPC_TOKEN };
}

/**
 * The whole environment of an entry process run: the same network guard and machine
 * chain as the in-process runs, and nothing else of this process's.
 */
export function entryEnvironment(
  world: TurbineWorld,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HTTP_PROXY: world.guard.url,
    HTTPS_PROXY: world.guard.url,
    NO_PROXY: "127.0.0.1,localhost",
    AWS_ACCESS_KEY_ID: "AKIAPROPERTYCHAIN000",
    AWS_SECRET_ACCESS_KEY: CHAIN_SECRET,
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: "/nonexistent/aws/config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws/credentials",
    ...platformEnvironment(world),
    ...extra,
  };
}

/** What the property runs talk to. */
export interface TurbineWorld {
  aws: FakeAwsEndpoint;
  guard: EscapeGuard;
  targets: LocalTargets;
}

/**
 * Starts the world for the enclosing file and sets the process environment the way a
 * Turbine host without network would look: every call not bound for 127.0.0.1 goes to the
 * escape guard; the machine's credential chain finds keys in the environment and never
 * asks instance metadata; the platform's file API is the stand-in.
 */
export function useTurbineWorld(): () => TurbineWorld {
  let world: TurbineWorld | undefined;
  beforeAll(async () => {
    const [aws, guard, closed] = await Promise.all([
      startFakeAwsEndpoint(),
      startEscapeGuard(),
      startEscapeGuard(),
    ]);
    // A port that was just bound and released: nothing listens there.
    const closedPort = Number(new URL(closed.url).port);
    await closed.close();
    for (const key of Object.keys(process.env)) {
      if (/^(https?_proxy|no_proxy|all_proxy|aws_.*|node_extra_ca_certs|asset_keys)$/i.test(key)) {
        vi.stubEnv(key, undefined);
      }
    }
    vi.stubEnv("HTTP_PROXY", guard.url);
    vi.stubEnv("HTTPS_PROXY", guard.url);
    vi.stubEnv("NO_PROXY", "127.0.0.1,localhost");
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIAPROPERTYCHAIN000");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", CHAIN_SECRET);
    vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
    vi.stubEnv("AWS_CONFIG_FILE", "/nonexistent/aws/config");
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws/credentials");
    world = {
      aws,
      guard,
      targets: { endpointUrl: aws.url, endpointPort: aws.port, closedPort },
    };
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await Promise.all([world?.aws.close(), world?.guard.close()]);
    world = undefined;
  });
  return () => {
    if (world === undefined) {
      throw new Error("the property world exists only while the file's tests run");
    }
    return world;
  };
}

/** One document as Turbine would send it, and what the stand-in answers to its calls. */
export interface TurbineCase {
  /** How the document was made, for reports: e.g. `valid asset + hostile inputs`. */
  mode: string;
  asset: GeneratedAsset;
  inputs: Record<string, unknown>;
  /** Flat (Turbine's own form, split by ASSET_KEYS) or explicit (`{asset, inputs}`). */
  form: "flat" | "explicit";
  /** ASSET_KEYS for the flat form; `undefined` leaves it unset. */
  assetKeys: string | undefined;
  answer: FakeAnswer;
}

/** ASSET_KEYS as Turbine sets it, and as a misconfigured host might. */
export function assetKeysVariant(
  assetFields: Record<string, unknown>,
  declared: readonly string[],
): fc.Arbitrary<string | undefined> {
  const present = Object.keys(assetFields);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: fc.constant(present.join(",")) },
    { weight: 1, arbitrary: fc.constant(declared.join(",")) },
    { weight: 1, arbitrary: fc.constant(` ${present.join(" , ")} ,, `) },
    {
      weight: 2,
      arbitrary: fc
        .array(
          fc.constantFrom(
            "__proto__",
            "constructor",
            "prototype",
            "function_name",
            "payload",
            "no_such_field",
            "REGION_NAME",
            "é",
            "\u0000",
            "k".repeat(200),
          ),
          { minLength: 1, maxLength: 4 },
        )
        .map((odd) => [...present, ...odd].join(",")),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 0, max: Math.max(0, present.length - 1) })
        .map((drop) => present.filter((_, index) => index !== drop).join(",")),
    },
    { weight: 1, arbitrary: fc.constantFrom("", ",", " , ") },
  );
}

/** The document text and environment of a case, as Turbine would hand them over. */
export function turbineDocument(
  testCase: TurbineCase,
  world: TurbineWorld,
): { text: string; env: Record<string, string> } {
  const document =
    testCase.form === "explicit"
      ? { asset: testCase.asset.fields, inputs: testCase.inputs }
      : Object.defineProperties(
          {},
          {
            ...Object.getOwnPropertyDescriptors(testCase.asset.fields),
            ...Object.getOwnPropertyDescriptors(testCase.inputs),
          },
        );
  const env = platformEnvironment(world);
  if (testCase.form === "flat" && testCase.assetKeys !== undefined) {
    env.ASSET_KEYS = testCase.assetKeys;
  }
  return { text: toJsonText(document), env };
}

/**
 * Runs `action` on the case's document through `runConnector`, as Turbine runs the
 * entry, checks properties (a) to (d) and counts the run.
 */
export async function runCase(
  action: string,
  testCase: TurbineCase,
  world: TurbineWorld,
  tally: RunTally,
): Promise<void> {
  const { text, env } = turbineDocument(testCase, world);
  world.aws.answer = testCase.answer;
  await runDocument(
    { action, text, env, secrets: testCase.asset.secrets },
    world,
    tally,
    `${action}, ${testCase.mode}, ${testCase.form} form, answer ${testCase.answer}`,
  );
}

/** One run as Turbine starts it: the action argument, the stdin text, the environment. */
export interface DocumentRun {
  action: string | undefined;
  text: string;
  env: Record<string, string>;
  /** The secrets the document holds, besides the environment's. */
  secrets: readonly NamedSecret[];
}

/** Runs one document through `runConnector`, checks properties (a) to (d) and counts it. */
export async function runDocument(
  run: DocumentRun,
  world: TurbineWorld,
  tally: RunTally,
  label: string,
): Promise<void> {
  const before = world.aws.requests.lambda + world.aws.requests.sts;
  const time = fakeTime();
  let result: RunResult;
  try {
    // The clock and pause are the executor's injected ones, so polling and Retry-After
    // waits do not really sleep; every deadline and socket is real.
    result = await runConnector(run.action, run.text, {
      env: run.env,
      executor: { now: time.now, sleep: time.sleep },
    });
  } catch (error) {
    // runConnector promises never to throw: a throw is a crash, counted like any other.
    result = { exitCode: -1, stdout: "", stderr: `runConnector threw: ${String(error)}\n` };
  }
  const reached = world.aws.requests.lambda + world.aws.requests.sts > before;
  const facts = checkRun(result, [...run.secrets, ...ENVIRONMENT_SECRETS]);
  tally.add(facts, reached, () => describeRun(label, run, result.stderr));
}

function describeRun(label: string, run: DocumentRun, stderr: string): string {
  const clip = (value: string, max: number) =>
    value.length <= max ? value : `${value.slice(0, max)}… (${value.length} chars)`;
  return [
    label,
    `ASSET_KEYS=${JSON.stringify(run.env.ASSET_KEYS ?? null)}`,
    `stdin: ${clip(run.text, 600)}`,
    `stderr: ${clip(stderr, 600)}`,
  ].join("\n  ");
}
