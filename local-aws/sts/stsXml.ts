import type { Reply } from "../http/Reply.js";

/** STS's XML namespace. */
export const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
const NAMESPACE = STS_NAMESPACE;

/**
 * Element name → text, or → nested elements, or → a list (the query protocol's
 * `<Name><member>…</member>…</Name>`).
 */
export type XmlFields = { [name: string]: string | XmlFields | (string | XmlFields)[] };

function xmlContent(value: string | XmlFields): string {
  return typeof value === "string" ? xmlEscape(value) : xmlElements(value);
}

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
      const content = Array.isArray(value)
        ? value.map((member) => `<member>${xmlContent(member)}</member>`).join("")
        : xmlContent(value);
      return `<${name}>${content}</${name}>`;
    })
    .join("");
}

/**
 * A successful query-protocol response:
 * `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata><RequestId>…`.
 */
export function stsResult(
  action: string,
  result: XmlFields,
  requestId: string,
  namespace = NAMESPACE,
): Reply {
  return {
    kind: "respond",
    status: 200,
    headers: { "content-type": "text/xml" },
    body: `<${action}Response xmlns="${namespace}"><${action}Result>${xmlElements(result)}</${action}Result>${xmlElements({ ResponseMetadata: { RequestId: requestId } })}</${action}Response>\n`,
  };
}

/**
 * A query-protocol error: `<ErrorResponse><Error><Type><Code><Message></Error><RequestId>`.
 * STS's namespace unless another query-protocol service (IAM) names its own.
 */
export function stsError(
  status: number,
  code: string,
  message: string,
  requestId: string,
  namespace = NAMESPACE,
): Reply {
  const type = status >= 500 ? "Receiver" : "Sender";
  return {
    kind: "respond",
    status,
    headers: { "content-type": "text/xml" },
    body: `<ErrorResponse xmlns="${namespace}">${xmlElements({ Error: { Type: type, Code: code, Message: message }, RequestId: requestId })}</ErrorResponse>\n`,
  };
}
