import { needs } from "../auth/scope.ts";
import { Elysia, t } from "elysia";
import { NotifyList, NotifyTestAnswer } from "@honeymesh/api/notify";
import { COMMON_PROBLEMS, Problem } from "@honeymesh/api/problem";
import { problem } from "../http/problem.ts";
import { decodeParam, json } from "../http/respond.ts";
import type { NotifyHub } from "../notify/notify-hub.ts";
import type { ReportHub } from "../notify/report-hub.ts";

/** `GET /v1/notify`: the notification targets and their counters; `POST /v1/notify/{name}/test` sends one test message now. */
export function notifyRoutes(hub: NotifyHub, reports: ReportHub) {
  return new Elysia({ name: "notify", normalize: false })
    .get("/v1/notify", () => json({ items: hub.list(), syslog: hub.syslogStats(), reports: reports.list() }), {
      response: { 200: NotifyList, ...COMMON_PROBLEMS },
      detail: { ...needs("read"), summary: "Notification targets: sent, digests, retries, failures, drops, last error; report targets: sent, failed, skipped by rule", tags: ["notify"] },
    })
    .post(
      "/v1/notify/:name/test",
      async ({ params }) => {
        const name = decodeParam(params.name);
        if (!hub.has(name)) return problem(404, { detail: `no [notify.${name.slice(0, 64)}] in the config` });
        try {
          await hub.test(name);
          return json({ name, delivered: true, detail: `test message delivered to ${name}` });
        } catch (e) {
          return problem(502, { detail: `test message to ${name} failed: ${(e as Error).message.slice(0, 300)}` });
        }
      },
      {
        params: t.Object({ name: t.String({ maxLength: 64 }) }),
        response: { 200: NotifyTestAnswer, 404: Problem, 502: Problem, ...COMMON_PROBLEMS },
        detail: { ...needs("write"), summary: "Send a test message to one notification target", tags: ["notify"] },
      },
    );
}
