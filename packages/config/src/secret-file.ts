import { readFileSync, statSync } from "node:fs";
import { ConfigError } from "./errors.ts";

/**
 * A secret named by a `*_file` key (an API key): read from a file only its owner may read, so it
 * never sits in the config, argv, the environment or a log. A group- or world-readable file is
 * refused, as meshd refuses its cluster key. The value is the file's first line, trimmed.
 */
export function readSecretFile(path: string, key: string): string {
  let text: string;
  try {
    const st = statSync(path);
    // A regular, small file: a key_file naming /dev/zero or a FIFO must not hang the start.
    if (!st.isFile() || st.size > 65_536) throw new Error("it is not a regular file of at most 64 KiB");
    if ((st.mode & 0o077) !== 0) throw new Error("it is readable by group or others (chmod 600 it)");
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError("CONFIG_READ", `${key} = "${path}": ${(e as Error).message}`, key);
  }
  const value = (text.split("\n")[0] ?? "").trim();
  if (!value || value.length > 4096) throw new ConfigError("CONFIG_INVALID", `${key} = "${path}": expected one non-empty line of at most 4096 characters`, key);
  return value;
}
