#!/usr/bin/env bun
import { boot } from "@honeymesh/runtime/boot";
import { parseArgs } from "./args.ts";
import { demoCommand } from "./commands/demo.ts";
import { downCommand } from "./commands/down.ts";
import { meshCommand } from "./commands/mesh-keygen.ts";
import { jailsCommand } from "./commands/jails.ts";
import { regexCommand } from "./commands/regex.ts";
import { watchCommand } from "./demo/watch.ts";
import { statusCommand } from "./commands/status.ts";
import { upCommand } from "./commands/up.ts";
import { API_BOOLEANS, API_USAGE, API_VALUED, API_VERBS, runApiVerb } from "./commands/api-verbs.ts";
import { CliError } from "./errors.ts";

const USAGE = `usage: honeymesh [--config PATH] <command>

commands:
  up [--foreground]   start the node (busd, trapd, scand, enforcerd, meshd, apid, logd)
  down                stop the node
  status [--json]     per service: pid, state, restarts, last health
  mesh keygen [--out PATH]  write a new cluster key for [mesh] cluster_key_file
  jails [--json]      logd's jails: lines, failures, bans, last match, source health
  regex <logfile|line> <filter> [--json] [--print-all-missed]  test a Fail2Ban filter on a log (fail2ban-regex)
  demo                a node and an attacker in two namespaces: scan, brute force, ban, drop (root)
${API_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ["foreground", "json", "help", "print-all-missed", ...API_BOOLEANS], ["config", "out", ...API_VALUED]);
  const [verb] = args.positionals;
  if (!verb || args.flags.has("help")) {
    process.stdout.write(USAGE);
    return verb || args.flags.has("help") ? 0 : 2;
  }
  if (verb === "regex") return regexCommand(args.positionals.slice(1), args.flags.has("json"), args.flags.has("print-all-missed"));
  if (verb === "mesh") return meshCommand(args.positionals.slice(1), args.flags.get("out"));
  const configPath = args.flags.get("config");
  const configArgs = typeof configPath === "string" ? ["--config", configPath] : [];
  const { config, nodeId } = await boot(configArgs);
  if (API_VERBS.has(verb)) return runApiVerb(verb, args, config);
  switch (verb) {
    case "up":
      return upCommand(config, nodeId, configArgs, args.flags.has("foreground"));
    case "down":
      return downCommand(config);
    case "status":
      return statusCommand(config, args.flags.has("json"));
    case "jails":
      return jailsCommand(config, args.flags.has("json"));
    case "demo":
      return demoCommand();
    case "__watch":
      return watchCommand(config, nodeId);
    default:
      throw new CliError("USAGE", `unknown command ${verb}\n\n${USAGE}`);
  }
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
