/**
 * The Turbine connector contract, in one place (see shared design TURBINE.md): how an
 * action's document arrives, how its result and its failure are printed, and which
 * exit codes Turbine sees. A correction to the contract is a change to this file.
 */
import type { ErrorLine } from "../errors.js";

/** Prefix of the one line a successful action prints on standard output. */
export const OUTPUT_PREFIX = "::set-output ";

/** Exit codes: 0 success, 1 a failed AWS call or function error, 2 invalid asset or inputs. */
export const EXIT_CODES = { success: 0, failure: 1, invalid: 2 } as const;

/** Largest standard-input document accepted: a 6 MB payload plus JSON escaping and the asset. */
export const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

/** The two halves of the document Turbine sends. */
export interface ActionDocument {
  asset: Record<string, unknown>;
  inputs: Record<string, unknown>;
}

/**
 * Splits Turbine's document into asset and inputs. Two forms are accepted: the
 * explicit `{"asset": {...}, "inputs": {...}}`, and the flat form of Swimlane's runner,
 * where the asset's keys (those its manifest declares) sit beside the inputs.
 *
 * Turbine sends empty optional fields as `""` or `null`; they are dropped here, so
 * that an unset field means the same whichever way it arrives.
 *
 * Returns a description of the problem instead when the document is not an object.
 */
export function splitDocument(
  document: unknown,
  assetKeys: readonly string[],
): ActionDocument | string {
  if (!isPlainObject(document)) {
    return "the document on standard input must be a JSON object";
  }
  const keys = Object.keys(document);
  const explicit = keys.length > 0 && keys.every((key) => key === "asset" || key === "inputs");
  if (explicit) {
    const { asset = {}, inputs = {} } = document;
    if (!isPlainObject(asset)) {
      return '"asset" must be a JSON object';
    }
    if (!isPlainObject(inputs)) {
      return '"inputs" must be a JSON object';
    }
    return { asset: withoutBlanks(asset), inputs: withoutBlanks(inputs) };
  }
  const asset: Record<string, unknown> = {};
  const inputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    (assetKeys.includes(key) ? asset : inputs)[key] = value;
  }
  return { asset: withoutBlanks(asset), inputs: withoutBlanks(inputs) };
}

/** The success line: the output as compact JSON behind the prefix. */
export function formatOutputLine(output: unknown): string {
  return `${OUTPUT_PREFIX}${JSON.stringify(output)}\n`;
}

/** The failure line on standard error. */
export function formatErrorLine(line: ErrorLine): string {
  return `${JSON.stringify(line)}\n`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function withoutBlanks(document: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(document).filter(([, value]) => value !== null && value !== ""),
  );
}
