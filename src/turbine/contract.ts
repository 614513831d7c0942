/**
 * The Turbine connector contract, in one place (see shared design TURBINE.md): how an
 * action's document arrives, how its result and its failure are printed, and which
 * exit codes Turbine sees. A correction to the contract is a change to this file.
 */

import { randomUUID } from "node:crypto";
import type { ErrorLine } from "../errors.js";
import { TEXT_SLICE_CHARACTERS, textSlices } from "./textSlices.js";

/** Prefix of the one line a successful action prints on standard output. */
export const OUTPUT_PREFIX = "::set-output ";

/** Prefix of the one line a failed action prints on standard error. */
export const ERROR_PREFIX = "::set-error ";

/** The environment variable in which Turbine names the asset's keys of the flat document. */
export const ASSET_KEYS_VARIABLE = "ASSET_KEYS";

/**
 * Exit codes: 0 success, 1 a failed AWS call or function error (or a result line standard
 * output could not take: its reader closed it), 2 invalid asset or inputs.
 */
export const EXIT_CODES = { success: 0, failure: 1, invalid: 2 } as const;

/** Largest standard-input document accepted: a 6 MB payload plus JSON escaping and the asset. */
export const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

/** The two halves of the document Turbine sends, and notes for standard error. */
export interface ActionDocument {
  asset: Record<string, unknown>;
  inputs: Record<string, unknown>;
  /** What was ignored on the way, worth a line on standard error. */
  notes: string[];
}

/** How to tell the asset's keys from the inputs in the flat form. */
export interface SplitOptions {
  /** The keys the asset manifest declares. */
  declaredAssetKeys: readonly string[];
  /** The value of ASSET_KEYS, when Turbine set it. */
  assetKeysVariable: string | undefined;
}

/**
 * Splits Turbine's document into asset and inputs. Turbine sends one flat object and
 * names the asset's keys in the ASSET_KEYS variable; without it the asset manifest's
 * keys decide. A key ASSET_KEYS names that the asset does not declare is ignored with
 * a note. The explicit `{"asset": {...}, "inputs": {...}}` is accepted too, for
 * people running an action by hand.
 *
 * Turbine sends empty optional fields as `""` or `null`; they are dropped here, so
 * that an unset field means the same whichever way it arrives.
 *
 * Returns a description of the problem instead when the document is not an object.
 *
 * @example
 * ```ts
 * splitDocument({ region_name: "us-east-1", function_name: "echo" },
 *   { declaredAssetKeys: ["region_name"], assetKeysVariable: "region_name" });
 * // { asset: { region_name: "us-east-1" }, inputs: { function_name: "echo" }, notes: [] }
 * ```
 */
export function splitDocument(document: unknown, options: SplitOptions): ActionDocument | string {
  if (!isPlainObject(document)) {
    return "the document on standard input must be a JSON object";
  }
  const keys = Object.keys(document);
  const halves = keys.filter((key) => key === "asset" || key === "inputs");
  const explicit = keys.length > 0 && halves.length === keys.length;
  if (!explicit && halves.length > 0) {
    const others = keys.filter((key) => key !== "asset" && key !== "inputs");
    return `it mixes the two forms: ${halves.map((k) => `"${k}"`).join(" and ")} beside ${describeKeys(others)}; send either {"asset": {...}, "inputs": {...}} alone, or every field side by side`;
  }
  if (explicit) {
    const { asset = {}, inputs = {} } = document;
    if (!isPlainObject(asset)) {
      return '"asset" must be a JSON object';
    }
    if (!isPlainObject(inputs)) {
      return '"inputs" must be a JSON object';
    }
    return { asset: withoutBlanks(asset), inputs: withoutBlanks(inputs), notes: [] };
  }
  const named = parseAssetKeys(options.assetKeysVariable);
  const assetKeys = named ?? options.declaredAssetKeys;
  const asset: Record<string, unknown> = {};
  const inputs: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(document)) {
    if (!assetKeys.includes(key)) {
      inputs[key] = value;
    } else if (options.declaredAssetKeys.includes(key)) {
      asset[key] = value;
    } else {
      ignored.push(key);
    }
  }
  const notes =
    ignored.length === 0
      ? []
      : [
          `note: ignored ${ignored.map((key) => JSON.stringify(key)).join(", ")}: named in ${ASSET_KEYS_VARIABLE} but not a field of this connector's asset.`,
        ];
  return { asset: withoutBlanks(asset), inputs: withoutBlanks(inputs), notes };
}

/** The key names in ASSET_KEYS, or `undefined` when it is unset or blank. */
function parseAssetKeys(variable: string | undefined): string[] | undefined {
  const keys = (variable ?? "")
    .split(",")
    .map((key) => key.trim())
    .filter((key) => key !== "");
  return keys.length === 0 ? undefined : keys;
}

/** The success line: the output as compact JSON behind the prefix. */
export function formatOutputLine(output: unknown): string {
  return new OutputLine(output).text();
}

/**
 * The success line of one output, serialised once with its long strings (more than
 * 64 Ki code units: a streamed payload) left out of the JSON and written into the line
 * a slice at a time: the JSON of a megabyte of text is then never one string, nor the
 * line's bytes one buffer (64 KiB slices through one buffer of its own).
 *
 * @example
 * ```ts
 * const line = new OutputLine(output); // throws as JSON.stringify does
 * await line.write((bytes) => writeAll(process.stdout, bytes));
 * ```
 */
export class OutputLine {
  /** The JSON with a placeholder for each long string: `"<marker><index>"`. */
  private readonly json: string;
  private readonly strings: string[] = [];
  private readonly placeholder: RegExp;

  constructor(output: unknown) {
    // A marker of its own for every line: no string of the output can hold it.
    const marker = `long-string:${randomUUID()}:`;
    this.placeholder = new RegExp(`"${marker}(\\d+)"`, "g");
    this.json = String(
      JSON.stringify(output, (_key, value: unknown) =>
        typeof value === "string" && value.length > TEXT_SLICE_CHARACTERS
          ? `${marker}${this.strings.push(value) - 1}`
          : value,
      ),
    );
  }

  /** The line as one string. */
  text(): string {
    const json = this.json.replace(this.placeholder, (_, index: string) =>
      JSON.stringify(this.strings[Number(index)]),
    );
    return `${OUTPUT_PREFIX}${json}\n`;
  }

  /** Writes the line's bytes a slice at a time, each write done before the next. */
  async write(write: (bytes: Uint8Array) => Promise<void>): Promise<void> {
    // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair 4 for 2), and its
    // JSON escape at most 6 bytes.
    const buffer = Buffer.allocUnsafe((TEXT_SLICE_CHARACTERS + 1) * 6);
    const put = (text: string) => write(buffer.subarray(0, buffer.write(text, "utf8")));
    await put(OUTPUT_PREFIX);
    let at = 0;
    for (const found of this.json.matchAll(this.placeholder)) {
      for (const slice of textSlices(this.json.slice(at, found.index))) {
        await put(slice);
      }
      await put('"');
      for (const slice of textSlices(this.strings[Number(found[1])] ?? "")) {
        await put(JSON.stringify(slice).slice(1, -1));
      }
      await put('"');
      at = found.index + found[0].length;
    }
    for (const slice of textSlices(this.json.slice(at))) {
      await put(slice);
    }
    await put("\n");
  }
}

/** The failure line on standard error: the flat error object behind the prefix. */
export function formatErrorLine(line: ErrorLine): string {
  return `${ERROR_PREFIX}${JSON.stringify(line)}\n`;
}

/**
 * The error object of a failure line, or `undefined` when `line` is not one.
 *
 * @example
 * ```ts
 * parseErrorLine('::set-error {"code":"not_found","message":"…","hint":"…"}')?.code; // "not_found"
 * ```
 */
export function parseErrorLine(line: string): ErrorLine | undefined {
  if (!line.startsWith(ERROR_PREFIX)) {
    return undefined;
  }
  try {
    return JSON.parse(line.slice(ERROR_PREFIX.length)) as ErrorLine;
  } catch {
    return undefined;
  }
}

/** A few key names, quoted, and how many more there are. */
export function describeKeys(keys: readonly string[], shown = 5): string {
  const listed = keys
    .slice(0, shown)
    .map((key) => JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key))
    .join(", ");
  return keys.length > shown ? `${listed} and ${keys.length - shown} more` : listed;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function withoutBlanks(document: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(document).filter(([, value]) => value !== null && value !== ""),
  );
}
