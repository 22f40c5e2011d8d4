#!/usr/bin/env bun
import { boot } from "@honeymesh/runtime/boot";
import { outputFormat, parseArgs } from "./args.ts";
import { HELP, usage, verbHelp } from "./help.ts";
import { VERSION } from "./version.ts";
import { ApiClient, findToken, localSocket } from "./api/client.ts";
import { configCheckCommand } from "./commands/config-check.ts";
import { modeCommand } from "./commands/mode.ts";
import { nodeStatusCommand } from "./commands/node-status.ts";
import { demoCommand } from "./commands/demo.ts";
import { downCommand } from "./commands/down.ts";
import { meshCommand } from "./commands/mesh-keygen.ts";
import { jailsCommand } from "./commands/jails.ts";
import { jailsImportCommand } from "./commands/jails-import.ts";
import { regexCommand } from "./commands/regex.ts";
import { watchCommand } from "./demo/watch.ts";
import { upCommand } from "./commands/up.ts";
import { API_BOOLEANS, API_VALUED, API_VERBS, runApiVerb } from "./commands/api-verbs.ts";
import { CliError } from "./errors.ts";
import { loadConfigOrExit } from "./config-load.ts";
import { waitBusCommand } from "./commands/wait-bus.ts";

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ["foreground", "json", "help", "version", "print-all-missed", ...API_BOOLEANS], ["config", "out", "timeout", "address", ...API_VALUED]);
  const [verb] = args.positionals;
  if (args.flags.has("version")) {
    process.stdout.write(`honeymesh ${VERSION}\n`);
    return 0;
  }
  if (verb === "help" || (args.flags.has("help") && verb)) {
    const topic = verb === "help" ? args.positionals[1] : verb;
    if (!topic) {
      process.stdout.write(usage(VERSION));
      return 0;
    }
    const text = verbHelp(topic);
    if (!text) throw new CliError("USAGE", `unknown command ${topic} (see honeymesh --help)`);
    process.stdout.write(text);
    return 0;
  }
  if (!verb || args.flags.has("help")) {
    (verb || args.flags.has("help") ? process.stdout : process.stderr).write(usage(VERSION));
    return args.flags.has("help") ? 0 : 2;
  }
  if (!HELP[verb] && verb !== "__watch") throw new CliError("USAGE", `unknown command ${verb} (see honeymesh --help)`);
  const out = outputFormat(args);
  if (verb === "regex") return regexCommand(args.positionals.slice(1), out !== "table" || args.flags.has("json"), args.flags.has("print-all-missed"));
  // Reads Fail2Ban's files only: no config, no keys, works before the node is installed.
  if (verb === "jails" && args.positionals[1] === "import") return jailsImportCommand(args.positionals.slice(2), out);
  if (verb === "mesh") return meshCommand(args.positionals.slice(1), args.flags.get("out"));
  const configPath = args.flags.get("config");
  const configArgs = typeof configPath === "string" ? ["--config", configPath] : [];
  // Before boot(): config check starts nothing, and boot() creates keys, which a service user
  // running wait-bus as ExecStartPre must not.
  if (verb === "config") {
    if (args.positionals[1] !== "check") throw new CliError("USAGE", `usage: honeymesh ${HELP.config!.usage}`);
    return configCheckCommand(configArgs, process.env);
  }
  if (verb === "wait-bus") return waitBusCommand(loadConfigOrExit(configArgs), Number(args.flags.get("timeout") ?? 30), String(args.flags.get("address") ?? "bus"));
  const { config, nodeId } = await boot(configArgs);
  if (out !== "table") args.flags.set("json", true);
  if (API_VERBS.has(verb)) return runApiVerb(verb, args, config, out);
  switch (verb) {
    case "up":
      return upCommand(config, nodeId, configArgs, args.flags.has("foreground"));
    case "down":
      return downCommand(config);
    case "status":
      return nodeStatusCommand(config, out, tokenFlag(args));
    case "mode": {
      const socket = localSocket(config, tokenFlag(args));
      return modeCommand(new ApiClient(config, socket ? undefined : findToken(config, tokenFlag(args)), socket), args.positionals[1], out);
    }
    case "jails":
      return jailsCommand(config, out !== "table", tokenFlag(args));
    case "demo":
      return demoCommand();
    case "__watch":
      return watchCommand(config, nodeId);
    case "init":
      // boot() above made the node id and every service's key; the package's postinst sets owners.
      process.stdout.write(`node ${nodeId}: keys in ${config.node.state_dir}/keys\n`);
      return 0;
    default:
      throw new CliError("USAGE", `unknown command ${verb} (see honeymesh --help)`);
  }
}

function tokenFlag(args: ReturnType<typeof parseArgs>): string | undefined {
  const t = args.flags.get("token");
  return typeof t === "string" ? t : undefined;
}

try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exit(code);
} catch (e) {
  if (e instanceof CliError) {
    process.stderr.write(`honeymesh: ${e.message}\n`);
    process.exit(e.exitCode);
  }
  process.stderr.write(`honeymesh: ${(e as Error).message}\n`);
  process.exit(1);
}
