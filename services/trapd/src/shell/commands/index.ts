import type { CommandFn } from "../shell.ts";
import { BUILTINS } from "./builtins.ts";
import { FILES } from "./files.ts";
import { INFO } from "./info.ts";
import { COMMAND_NAMES } from "./names.ts";
import { NET } from "./net.ts";
import { SYSTEM } from "./system.ts";

/** Every command of the fake shell, by name (one file per family). */
export const COMMANDS = new Map<string, CommandFn>(Object.entries({ ...SYSTEM, ...NET, ...FILES, ...INFO, ...BUILTINS }));
for (const k of COMMANDS.keys()) COMMAND_NAMES.add(k);
