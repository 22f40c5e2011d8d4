import { readFileSync } from "node:fs";
import type { FrozenConfig } from "@honeymesh/config/schema";
import { NotifyError } from "@honeymesh/notify/errors";
import { postRequest } from "@honeymesh/notify/http-send";
import { Notifier } from "@honeymesh/notify/notifier";
import { httpRequest, messageBody, messageTitle, type Message } from "@honeymesh/notify/payload";
import { sendMail } from "@honeymesh/notify/smtp";

export type TargetConfig = FrozenConfig["notify"][string];

/** A `[notify.<name>]` table → its delivery function; a missing key is a NotifyError naming it. */
export function deliveryFor(name: string, t: TargetConfig, node: string): (m: Message) => Promise<void> {
  const key = (k: string) => `notify.${name}.${k}`;
  if (t.type === "email") {
    if (!t.smtp_host) throw new NotifyError("NOTIFY_CONFIG", `${key("smtp_host")} is required for type = "email"`, false);
    if (!t.smtp_from) throw new NotifyError("NOTIFY_CONFIG", `${key("smtp_from")} is required for type = "email"`, false);
    if (t.smtp_to.length === 0) throw new NotifyError("NOTIFY_CONFIG", `${key("smtp_to")} needs at least one address for type = "email"`, false);
    let ca: string | undefined;
    if (t.smtp_ca_file) {
      try {
        ca = readFileSync(t.smtp_ca_file, "utf8");
      } catch (e) {
        throw new NotifyError("NOTIFY_CONFIG", `${key("smtp_ca_file")} = "${t.smtp_ca_file}": ${(e as Error).message}`, false);
      }
    }
    const opts = { host: t.smtp_host, port: t.smtp_port, tls: t.smtp_tls, user: t.smtp_user, password: t.smtp_password, from: t.smtp_from, to: t.smtp_to, timeoutMs: t.timeout_s * 1000, ca };
    return (m) => sendMail(opts, messageTitle(node, m), messageBody(m));
  }
  if (!t.url) throw new NotifyError("NOTIFY_CONFIG", `${key("url")} is required for type = "${t.type}"`, false);
  const target = { type: t.type, url: t.url, secret: t.secret, template: t.template, node };
  return (m) => postRequest(httpRequest(target, m), t.timeout_s * 1000);
}

export function notifierFor(name: string, t: TargetConfig, node: string): Notifier {
  return new Notifier({ deliver: deliveryFor(name, t, node), flushMs: t.flush_s * 1000, itemiseMax: t.itemise_max, ratePerMin: t.rate_per_min, maxQueue: t.max_queue, maxOutbox: 100, retries: t.retries, backoffMs: 1000 });
}
