/**
 * Writes connector.yaml, assets/*.yaml and actions/*.yaml from the zod schemas.
 * With --check it writes nothing and fails when a committed manifest differs from
 * what the schemas generate (CI runs it that way).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { stringify } from "yaml";
import { buildManifests } from "../src/manifests.js";

const root = resolve(import.meta.dirname, "..");
const check = process.argv.includes("--check");
const { version } = JSON.parse(await readFile(resolve(root, "package.json"), "utf8")) as {
  version: string;
};

const HEADER = "# Generated from the zod schemas in src/ by `npm run manifests`: do not edit.\n";
const stale: string[] = [];
for (const manifest of buildManifests(version)) {
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
