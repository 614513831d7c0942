/**
 * Where the bundle's V8 code cache lives, and how it is checked before use.
 *
 * V8 accepts cached data made by the same V8 version with the same V8 flags, and of the
 * source it checks only the length: a same-length change to the bundle would run the
 * old cached code. So a cache is named after the bundle's content hash, the V8 version
 * and the architecture (never the Node version: patches of one Node line share a V8),
 * and its first 32 bytes repeat the bundle's SHA-256, compared before V8 sees the rest.
 *
 * The image build leaves the cache in dist/. A run whose cache is missing or rejected
 * (V8 flags in NODE_OPTIONS, such as `--max-old-space-size`, reject it) writes a fresh
 * one at exit: into dist/ when it is writable, else into a private folder of the
 * current user under the temporary directory, which is read first.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  type Stats,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

/** Where caches are looked for and written, and what names them. */
export interface CodeCacheSettings {
  /** The bundle's folder, dist/, where the image build writes the cache. */
  distDir: string;
  /** The temporary directory that holds the per-user folder when dist/ is not writable. */
  tempDir: string;
  /** `process.versions.v8`. */
  v8Version: string;
  /** `process.arch`. */
  arch: string;
  /** The current user's id, `process.getuid()`; undefined where there is none. */
  uid: number | undefined;
}

/** The file operations the cache needs; tests may make a folder refuse writes. */
export interface CacheFiles {
  readFile(file: string): Buffer;
  writeFile(file: string, data: Buffer, mode: number): void;
  rename(from: string, to: string): void;
  unlink(file: string): void;
  mkdir(dir: string, mode: number): void;
  lstat(file: string): Stats;
}

/** The real file system. */
export const realFiles: CacheFiles = {
  readFile: (file) => readFileSync(file),
  writeFile: (file, data, mode) => writeFileSync(file, data, { mode, flag: "wx" }),
  rename: (from, to) => renameSync(from, to),
  unlink: (file) => unlinkSync(file),
  mkdir: (dir, mode) => mkdirSync(dir, { mode }),
  lstat: (file) => lstatSync(file),
};

/** What a lookup found for one bundle. */
export interface CodeCacheLookup {
  /** The cache file's name for this bundle, V8 version and architecture. */
  name: string;
  /** The bundle's SHA-256. */
  digest: Buffer;
  /** V8's cached data when a cache of exactly this bundle was found, else undefined. */
  data: Buffer | undefined;
  /** The file it came from. */
  file: string | undefined;
}

const DIGEST_BYTES = 32;

/**
 * The cache file's name: the first 16 hex digits of the bundle's SHA-256, the V8
 * version and the architecture.
 *
 * @example
 * ```ts
 * codeCacheName(digest, "12.4.254.21-node.57", "x64");
 * // "connector-3f2a…-v8-12.4.254.21-node.57-x64.cache"
 * ```
 */
export function codeCacheName(digest: Buffer, v8Version: string, arch: string): string {
  return `connector-${digest.toString("hex").slice(0, 16)}-v8-${v8Version}-${arch}.cache`;
}

/** The current user's own folder under the temporary directory. */
export function privateCacheDir(settings: CodeCacheSettings): string {
  return join(settings.tempDir, `amazon-aws-lambda-connector-${settings.uid ?? "user"}`);
}

/**
 * Finds the cache of `source`: the private folder first (it holds what a run wrote when
 * dist/ was not writable), then dist/. A file whose leading hash is not the bundle's is
 * ignored, as if missing.
 */
export function readCodeCache(
  source: Buffer,
  settings: CodeCacheSettings,
  files: CacheFiles = realFiles,
): CodeCacheLookup {
  const digest = createHash("sha256").update(source).digest();
  const name = codeCacheName(digest, settings.v8Version, settings.arch);
  const privateDir = privateCacheDir(settings);
  const dirs = isPrivateDir(privateDir, settings.uid, files)
    ? [privateDir, settings.distDir]
    : [settings.distDir];
  for (const dir of dirs) {
    const file = join(dir, name);
    const data = readIfOf(file, digest, files);
    if (data !== undefined) {
      return { name, digest, data, file };
    }
  }
  return { name, digest, data: undefined, file: undefined };
}

/**
 * Writes `data`, V8's cached data for the bundle of `lookup`, under the digest header:
 * to a temporary file then renamed over the cache, so that a reader never sees half a
 * file. Into dist/ when it is writable, else into the private folder (made 0700 when
 * missing, and used only when it is the current user's and nobody else's).
 *
 * @returns the file written, or undefined when no folder took it; it never throws.
 */
export function writeCodeCache(
  lookup: CodeCacheLookup,
  data: Buffer,
  settings: CodeCacheSettings,
  files: CacheFiles = realFiles,
): string | undefined {
  const contents = Buffer.concat([lookup.digest, data]);
  const inDist = join(settings.distDir, lookup.name);
  if (writeAtomically(inDist, contents, 0o644, files)) {
    return inDist;
  }
  const privateDir = privateCacheDir(settings);
  try {
    files.mkdir(privateDir, 0o700);
  } catch {
    // Already there (checked next), or the temporary directory refuses it.
  }
  if (!isPrivateDir(privateDir, settings.uid, files)) {
    return undefined;
  }
  const inPrivate = join(privateDir, lookup.name);
  return writeAtomically(inPrivate, contents, 0o600, files) ? inPrivate : undefined;
}

function readIfOf(file: string, digest: Buffer, files: CacheFiles): Buffer | undefined {
  let contents: Buffer;
  try {
    contents = files.readFile(file);
  } catch {
    return undefined;
  }
  if (contents.length <= DIGEST_BYTES || !contents.subarray(0, DIGEST_BYTES).equals(digest)) {
    return undefined;
  }
  return contents.subarray(DIGEST_BYTES);
}

/**
 * Cached data is code V8 will run: a folder another user could write to (or swap for a
 * link) could plant it. Only a real directory owned by the current user, closed to
 * group and others, holds caches.
 */
function isPrivateDir(dir: string, uid: number | undefined, files: CacheFiles): boolean {
  try {
    const stats = files.lstat(dir);
    return (
      stats.isDirectory() && (uid === undefined || stats.uid === uid) && (stats.mode & 0o077) === 0
    );
  } catch {
    return false;
  }
}

function writeAtomically(file: string, contents: Buffer, mode: number, files: CacheFiles): boolean {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    files.writeFile(temporary, contents, mode);
    files.rename(temporary, file);
    return true;
  } catch {
    try {
      files.unlink(temporary);
    } catch {
      // Never created.
    }
    return false;
  }
}
