import type { Reply } from "../http/Reply.js";

const NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

/** Element name → text, or → nested elements. */
export type XmlFields = { [name: string]: string | XmlFields };

/** Escapes text for an XML element's content. */
export function xmlEscape(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

/** Renders `{Name: value}` as `<Name>value</Name>…`; nested objects become nested elements. */
export function xmlElements(fields: XmlFields): string {
  return Object.entries(fields)
    .map(([name, value]) => {
      const content = typeof value === "string" ? xmlEscape(value) : xmlElements(value);
      return `<${name}>${content}</${name}>`;
    })
    .join("");
}

/**
 * A successful query-protocol response:
 * `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata><RequestId>…`.
 */
export function stsResult(action: string, result: XmlFields, requestId: string): Reply {
  return {
    kind: "respond",
    status: 200,
    headers: { "content-type": "text/xml" },
    body: `<${action}Response xmlns="${NAMESPACE}"><${action}Result>${xmlElements(result)}</${action}Result>${xmlElements({ ResponseMetadata: { RequestId: requestId } })}</${action}Response>\n`,
  };
}

/** A query-protocol error: `<ErrorResponse><Error><Type><Code><Message></Error><RequestId>`. */
export function stsError(status: number, code: string, message: string, requestId: string): Reply {
  const type = status >= 500 ? "Receiver" : "Sender";
  return {
    kind: "respond",
    status,
    headers: { "content-type": "text/xml" },
    body: `<ErrorResponse xmlns="${NAMESPACE}">${xmlElements({ Error: { Type: type, Code: code, Message: message }, RequestId: requestId })}</ErrorResponse>\n`,
  };
}
