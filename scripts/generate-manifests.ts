/**
 * Writes connector.yaml, assets/*.yaml and actions/*.yaml from the zod schemas and
 * the recorded examples in docs/examples/, and the README's action reference from
 * those. With --check it writes nothing and fails when a committed file differs from
 * what the schemas generate (CI runs it that way).
 */
import { spawnSync } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { stringify } from "yaml";
import { actionReference, withReference } from "./lib/actionReference.js";
import { type ActionExample, buildManifests } from "./lib/manifests.js";

const root = resolve(import.meta.dirname, "..");
const check = process.argv.includes("--check");
const { version } = JSON.parse(await readFile(resolve(root, "package.json"), "utf8")) as {
  version: string;
};

const HEADER = "# Generated from the zod schemas in src/ by `npm run manifests`: do not edit.\n";
const examplesDir = resolve(root, "docs", "examples");
const examples = new Map<string, ActionExample>();
for (const file of (await readdir(examplesDir).catch(() => [])).filter((f) =>
  f.endsWith(".json"),
)) {
  examples.set(
    basename(file, ".json"),
    JSON.parse(await readFile(resolve(examplesDir, file), "utf8")),
  );
}
const stale: string[] = [];
const manifests = await buildManifests(version, examples);
const readmePath = resolve(root, "README.md");
const readme = await readFile(readmePath, "utf8");
const updated = formatMarkdown(withReference(readme, actionReference(manifests)));
if (updated !== readme) {
  if (check) {
    stale.push("README.md (action reference)");
  } else {
    await writeFile(readmePath, updated);
    process.stderr.write("wrote README.md action reference\n");
  }
}
for (const manifest of manifests) {
  const file = resolve(root, manifest.path);
  const text = HEADER + stringify(manifest.content, { lineWidth: 0, aliasDuplicateObjects: false });
  if (check) {
    const committed = await readFile(file, "utf8").catch(() => undefined);
    if (committed !== text) {
      stale.push(manifest.path);
    }
  } else {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    process.stderr.write(`wrote ${manifest.path}\n`);
  }
}
if (stale.length > 0) {
  process.stderr.write(
    `Manifests out of date with the schemas: ${stale.join(", ")}. Run \`npm run manifests\` and commit the result.\n`,
  );
  process.exitCode = 1;
}

/** Markdown as the repository's Biome formats it, so that `biome check` and this agree. */
function formatMarkdown(text: string): string {
  const biome = spawnSync(
    resolve(root, "node_modules", ".bin", "biome"),
    ["format", "--stdin-file-path=README.md"],
    { input: text, encoding: "utf8" },
  );
  if (biome.status !== 0) {
    throw new Error(`biome could not format README.md: ${biome.stderr}`);
  }
  return biome.stdout;
}
