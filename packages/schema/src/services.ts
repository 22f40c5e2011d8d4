/** The processes of one node. Each one is also a bus identity (username, key, topic prefix). */
export const SERVICES = ["busd", "trapd", "scand", "enforcerd", "meshd", "apid", "logd"] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Bus identities that are not supervised services: the operator CLI / supervisor. */
export const CLIENT_IDENTITIES = ["honeymesh"] as const;
export type BusIdentity = ServiceName | (typeof CLIENT_IDENTITIES)[number];
export const BUS_IDENTITIES: readonly BusIdentity[] = [...SERVICES, ...CLIENT_IDENTITIES];

export function isBusIdentity(value: string): value is BusIdentity {
  return (BUS_IDENTITIES as readonly string[]).includes(value);
}
