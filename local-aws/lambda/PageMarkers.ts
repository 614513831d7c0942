import { createHmac, randomBytes } from "node:crypto";

/**
 * Opaque pagination markers, as Lambda's own are: each one carries where a listing
 * stopped and which listing it belongs to, signed with a key this endpoint made up at
 * start. A marker that was edited, made up, issued by another endpoint or for another
 * listing (another region, other parameters) reads as invalid.
 *
 * @example
 * ```ts
 * const markers = new PageMarkers();
 * const marker = markers.issue("us-east-1", "fn-050:$LATEST");
 * markers.read("us-east-1", marker); // "fn-050:$LATEST"
 * markers.read("us-west-2", marker); // undefined
 * ```
 */
export class PageMarkers {
  private readonly key = randomBytes(32);

  /** A marker for resuming the listing `scope` after `cursor`. */
  issue(scope: string, cursor: string): string {
    const payload = Buffer.from(JSON.stringify({ scope, cursor })).toString("base64url");
    return `${payload}.${this.sign(payload)}`;
  }

  /** The cursor a marker carries, or undefined when it is not a marker issued for `scope`. */
  read(scope: string, marker: string): string | undefined {
    const [payload, signature, ...rest] = marker.split(".");
    if (payload === undefined || signature === undefined || rest.length > 0) {
      return undefined;
    }
    if (signature !== this.sign(payload)) {
      return undefined;
    }
    const decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      scope: string;
      cursor: string;
    };
    return decoded.scope === scope ? decoded.cursor : undefined;
  }

  private sign(payload: string): string {
    return createHmac("sha256", this.key).update(payload).digest("base64url");
  }
}
