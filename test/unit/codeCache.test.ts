import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type CacheFiles,
  type CodeCacheSettings,
  codeCacheName,
  privateCacheDir,
  readCodeCache,
  realFiles,
  writeCodeCache,
} from "../../src/codeCache.js";

const SOURCE = Buffer.from("module.exports = 1;\n");
const V8_DATA = Buffer.from("v8 cached data, opaque here");

/** The real file system, except that dist/ refuses every write, as a read-only image does. */
function readOnly(dir: string): CacheFiles {
  return {
    ...realFiles,
    writeFile: (file, data, mode) => {
      if (file.startsWith(dir)) {
        throw Object.assign(new Error(`EROFS: read-only file system, open '${file}'`), {
          code: "EROFS",
        });
      }
      realFiles.writeFile(file, data, mode);
    },
  };
}

describe("the code cache files", () => {
  let root: string;
  let settings: CodeCacheSettings;

  beforeEach(() => {
    // Prepare: a dist/ and a temporary directory of this test's own.
    root = mkdtempSync(join(tmpdir(), "code-cache-"));
    mkdirSync(join(root, "dist"));
    mkdirSync(join(root, "tmp"));
    settings = {
      distDir: join(root, "dist"),
      tempDir: join(root, "tmp"),
      v8Version: "12.4.254.21-node.57",
      arch: "x64",
      uid: process.getuid?.(),
    };
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("names the cache after the bundle's hash, the V8 version and the architecture", () => {
    const digest = createHash("sha256").update(SOURCE).digest();

    const lookup = readCodeCache(SOURCE, settings);

    expect(lookup.name).toBe(
      `connector-${digest.toString("hex").slice(0, 16)}-v8-12.4.254.21-node.57-x64.cache`,
    );
    expect(lookup.name).toBe(codeCacheName(digest, settings.v8Version, settings.arch));
    expect(lookup.data).toBeUndefined();
  });

  it("writes into dist/ and reads back V8's data, behind the bundle's hash", () => {
    const written = writeCodeCache(readCodeCache(SOURCE, settings), V8_DATA, settings);

    const again = readCodeCache(SOURCE, settings);
    expect(written).toBe(join(settings.distDir, again.name));
    expect(again.data).toEqual(V8_DATA);
    expect(readFileSync(written as string).subarray(0, 32)).toEqual(again.digest);
    // Nothing but the cache: the temporary file was renamed over it.
    expect(readdirSync(settings.distDir)).toEqual([again.name]);
  });

  it("ignores a cache under the right name whose hash is another bundle's", () => {
    const lookup = readCodeCache(SOURCE, settings);
    const sameLength = Buffer.from("module.exports = 2;\n");
    const other = createHash("sha256").update(sameLength).digest();
    writeFileSync(join(settings.distDir, lookup.name), Buffer.concat([other, V8_DATA]));

    expect(readCodeCache(SOURCE, settings).data).toBeUndefined();
  });

  it("finds no cache for a changed bundle of the same length", () => {
    writeCodeCache(readCodeCache(SOURCE, settings), V8_DATA, settings);

    expect(readCodeCache(Buffer.from("module.exports = 2;\n"), settings).data).toBeUndefined();
  });

  it("ignores a file too short to hold the hash", () => {
    const lookup = readCodeCache(SOURCE, settings);
    writeFileSync(join(settings.distDir, lookup.name), lookup.digest);

    expect(readCodeCache(SOURCE, settings).data).toBeUndefined();
  });

  it("writes into a private folder of the user when dist/ is read-only, and reads it first", () => {
    const files = readOnly(settings.distDir);
    // dist/ keeps the cache V8 rejected; the fresh one must win.
    writeCodeCache(readCodeCache(SOURCE, settings), Buffer.from("rejected"), settings);

    const written = writeCodeCache(
      readCodeCache(SOURCE, settings, files),
      V8_DATA,
      settings,
      files,
    );

    const dir = privateCacheDir(settings);
    expect(written).toBe(join(dir, readCodeCache(SOURCE, settings).name));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(written as string).mode & 0o777).toBe(0o600);
    expect(readCodeCache(SOURCE, settings, files)).toMatchObject({ data: V8_DATA, file: written });
  });

  it("neither reads nor writes a folder of that name that others can write to", () => {
    const files = readOnly(settings.distDir);
    const dir = privateCacheDir(settings);
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const lookup = readCodeCache(SOURCE, settings);
    writeFileSync(join(dir, lookup.name), Buffer.concat([lookup.digest, V8_DATA]));

    expect(readCodeCache(SOURCE, settings, files).data).toBeUndefined();
    expect(writeCodeCache(lookup, V8_DATA, settings, files)).toBeUndefined();
  });

  it("neither reads nor writes a folder of that name that another user owns", () => {
    const other = { ...settings, uid: (settings.uid ?? 0) + 1 };
    const files = readOnly(settings.distDir);
    const dir = privateCacheDir(other);
    mkdirSync(dir, { mode: 0o700 });
    const lookup = readCodeCache(SOURCE, other);
    writeFileSync(join(dir, lookup.name), Buffer.concat([lookup.digest, V8_DATA]));

    expect(readCodeCache(SOURCE, other, files).data).toBeUndefined();
    expect(writeCodeCache(lookup, V8_DATA, other, files)).toBeUndefined();
  });

  it("gives up without throwing, and leaves no temporary file, when no folder takes it", () => {
    const files: CacheFiles = {
      ...realFiles,
      rename: () => {
        throw Object.assign(new Error("EXDEV"), { code: "EXDEV" });
      },
    };

    const written = writeCodeCache(readCodeCache(SOURCE, settings), V8_DATA, settings, files);

    expect(written).toBeUndefined();
    expect(readdirSync(settings.distDir)).toEqual([]);
    expect(readdirSync(privateCacheDir(settings))).toEqual([]);
    expect(existsSync(join(settings.distDir, readCodeCache(SOURCE, settings).name))).toBe(false);
  });
});
