/**
 * Sections of docs/benchmarks.md that other benchmarks than the start-up one write
 * (the sweep's, …): each between `<!-- section:<name> -->` and `<!-- /section:<name> -->`,
 * kept as they are when the start-up benchmark rewrites the file, and replaced only by
 * their own benchmark.
 */
const SECTION = /^<!-- section:([\w-]+) -->\n[\s\S]*?\n<!-- \/section:\1 -->$/gm;

/** Every marked section of `markdown`, markers included, in order. */
export function keptSections(markdown: string): string[] {
  return [...markdown.matchAll(SECTION)].map((match) => match[0]);
}

/**
 * `markdown` with the section `name` set to `body` (markers added): in place when it is
 * there, else before the `## How it is measured` heading (or at the end).
 *
 * @example
 * ```ts
 * writeFileSync(path, withSection(readFileSync(path, "utf8"), "sweep", "## Sweep\n…"));
 * ```
 */
export function withSection(markdown: string, name: string, body: string): string {
  const block = `<!-- section:${name} -->\n${body.trim()}\n<!-- /section:${name} -->`;
  const existing = keptSections(markdown).find((section) =>
    section.startsWith(`<!-- section:${name} -->`),
  );
  if (existing !== undefined) {
    return markdown.replace(existing, () => block);
  }
  const method = markdown.indexOf("## How it is measured");
  return method < 0
    ? `${markdown.trimEnd()}\n\n${block}\n`
    : `${markdown.slice(0, method)}${block}\n\n${markdown.slice(method)}`;
}
