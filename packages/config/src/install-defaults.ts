import { existsSync } from "node:fs";
import { basename, dirname } from "node:path";

/** Where an installed node (the .deb: executables in /usr/bin) keeps its files. */
export const INSTALLED = {
  config: "/etc/honeymesh/honeymesh.toml",
  state_dir: "/var/lib/honeymesh",
  runtime_dir: "/run/honeymesh",
} as const;

/** From a checkout: ./honeymesh.toml, state in ./data, runtime files in <state>/run. */
export const CHECKOUT = { config: "./honeymesh.toml", state_dir: "./data" } as const;

/**
 * True when this process is an installed HoneyMesh executable (`/usr/bin/honeymesh*`, made by
 * `bun build --compile`) and the working directory has no ./honeymesh.toml of its own. Running
 * the sources with a bun that lives in /usr/bin is a checkout, not an install: the executable's
 * name decides, not only its folder.
 */
export function isInstalled(execPath: string = process.execPath, cwdHasConfig: boolean = existsSync(CHECKOUT.config)): boolean {
  return dirname(execPath) === "/usr/bin" && basename(execPath).startsWith("honeymesh") && !cwdHasConfig;
}

export function defaultConfigPath(installed: boolean = isInstalled()): string {
  return installed ? INSTALLED.config : CHECKOUT.config;
}

export function defaultStateDir(installed: boolean = isInstalled()): string {
  return installed ? INSTALLED.state_dir : CHECKOUT.state_dir;
}

/**
 * The directory of the bus and API sockets when the config does not place them: /run/honeymesh
 * for an installed node (tmpfiles.d makes it 01770 root:honeymesh at boot, a tmpfs, so no stale
 * socket survives a reboot; compose shares it between containers as a volume), undefined from a
 * checkout, where the sockets live in `<state_dir>/run` (`[bus] socket` = "run/bus.sock").
 */
export function defaultRuntimeDir(installed: boolean = isInstalled()): string | undefined {
  return installed ? INSTALLED.runtime_dir : undefined;
}
