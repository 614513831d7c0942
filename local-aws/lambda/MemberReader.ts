import type { ValidationProblems } from "./ValidationProblems.js";

/** The constraints Lambda's model puts on a string member. */
export interface StringRules {
  required?: boolean;
  min?: number;
  max?: number;
  /** The model's pattern, as its error message prints it; matched against the whole value. */
  pattern?: string;
  values?: readonly string[];
}

/** The constraints Lambda's model puts on an integer member. */
export interface IntegerRules {
  required?: boolean;
  min?: number;
  max?: number;
}

/**
 * Reads the members of a JSON request body (or of one of its structures) by the model's
 * names, noting each value that is missing, of the wrong type or out of its constraints
 * in `problems` under the member's wire name in lower camel case (`batchSize`,
 * `code.s3Bucket`), as Lambda's validation messages spell them.
 *
 * @example
 * ```ts
 * const body = new MemberReader(json, problems);
 * const size = body.integer("BatchSize", { min: 1, max: 10000 });
 * ```
 */
export class MemberReader {
  constructor(
    private readonly source: Record<string, unknown>,
    private readonly problems: ValidationProblems,
    private readonly prefix = "",
  ) {}

  string(name: string, rules: StringRules = {}): string | undefined {
    const value = this.present(name, rules.required === true);
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== "string") {
      return this.wrongType(name, value, "string");
    }
    this.check(value, this.member(name), rules);
    return value;
  }

  integer(name: string, rules: IntegerRules = {}): number | undefined {
    const value = this.present(name, rules.required === true);
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== "number" || !Number.isInteger(value)) {
      return this.wrongType(name, value, "integer");
    }
    const member = this.member(name);
    if (rules.min !== undefined && value < rules.min) {
      this.problems.add(
        value,
        member,
        `Member must have value greater than or equal to ${rules.min}`,
      );
    }
    if (rules.max !== undefined && value > rules.max) {
      this.problems.add(value, member, `Member must have value less than or equal to ${rules.max}`);
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.present(name, false);
    if (value === undefined || typeof value === "boolean") {
      return value;
    }
    return this.wrongType(name, value, "boolean");
  }

  /** A list of strings, each checked against `rules`; `maxItems` bounds its length. */
  strings(
    name: string,
    rules: StringRules & { maxItems?: number; minItems?: number } = {},
  ): string[] | undefined {
    const value = this.present(name, rules.required === true);
    if (value === undefined) {
      return undefined;
    }
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
      return this.wrongType(name, value, "list of strings");
    }
    const member = this.member(name);
    if (rules.maxItems !== undefined && value.length > rules.maxItems) {
      this.problems.add(
        value,
        member,
        `Member must have length less than or equal to ${rules.maxItems}`,
      );
    }
    if (rules.minItems !== undefined && value.length < rules.minItems) {
      this.problems.add(
        value,
        member,
        `Member must have length greater than or equal to ${rules.minItems}`,
      );
    }
    for (const [index, item] of (value as string[]).entries()) {
      this.check(item, `${member}[${index}]`, rules);
    }
    return value as string[];
  }

  /** A map of strings to strings (tags, environment variables). */
  stringMap(name: string, rules: { required?: boolean } = {}): Record<string, string> | undefined {
    const value = this.present(name, rules.required === true);
    if (value === undefined) {
      return undefined;
    }
    if (
      typeof value !== "object" ||
      value === null ||
      Array.isArray(value) ||
      Object.values(value).some((item) => typeof item !== "string")
    ) {
      return this.wrongType(name, value, "map of strings");
    }
    return value as Record<string, string>;
  }

  /** A nested structure, read with its own reader; undefined when absent. */
  structure(name: string, rules: { required?: boolean } = {}): MemberReader | undefined {
    const value = this.present(name, rules.required === true);
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== "object" || Array.isArray(value)) {
      return this.wrongType(name, value, "structure");
    }
    return new MemberReader(value as Record<string, unknown>, this.problems, this.member(name));
  }

  private present(name: string, required: boolean): unknown {
    const value = this.source[name];
    if (value === undefined || value === null) {
      if (required) {
        this.problems.add(undefined, this.member(name), "Member must not be null");
      }
      return undefined;
    }
    return value;
  }

  private wrongType(name: string, value: unknown, type: string): undefined {
    this.problems.add(value, this.member(name), `Member must be a ${type}`);
    return undefined;
  }

  private check(value: string, member: string, rules: StringRules): void {
    if (rules.min !== undefined && value.length < rules.min) {
      this.problems.add(
        value,
        member,
        `Member must have length greater than or equal to ${rules.min}`,
      );
    }
    if (rules.max !== undefined && value.length > rules.max) {
      this.problems.add(
        value,
        member,
        `Member must have length less than or equal to ${rules.max}`,
      );
    }
    if (rules.pattern !== undefined && !new RegExp(`^(?:${rules.pattern})$`).test(value)) {
      this.problems.add(
        value,
        member,
        `Member must satisfy regular expression pattern: ${rules.pattern}`,
      );
    }
    if (rules.values !== undefined && !rules.values.includes(value)) {
      this.problems.add(
        value,
        member,
        `Member must satisfy enum value set: [${rules.values.join(", ")}]`,
      );
    }
  }

  private member(name: string): string {
    const camel = `${name.charAt(0).toLowerCase()}${name.slice(1)}`;
    return this.prefix === "" ? camel : `${this.prefix}.${camel}`;
  }
}
