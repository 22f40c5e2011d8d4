import type { BusIdentity } from "@honeymesh/schema/services";
import type { BusClient } from "./client.ts";

/**
 * Is the consumer of our messages listening yet? A message on the bus reaches only subscribers
 * that exist when it is published (MQTT 3.1.1 §3.3.5; a persistent session keeps messages for a
 * subscriber that was there before, not for one that has never connected). At boot every service
 * starts at once, so a producer can publish before its consumer has subscribed, and the message
 * is gone: a jail's failure or a ban decision lost. Every service publishes its first health only
 * after its start-up subscriptions are acknowledged (packages/runtime/src/service.ts), so a health
 * message from the consumer means it is listening.
 *
 * The gate opens at the consumer's first health, or after `graceMs` without one (a node without
 * that service must not hold its messages for ever; two health intervals is enough for a running
 * one to be heard; no grace when the messages are useless without the consumer). It never closes
 * again: later outages of the consumer are covered by its persistent session on the broker.
 */
export class PeerGate {
  #open = false;
  #waiters: (() => void)[] = [];
  readonly #timer: ReturnType<typeof setTimeout> | undefined;

  private constructor(graceMs: number | undefined) {
    if (graceMs === undefined) return;
    this.#timer = setTimeout(() => this.#release("grace"), graceMs);
    this.#timer.unref?.();
  }

  /** How the gate opened: "heard" (the consumer's health) or "grace" (timeout); undefined while closed. */
  openedBy: "heard" | "grace" | undefined;

  static async watch(bus: Pick<BusClient, "subscribe">, consumer: BusIdentity, graceMs?: number): Promise<PeerGate> {
    const gate = new PeerGate(graceMs);
    await bus.subscribe(consumer, "health", () => gate.#release("heard"));
    return gate;
  }

  get open(): boolean {
    return this.#open;
  }

  /** Runs fn now when open, else once the gate opens. */
  whenOpen(fn: () => void): void {
    if (this.#open) fn();
    else this.#waiters.push(fn);
  }

  #release(by: "heard" | "grace"): void {
    if (this.#open) return;
    this.#open = true;
    this.openedBy = by;
    clearTimeout(this.#timer);
    const w = this.#waiters;
    this.#waiters = [];
    for (const fn of w) fn();
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}
