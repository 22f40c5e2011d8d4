import { Type, type Static } from "@sinclair/typebox";

const HostPort = Type.String({ pattern: "^(\\[[0-9a-fA-F:.]+\\]|[^:\\s]+):[0-9]{1,5}$", description: "host:port" });

const Trap = (port: number, banner: string) =>
  Type.Object(
    {
      enabled: Type.Boolean({ default: true }),
      port: Type.Integer({ minimum: 1, maximum: 65535, default: port }),
      banner: Type.String({ maxLength: 512, default: banner }),
    },
    { default: {} },
  );

/** Every config section and key (DESIGN §6). Defaults make an empty file a safe node. */
export const ConfigSchema = Type.Object({
  node: Type.Object(
    {
      id: Type.String({ default: "", maxLength: 64, pattern: "^[A-Za-z0-9._-]*$", description: "empty = generated once into the state dir" }),
      state_dir: Type.String({ default: "./data", minLength: 1 }),
      log_level: Type.Union([Type.Literal("debug"), Type.Literal("info"), Type.Literal("warn"), Type.Literal("error")], { default: "info" }),
      health_interval_s: Type.Number({ minimum: 0.2, maximum: 300, default: 5 }),
    },
    { default: {} },
  ),
  bus: Type.Object(
    {
      listen: Type.String({ ...HostPort, default: "127.0.0.1:7883" }),
      token_ttl_s: Type.Integer({ minimum: 30, maximum: 86400, default: 300 }),
      message_ttl_s: Type.Integer({ minimum: 1, maximum: 3600, default: 60 }),
    },
    { default: {} },
  ),
  api: Type.Object(
    {
      listen: Type.String({ ...HostPort, default: "127.0.0.1:7880" }),
      tls_cert: Type.String({ default: "" }),
      tls_key: Type.String({ default: "" }),
    },
    { default: {} },
  ),
  enforcer: Type.Object(
    {
      interfaces: Type.Array(Type.String({ pattern: "^[A-Za-z0-9_.:@-]{1,15}$" }), { default: [], description: "empty = the default-route interface" }),
      mode: Type.Union([Type.Literal("test"), Type.Literal("enforce"), Type.Literal("lockdown")], { default: "test" }),
      xdp_mode: Type.Union([Type.Literal("auto"), Type.Literal("native"), Type.Literal("generic")], { default: "auto" }),
      pin_root: Type.String({ default: "/sys/fs/bpf/honeymesh" }),
      bpf_object: Type.String({ default: "", description: "empty = bpf/build/honeymesh.bpf.o of this checkout" }),
      keep_on_stop: Type.Boolean({ default: false }),
      reap_interval_s: Type.Number({ minimum: 0.1, maximum: 3600, default: 1 }),
    },
    { default: {} },
  ),
  traps: Type.Object(
    {
      ssh: Trap(2222, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"),
      telnet: Trap(2323, "Debian GNU/Linux 12"),
      ftp: Trap(2121, "220 (vsFTPd 3.0.3)"),
      http: Trap(8081, "nginx/1.22.1"),
      smtp: Trap(2525, "220 mail.example.com ESMTP Postfix (Debian/GNU)"),
      redis: Trap(6380, "7.0.15"),
      mysql: Trap(3307, "8.0.36-0+deb12u1"),
      generic: Type.Object(
        {
          enabled: Type.Boolean({ default: false }),
          ports: Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }), { default: [], maxItems: 64 }),
          banner: Type.String({ maxLength: 512, default: "" }),
        },
        { default: {} },
      ),
    },
    { default: {} },
  ),
  scan: Type.Object(
    {
      ports_threshold: Type.Integer({ minimum: 2, maximum: 1024, default: 3 }),
      window_s: Type.Integer({ minimum: 1, maximum: 86400, default: 60 }),
    },
    { default: {} },
  ),
  bans: Type.Object(
    {
      default_ttl_s: Type.Integer({ minimum: 1, maximum: 315_360_000, default: 86400 }),
      escalation: Type.Number({ minimum: 1, maximum: 100, default: 2, description: "factor per repeat offence" }),
      max_ttl_s: Type.Integer({ minimum: 1, maximum: 315_360_000, default: 2_592_000 }),
    },
    { default: {} },
  ),
  allow: Type.Object(
    {
      cidrs: Type.Array(Type.String({ maxLength: 64 }), { default: [], maxItems: 4096 }),
    },
    { default: {} },
  ),
  mesh: Type.Object(
    {
      listen: Type.String({ ...HostPort, default: "0.0.0.0:7946" }),
      bootstrap: Type.Array(Type.String({ maxLength: 256 }), { default: [], maxItems: 256 }),
      cluster: Type.String({ default: "default", pattern: "^[A-Za-z0-9._-]{1,64}$" }),
      cluster_key_file: Type.String({ default: "" }),
      share: Type.Array(Type.String(), { default: ["TRAP", "SCAN", "BRUTEFORCE", "ENTROPY", "MANUAL"] }),
      trust: Type.String({ default: "observe", pattern: "^(observe|enforce|corroborate:[0-9]{1,2})$" }),
    },
    { default: {} },
  ),
  /** Filled from the standard OTEL_EXPORTER_OTLP_* variables, not from the file. */
  telemetry: Type.Object(
    {
      otlp_traces_endpoint: Type.String({ default: "" }),
      otlp_headers: Type.String({ default: "" }),
    },
    { default: {} },
  ),
});

export type Config = Static<typeof ConfigSchema>;
export type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
export type FrozenConfig = DeepReadonly<Config> & { readonly path: string };
