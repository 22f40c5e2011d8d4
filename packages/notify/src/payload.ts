import { describe, describeDigest, type Digest, type NotifyEvent } from "./events.ts";
import { signBody, SIGNATURE_HEADER } from "./sign.ts";

export type Message = { kind: "event"; event: NotifyEvent } | { kind: "digest"; digest: Digest };

export interface HttpTarget {
  type: "webhook" | "slack" | "discord" | "ntfy";
  url: string;
  /** HMAC key for webhooks; empty = unsigned. */
  secret: string;
  /** Webhook body template; empty = the JSON document. */
  template: string;
  node: string;
}

export interface HttpRequestSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function messageText(m: Message): string {
  return m.kind === "event" ? describe(m.event) : describeDigest(m.digest);
}

export function messageTitle(node: string, m: Message): string {
  return m.kind === "digest" ? `HoneyMesh ${node}: ${m.digest.total} events` : `HoneyMesh ${node}: ${m.event.type}`;
}

/** The text of a digest with its sample lines, for chat and email. */
export function messageBody(m: Message): string {
  if (m.kind === "event") return describe(m.event);
  return [describeDigest(m.digest), ...m.digest.sample.map((s) => `• ${s}`), m.digest.total > m.digest.sample.length ? `… and ${m.digest.total - m.digest.sample.length} more` : ""].filter(Boolean).join("\n");
}

/** JSON string content (no quotes), for `{{…}}` inside a JSON template. */
const jsonText = (s: string) => JSON.stringify(s).slice(1, -1);

/**
 * `{{text}}`, `{{title}}`, `{{node}}`, `{{kind}}` become JSON-escaped text (write them inside
 * quotes), `{{json}}` the whole message as JSON; anything else is left as it is.
 */
export function renderTemplate(template: string, node: string, m: Message): string {
  const vars: Record<string, string> = { text: jsonText(messageBody(m)), title: jsonText(messageTitle(node, m)), node: jsonText(node), kind: m.kind === "event" ? m.event.type : "digest", json: JSON.stringify(m.kind === "event" ? m.event : m.digest) };
  return template.replace(/\{\{(text|title|node|kind|json)\}\}/g, (_, k: string) => vars[k]!);
}

/** The HTTP request for one message to one target (webhook, Slack, Discord, ntfy). */
export function httpRequest(t: HttpTarget, m: Message, nowS = Math.floor(Date.now() / 1000)): HttpRequestSpec {
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "honeymesh-notify" };
  let body: string;
  switch (t.type) {
    case "slack":
      // Slack incoming webhooks: https://api.slack.com/messaging/webhooks
      body = JSON.stringify({ text: `*${messageTitle(t.node, m)}*\n${messageBody(m)}`.slice(0, 3000) });
      break;
    case "discord":
      // Discord webhooks: `content` holds at most 2000 characters.
      body = JSON.stringify({ content: `**${messageTitle(t.node, m)}**\n${messageBody(m)}`.slice(0, 2000) });
      break;
    case "ntfy":
      // ntfy: the body is the message; title and tags go in headers (https://docs.ntfy.sh/publish/).
      headers["content-type"] = "text/plain; charset=utf-8";
      headers.title = messageTitle(t.node, m).replace(/[^\x20-\x7e]/g, "?");
      headers.tags = m.kind === "digest" || m.event.type !== "test" ? "rotating_light" : "white_check_mark";
      headers.priority = m.kind === "digest" ? "4" : "3";
      body = messageBody(m).slice(0, 4000);
      break;
    default:
      body = t.template
        ? renderTemplate(t.template, t.node, m)
        : JSON.stringify({ node: t.node, kind: m.kind === "event" ? m.event.type : "digest", text: messageBody(m), ...(m.kind === "event" ? { event: m.event } : { digest: m.digest }) });
      headers["x-honeymesh-event"] = m.kind === "event" ? m.event.type : "digest";
      if (t.secret) headers[SIGNATURE_HEADER] = signBody(t.secret, body, nowS);
  }
  return { url: t.url, headers, body };
}
