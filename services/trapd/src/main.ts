import { join } from "node:path";
import { openStore } from "@honeymesh/db/open";
import { runService } from "@honeymesh/runtime/service";
import { SOURCE_ROOT } from "@honeymesh/runtime/source-root";
import { limitsFrom } from "./core/limits.ts";
import { TrapHub } from "./core/trap-hub.ts";
import { trapdHealth, trapdMetrics } from "./health.ts";
import { Publisher } from "./publisher.ts";
import * as schema from "@honeymesh/tables/trapd";
import { SessionStore } from "./store/session-store.ts";
import { startTraps } from "./traps.ts";
import { CredentialPolicy } from "./shell/credential-policy.ts";
import { loadPersona } from "./shell/persona.ts";
import { DEFAULT_SHELL_LIMITS } from "./shell/session-limits.ts";
import { shellDeps } from "./shell/shell-session.ts";
import { pruneTranscripts } from "./shell/transcript-prune.ts";

await runService("trapd", {
  async start({ config, bus, logger, tracer }) {
    const store = new SessionStore(openStore({ path: join(config.node.state_dir, "trapd.sqlite"), schema, migrationsFolder: join(SOURCE_ROOT, "services/trapd/drizzle") }));
    let hub: TrapHub | undefined;
    const publisher = new Publisher(bus, tracer, logger, () => hub?.drops.inc("publish_backlog"), config.traps.hit_coalesce_ms);
    hub = new TrapHub(limitsFrom(config.traps), {
      hit: (h) => publisher.hit(h),
      session: (s) => {
        if (!store.add(s)) hub?.drops.inc("store_backlog");
        publisher.session(s);
      },
    });
    hub.start();
    const t = config.traps;
    const limits = { ...DEFAULT_SHELL_LIMITS, maxLines: t.shell.max_lines, maxTranscript: t.shell.transcript_bytes, maxFileBytes: t.shell.quarantine_file_bytes, maxLine: t.max_line_bytes };
    const shell = shellDeps(config.node.state_dir, loadPersona(config.node.state_dir, t.ssh.banner), limits, t.shell.quarantine_max_bytes);
    const traps = await startTraps(config, hub, { policy: CredentialPolicy.from(t), shell });
    for (const [name, s] of Object.entries(traps.state)) if (s !== "listening") logger.error("trap not listening", { trap: name, reason: s });
    logger.info("traps open", traps.state);

    const prune = () => {
      try {
        const n = store.prune(config.traps.retention_days * 86_400_000, config.traps.retention_max_sessions);
        if (n) logger.info("pruned stored sessions", { n });
        // Transcripts: the sessions' age, and at most 10 000 files (a flood of shells cannot fill the disk).
        const t = pruneTranscripts(shell.transcriptDir, config.traps.retention_days * 86_400_000, 10_000);
        if (t) logger.info("pruned transcripts", { n: t });
      } catch (e) {
        logger.warn("prune failed", { err: e as Error });
      }
    };
    prune();
    const pruner = setInterval(prune, config.traps.prune_interval_s * 1000);
    const h = hub;
    return {
      health: () => trapdHealth(traps),
      metrics: () => trapdMetrics(traps, h, publisher, store),
      async stop() {
        clearInterval(pruner);
        traps.stop();
        h.stop();
        publisher.flush();
        store.close();
      },
    };
  },
});
