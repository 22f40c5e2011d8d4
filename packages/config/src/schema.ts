import { Type, type Static } from "@sinclair/typebox";

const HostPort = Type.String({ pattern: "^(\\[[0-9a-fA-F:.]+\\]|[^:\\s]+):[0-9]{1,5}$", description: "host:port" });

const Duration = (def: string, description = "seconds, or a number with s/m/h/d") =>
  Type.Union([Type.Number({ minimum: 0, maximum: 31_536_000 }), Type.String({ pattern: "^[0-9]+(\\.[0-9]+)?[smhd]?$" })], { default: def, description });

const Trap = (port: number, banner: string) =>
  Type.Object(
    {
      enabled: Type.Boolean({ default: true }),
      port: Type.Integer({ minimum: 1, maximum: 65535, default: port }),
      banner: Type.String({ maxLength: 512, default: banner }),
    },
    { default: {} },
  );

/**
 * Logins that open the traps' fake shell by default: the weak root passwords and the IoT factory
 * credentials botnets try first (Mirai's list), as Cowrie's userdb lets root in with most passwords.
 */
const DEFAULT_TRAP_CREDENTIALS = [
  "root:root", "root:toor", "root:admin", "root:password", "root:123456", "root:12345", "root:1234", "root:12345678", "root:123456789",
  "root:111111", "root:1", "root:qwerty", "root:default", "root:pass", "root:changeme", "root:raspberry", "root:ubuntu", "root:debian",
  "root:xc3511", "root:vizxv", "root:888888", "root:xmhdipc", "root:juantech", "root:54321", "root:666666", "root:klv123", "root:anko",
  "root:Zte521", "root:hi3518", "root:jvbzd", "root:7ujMko0admin", "root:system", "root:ikwb", "root:dreambox", "root:user", "root:realtek",
  "root:00000000", "root:1111", "admin:admin", "admin:password", "admin:1234", "admin:12345", "admin:admin1234", "admin:smcadmin",
  "admin:1111", "admin:123456", "support:support", "user:user", "guest:guest", "guest:12345", "ubnt:ubnt", "pi:raspberry",
  "service:service", "supervisor:supervisor", "default:default", "Administrator:admin",
];

/** Every config section and key (DESIGN §6). Defaults make an empty file a safe node. */
export const ConfigSchema = Type.Object({
  node: Type.Object(
    {
      id: Type.String({ default: "", maxLength: 64, pattern: "^[A-Za-z0-9._-]*$", description: "empty = generated once into the state dir" }),
      state_dir: Type.String({ default: "./data", minLength: 1 }),
      log_level: Type.Union([Type.Literal("debug"), Type.Literal("info"), Type.Literal("warn"), Type.Literal("error")], { default: "info" }),
      health_interval_s: Type.Number({ minimum: 0.2, maximum: 300, default: 5 }),
      resolv_conf: Type.String({ default: "/etc/resolv.conf", maxLength: 4096, description: "where the node's resolvers are listed (their nameserver lines join the protected set)" }),
      ntp_confs: Type.Array(Type.String({ maxLength: 4096 }), {
        default: ["/etc/systemd/timesyncd.conf", "/etc/chrony/chrony.conf", "/etc/chrony.conf", "/etc/ntp.conf"],
        maxItems: 16,
        description: "NTP configuration files whose literal server addresses join the protected set (no DNS lookups)",
      }),
      memory_hint_mb: Type.Integer({ minimum: 0, maximum: 65536, default: 256, description: "RAM size each service's JS engine plans its heap for (BUN_JSC_forceRAMSize); 0 = the machine's" }),
    },
    { default: {} },
  ),
  bus: Type.Object(
    {
      listen: Type.String({ pattern: `^$|${HostPort.pattern}`, default: "127.0.0.1:7883", description: "host:port of the broker's TCP listener (for compose and tools); empty = no TCP listener" }),
      socket: Type.String({ default: "run/bus.sock", maxLength: 100, description: "the broker's Unix socket (relative paths are under the state dir); services use it when set; empty = none, services use TCP" }),
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
      token: Type.String({ default: "", maxLength: 4096, description: "the CLI's API token (else the node's admin token from the state dir); usually set as HONEYMESH_API_TOKEN" }),
      decision_timeout_ms: Type.Integer({ minimum: 100, maximum: 30_000, default: 2000, description: "how long a write waits for enforcerd's result" }),
      max_body_bytes: Type.Integer({ minimum: 1024, maximum: 16_777_216, default: 65_536 }),
      auth_failures_per_min: Type.Integer({ minimum: 1, maximum: 100_000, default: 30, description: "failed authentications per source and minute before 429" }),
      auth_failures_per_min_loopback: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 600, description: "the same budget for loopback sources (local tools share one address)" }),
      socket: Type.String({ default: "", maxLength: 100, description: "Unix socket for the local CLI and Fail2Ban (0660, group honeymesh; a peer that can open it is admin); empty = <state_dir>/run/api.sock" }),
      insecure: Type.Boolean({ default: false, description: "allow listen on a non-loopback address without TLS (tokens then cross the network in clear)" }),
      allow_min_prefix_v4: Type.Integer({ minimum: 0, maximum: 32, default: 8, description: "IPv4 allowlist entries broader than this prefix need force" }),
      allow_min_prefix_v6: Type.Integer({ minimum: 0, maximum: 128, default: 16, description: "IPv6 allowlist entries broader than this prefix need force" }),
      stream_clients: Type.Integer({ minimum: 1, maximum: 10_000, default: 64 }),
      stream_queue: Type.Integer({ minimum: 16, maximum: 1_000_000, default: 1024, description: "events buffered per stream client before drops" }),
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
      fast_path: Type.Boolean({
        // Off by default: under a 50 000-source storm, recording the kernel's own bans costs
        // enforcerd seconds of lag and ~700 MB (bench/storm); the userspace path stays under 1 s.
        default: false,
        description: "in enforce mode the XDP program bans a source itself (SCAN, [scan] unverified_ttl_s) when it crosses the scan threshold, so its next packet is dropped; enforcerd records the ban. [scan] syn_only = observe turns it off",
      }),
    },
    { default: {} },
  ),
  traps: Type.Object(
    {
      bind: Type.String({ default: "::", maxLength: 64, description: "address every trap binds; :: = all IPv4 and IPv6" }),
      max_concurrent: Type.Integer({
        minimum: 1,
        maximum: 100_000,
        default: 2048,
        description: "concurrent sessions over all traps; when full, the oldest idle session of the heaviest prefix's heaviest source is closed (end_reason evicted) for a newcomer whose prefix holds fewer",
      }),
      max_concurrent_per_source: Type.Integer({ minimum: 1, maximum: 100_000, default: 32, description: "concurrent sessions from one source address" }),
      max_concurrent_per_prefix: Type.Integer({ minimum: 1, maximum: 100_000, default: 128, description: "concurrent sessions from one network: the /24 of an IPv4 source, the /64 of an IPv6 one" }),
      idle_timeout_s: Type.Number({ minimum: 0.1, maximum: 3600, default: 30 }),
      session_timeout_s: Type.Number({ minimum: 0.1, maximum: 86400, default: 300 }),
      max_bytes_in: Type.Integer({ minimum: 1024, maximum: 1_073_741_824, default: 1_048_576 }),
      max_line_bytes: Type.Integer({ minimum: 64, maximum: 1_048_576, default: 8192 }),
      hit_coalesce_ms: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 1000, description: "at most one published hit per source and port per window (0 = every connection)" }),
      payload_sample_bytes: Type.Integer({ minimum: 0, maximum: 8192, default: 4096 }),
      auth_delay_ms: Type.Integer({ minimum: 0, maximum: 30_000, default: 800 }),
      retention_days: Type.Number({ minimum: 0.001, maximum: 3650, default: 30 }),
      retention_max_sessions: Type.Integer({ minimum: 100, maximum: 100_000_000, default: 1_000_000 }),
      prune_interval_s: Type.Number({ minimum: 0.1, maximum: 86400, default: 60 }),
      ssh: Trap(2222, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"),
      telnet: Trap(2323, "Debian GNU/Linux 12"),
      ftp: Trap(2121, "220 (vsFTPd 3.0.3)"),
      http: Trap(8081, "nginx/1.22.1"),
      smtp: Trap(2525, "220 mail.example.com ESMTP Postfix (Debian/GNU)"),
      redis: Trap(6380, "7.0.15"),
      mysql: Trap(3307, "8.0.36-0+deb12u1"),
      credentials: Type.Object(
        {
          accept: Type.Array(Type.String({ minLength: 2, maxLength: 128, pattern: "^[^:]+:" }), {
            default: DEFAULT_TRAP_CREDENTIALS,
            maxItems: 4096,
            description: "user:password pairs that open the fake shell on the SSH and Telnet traps (password * = any; every attempt is recorded either way)",
          }),
          remember_sources: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 10_000, description: "sources whose login outcomes are remembered (LRU): a credential that worked keeps working, one that failed keeps failing" }),
        },
        { default: {} },
      ),
      shell: Type.Object(
        {
          enabled: Type.Boolean({ default: true, description: "accepted SSH/Telnet logins get the fake shell (nothing is ever run); false = every login is refused" }),
          max_lines: Type.Integer({ minimum: 1, maximum: 100_000, default: 512, description: "command lines per session" }),
          transcript_bytes: Type.Integer({ minimum: 0, maximum: 16_777_216, default: 262_144, description: "asciinema v2 transcript per session (0 = none)" }),
          quarantine_file_bytes: Type.Integer({ minimum: 0, maximum: 67_108_864, default: 1_048_576, description: "largest upload or dropped file kept in quarantine (bigger: hash only)" }),
          quarantine_max_bytes: Type.Integer({ minimum: 0, maximum: 68_719_476_736, default: 268_435_456, description: "quarantine directory total" }),
        },
        { default: {} },
      ),
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
      trap_touch: Type.Boolean({ default: true, description: "any contact with a trap bans (TRAP)" }),
      trap_touch_delay_s: Type.Number({ minimum: 0, maximum: 600, default: 5, description: "grace before a trap touch alone bans, so the trap records what the attacker tries; other evidence bans at once" }),
      low_slow_ports: Type.Integer({ minimum: 2, maximum: 65535, default: 12, description: "distinct ports, decayed over low_slow_window_s" }),
      low_slow_window_s: Type.Integer({ minimum: 60, maximum: 2_592_000, default: 86400 }),
      bruteforce_attempts: Type.Integer({ minimum: 1, maximum: 10_000, default: 5, description: "login attempts across traps" }),
      bruteforce_window_s: Type.Integer({ minimum: 1, maximum: 86400, default: 600 }),
      entropy_threshold: Type.Number({ minimum: 0, maximum: 8, default: 7.2, description: "bits per byte" }),
      entropy_min_bytes: Type.Integer({ minimum: 16, maximum: 1_048_576, default: 256 }),
      subnet_v4: Type.Boolean({ default: false, description: "ban the /subnet_v4_prefix when enough of its addresses are banned" }),
      subnet_v4_prefix: Type.Integer({ minimum: 8, maximum: 31, default: 24 }),
      subnet_v6: Type.Boolean({ default: true }),
      subnet_v6_prefix: Type.Integer({ minimum: 16, maximum: 127, default: 64 }),
      subnet_threshold: Type.Integer({ minimum: 2, maximum: 65536, default: 3, description: "banned addresses in one prefix" }),
      subnet_window_s: Type.Integer({ minimum: 1, maximum: 604_800, default: 3600 }),
      max_sources: Type.Integer({ minimum: 1000, maximum: 10_000_000, default: 200_000, description: "sources tracked at once (LRU)" }),
      syn_only: Type.Union([Type.Literal("observe"), Type.Literal("local"), Type.Literal("ban")], {
        default: "local",
        description: "what unverified (spoofable, SYN-only) evidence may do: observe = count, never ban; local = a short local ban (unverified_ttl_s), never escalated or shared; ban = a full ban like verified evidence (still never shared)",
      }),
      unverified_ttl_s: Type.Integer({ minimum: 1, maximum: 86400, default: 600, description: "longest ban on unverified evidence alone (syn_only = local)" }),
      decisions_per_s: Type.Integer({ minimum: 1, maximum: 100_000, default: 2000, description: "decision rate; beyond it decisions queue" }),
      decision_queue: Type.Integer({ minimum: 100, maximum: 10_000_000, default: 100_000, description: "queued decisions; beyond it they are dropped and counted" }),
    },
    { default: {} },
  ),
  /**
   * The connection guard (kernel): completed TCP handshakes per source to the real services'
   * ports, counted before any log line. Off while `ports` is empty: a deploy script that opens
   * many SSH connections a minute would otherwise be banned unless allowlisted.
   */
  guard: Type.Object(
    {
      ports: Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }), { default: [], maxItems: 64, uniqueItems: true, description: "real-service ports to guard, e.g. [22]; empty = off" }),
      max_new_per_min: Type.Integer({ minimum: 1, maximum: 100_000, default: 20, description: "completed connections per source per minute to a guarded port before it is reported (BRUTEFORCE, verified)" }),
    },
    { default: {} },
  ),
  bans: Type.Object(
    {
      default_ttl_s: Type.Integer({ minimum: 1, maximum: 315_360_000, default: 86400 }),
      escalation: Type.Number({ minimum: 1, maximum: 100, default: 2, description: "factor per repeat offence" }),
      max_ttl_s: Type.Integer({ minimum: 1, maximum: 315_360_000, default: 2_592_000 }),
      jitter: Type.Number({ minimum: 0, maximum: 0.5, default: 0, description: "random extra fraction of a ban's TTL" }),
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
      peer_trust: Type.Array(Type.String({ pattern: "^[1-9A-HJ-NP-Za-km-z]{32,64}=(observe|enforce|corroborate:[0-9]{1,2})$" }), {
        default: [],
        maxItems: 1024,
        description: "per-peer trust as <libp2p peer id>=<level>",
      }),
      clusters: Type.Array(Type.String({ pattern: "^[A-Za-z0-9._-]{1,64}=[^@\\s]+@(\\[[0-9a-fA-F:.]+\\]|[^:\\s]+):[0-9]{1,5}$" }), {
        default: [],
        maxItems: 8,
        description: "more clusters as <name>=<key file>@<host:port>",
      }),
      ttl_cap_s: Type.Integer({ minimum: 60, maximum: 2_592_000, default: 86400 }),
      rate_per_s: Type.Number({ minimum: 1, maximum: 100_000, default: 200 }),
      rate_burst: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 200 }),
      sync_interval_s: Type.Number({ minimum: 1, maximum: 3600, default: 15, description: "mean seconds between anti-entropy exchanges with a random peer (each wait drawn from 0.75–1.25 × this)" }),
      max_message_bytes: Type.Integer({ minimum: 512, maximum: 65_536, default: 4096 }),
      batch_window_ms: Type.Integer({ minimum: 0, maximum: 1000, default: 100, description: "how long this node collects its own facts into one signed mesh batch (the first after a quiet spell goes at once)" }),
      batch_max_items: Type.Integer({ minimum: 1, maximum: 1024, default: 64, description: "items per mesh batch (sent and accepted)" }),
      batch_max_bytes: Type.Integer({ minimum: 4096, maximum: 262_144, default: 32_768, description: "bytes per mesh batch (sent and accepted)" }),
      max_facts: Type.Integer({ minimum: 100, maximum: 1_000_000, default: 100_000 }),
      min_prefix_v4: Type.Integer({ minimum: 8, maximum: 32, default: 24, description: "shortest IPv4 prefix a peer may ban here" }),
      min_prefix_v6: Type.Integer({ minimum: 16, maximum: 128, default: 48, description: "shortest IPv6 prefix a peer may ban here" }),
      cidr_rate_per_s: Type.Number({ minimum: 0.001, maximum: 10_000, default: 0.5, description: "per-origin rate of prefix (CIDR) decisions" }),
      cidr_rate_burst: Type.Integer({ minimum: 1, maximum: 100_000, default: 20 }),
      observe_max_facts: Type.Integer({ minimum: 10, maximum: 1_000_000, default: 10_000, description: "facts of observe-level and unnamed peers, kept apart from the trusted set" }),
      gossip_d: Type.Integer({ minimum: 3, maximum: 12, default: 5, description: "gossipsub mesh degree D (Dlo = D - 1, Dhi = 2D, Dlazy = D)" }),
      gossip_heartbeat_ms: Type.Integer({ minimum: 200, maximum: 10_000, default: 1000, description: "gossipsub heartbeat: mesh upkeep and IHAVE gossip of recent message ids" }),
      ping_interval_s: Type.Integer({ minimum: 5, maximum: 600, default: 60, description: "seconds between liveness pings on each mesh connection (a dead peer is dropped after a failed one)" }),
    },
    { default: {} },
  ),
  /** External blocklists, one table per feed: `[feeds.<name>]` (apid fetches them, enforcerd bans). */
  feeds: Type.Record(
    Type.String({ pattern: "^[a-z0-9][a-z0-9_-]{0,26}$" }),
    Type.Object(
      {
        url: Type.String({ pattern: "^(file|https?)://", maxLength: 2048, description: "file:///path or http(s)://…" }),
        format: Type.Union([Type.Literal("plain"), Type.Literal("firehol"), Type.Literal("spamhaus-drop"), Type.Literal("crowdsec")]),
        refresh: Type.Union([Type.Integer({ minimum: 10, maximum: 604_800 }), Type.String({ pattern: "^\\s*[0-9]{1,7}\\s*[smhd]?\\s*$" })], { default: 3600, description: "seconds, or a number with s, m, h or d (\"1h\")" }),
        enabled: Type.Boolean({ default: true }),
        ban_private: Type.Boolean({
          default: false,
          description: "also ban entries in or over private, shared, loopback, link-local, multicast and reserved networks (RFC 1918, 6598, 3927, 4193, 4291); off, they are skipped and counted",
        }),
        max_entries: Type.Integer({ minimum: 1, maximum: 4_000_000, default: 1_000_000, description: "a snapshot with more entries is refused and the previous list stays in force" }),
        max_bytes: Type.Integer({ minimum: 1024, maximum: 1_073_741_824, default: 67_108_864 }),
        timeout_s: Type.Number({ minimum: 1, maximum: 600, default: 60 }),
        headers: Type.Record(Type.String({ pattern: "^[A-Za-z0-9-]{1,64}$" }), Type.String({ maxLength: 4096 }), { default: {}, description: "extra request headers, e.g. X-Api-Key for a CrowdSec LAPI stream" }),
      },
      { additionalProperties: false },
    ),
    { default: {} },
  ),
  syslog: Type.Object(
    {
      enabled: Type.Boolean({ default: false }),
      target: Type.String({ ...HostPort, default: "127.0.0.1:514", description: "the collector, host:port" }),
      transport: Type.Union([Type.Literal("udp"), Type.Literal("tcp")], { default: "udp", description: "udp (RFC 5426) or tcp with octet counting (RFC 6587)" }),
      format: Type.Union([Type.Literal("json"), Type.Literal("cef")], { default: "json", description: "the RFC 5424 MSG: a JSON document or an ArcSight CEF line" }),
      events: Type.Array(Type.Union([Type.Literal("ban"), Type.Literal("session"), Type.Literal("mode"), Type.Literal("enforcement"), Type.Literal("peer_lost")]), { default: ["ban", "session", "mode", "enforcement", "peer_lost"], maxItems: 8 }),
      facility: Type.Integer({ minimum: 0, maximum: 23, default: 16, description: "RFC 5424 facility number; 16 = local0" }),
      app_name: Type.String({ pattern: "^[!-~]{1,48}$", default: "honeymesh" }),
      max_queue: Type.Integer({ minimum: 10, maximum: 1_000_000, default: 10_000, description: "messages waiting for the collector; more are dropped and counted" }),
    },
    { default: {} },
  ),
  /** Notification targets, one table each: `[notify.<name>]` (apid sends them). */
  notify: Type.Record(
    Type.String({ pattern: "^[a-z0-9][a-z0-9_-]{0,31}$" }),
    Type.Object(
      {
        type: Type.Union([Type.Literal("webhook"), Type.Literal("slack"), Type.Literal("discord"), Type.Literal("ntfy"), Type.Literal("email")]),
        url: Type.String({ default: "", maxLength: 2048, pattern: "^(https?://.*)?$", description: "where to POST (webhook, slack, discord, ntfy); empty for email" }),
        secret: Type.String({ default: "", maxLength: 1024, description: "webhook: HMAC-SHA256 key for the x-honeymesh-signature header; empty = unsigned" }),
        template: Type.String({ default: "", maxLength: 8192, description: "webhook: body template with {{text}} {{title}} {{node}} {{kind}} {{json}}; empty = the JSON document" }),
        events: Type.Array(Type.Union([Type.Literal("ban"), Type.Literal("session"), Type.Literal("mode"), Type.Literal("enforcement"), Type.Literal("peer_lost")]), { default: ["ban", "enforcement"], maxItems: 8 }),
        reasons: Type.Array(Type.String({ pattern: "^[A-Za-z]{1,16}$" }), { default: [], maxItems: 16, description: "bans: only these reasons (empty = all)" }),
        jails: Type.Array(Type.String({ pattern: "^[A-Za-z0-9_.-]{1,32}$" }), { default: [], maxItems: 64, description: "bans: only those with evidence from these jails (empty = all)" }),
        origins: Type.Union([Type.Literal("any"), Type.Literal("local"), Type.Literal("mesh")], { default: "any", description: "bans decided here, by peers, or both" }),
        rate_per_min: Type.Number({ minimum: 0.1, maximum: 6000, default: 6, description: "messages per minute; past it events are held and sent as one digest" }),
        itemise_max: Type.Integer({ minimum: 1, maximum: 100, default: 5, description: "events per flush sent one message each; more become one digest" }),
        flush_s: Type.Number({ minimum: 0.05, maximum: 3600, default: 5 }),
        max_queue: Type.Integer({ minimum: 10, maximum: 100_000, default: 1000, description: "events held for a flush; more are only counted in the digest" }),
        retries: Type.Integer({ minimum: 0, maximum: 20, default: 5, description: "further attempts, with exponential backoff from 1 s" }),
        timeout_s: Type.Number({ minimum: 1, maximum: 120, default: 10 }),
        smtp_host: Type.String({ default: "", maxLength: 255 }),
        smtp_port: Type.Integer({ minimum: 1, maximum: 65535, default: 587 }),
        smtp_tls: Type.Union([Type.Literal("starttls"), Type.Literal("tls"), Type.Literal("none")], { default: "starttls" }),
        smtp_user: Type.String({ default: "", maxLength: 255 }),
        smtp_password: Type.String({ default: "", maxLength: 1024 }),
        smtp_from: Type.String({ default: "", maxLength: 255, pattern: "^([^<>\\s@]+@[^<>\\s@]+)?$" }),
        smtp_to: Type.Array(Type.String({ maxLength: 255, pattern: "^[^<>\\s@]+@[^<>\\s@]+$" }), { default: [], maxItems: 32 }),
        smtp_ca_file: Type.String({ default: "", description: "PEM file of extra CA certificates to trust for the relay" }),
      },
      { additionalProperties: false },
    ),
    { default: {} },
  ),
  /**
   * Reporting to AbuseIPDB-style APIs, one table each: `[report.<name>]` (apid sends them). Off
   * unless a table exists; only verified bans this node decided itself are reported.
   */
  report: Type.Record(
    Type.String({ pattern: "^[a-z0-9][a-z0-9_-]{0,31}$" }),
    Type.Object(
      {
        type: Type.Literal("abuseipdb"),
        enabled: Type.Boolean({ default: true }),
        url: Type.String({ default: "https://api.abuseipdb.com/api/v2/report", maxLength: 2048, pattern: "^https?://" }),
        key_file: Type.String({ minLength: 1, maxLength: 4096, description: "file holding the API key (mode 0600 or stricter); the key is never in the config, argv or logs" }),
        categories: Type.Record(Type.String({ maxLength: 64 }), Type.Array(Type.Integer({ minimum: 1, maximum: 99 }), { maxItems: 16 }), {
          default: {},
          description: "REASON, REASON+<trap or jail>, jail:<name> or trap:<service> → AbuseIPDB category numbers; a ban is reported with every matching rule's categories, not at all when none matches; empty = the built-in mapping (SCAN 14, TRAP 15, BRUTEFORCE 18, BRUTEFORCE+ssh / TRAP+ssh / jail:sshd 18,22)",
        }),
        rate_per_min: Type.Number({ minimum: 0.1, maximum: 1000, default: 0.6, description: "reports per minute (0.6 = 864 a day, under AbuseIPDB's free 1000); past it reports wait in a bounded queue" }),
        min_interval_per_address: Duration("15m", "the same address is not reported again within this (AbuseIPDB refuses repeats within 15 minutes)"),
        max_queue: Type.Integer({ minimum: 1, maximum: 100_000, default: 1000, description: "reports waiting for the rate; more are dropped and counted" }),
        retries: Type.Integer({ minimum: 0, maximum: 20, default: 3, description: "further attempts on network trouble, 429 or 5xx, with exponential backoff from 1 s" }),
        timeout_s: Type.Number({ minimum: 1, maximum: 120, default: 10 }),
      },
      { additionalProperties: false },
    ),
    { default: {} },
  ),
  /**
   * logd's jails (`[jails.<name>]`), with Fail2Ban's option names. Durations are seconds or
   * `10m` / `1h` / `1d`; logpath is a path, a glob, or `journal`.
   */
  jails: Type.Record(
    Type.String({ pattern: "^[A-Za-z0-9_.-]{1,32}$" }),
    Type.Object(
      {
        enabled: Type.Boolean({ default: false }),
        filter: Type.String({ maxLength: 512, default: "", description: "built-in filter name (sshd, sshd[mode=aggressive], nginx-http-auth …) or a path to a Fail2Ban .conf; empty = the jail's name" }),
        logpath: Type.Array(Type.String({ minLength: 1, maxLength: 4096 }), { default: [], maxItems: 64, description: "files or globs, or [\"journal\"]" }),
        journalmatch: Type.String({ maxLength: 1024, default: "", description: "journalctl matches; empty = the filter's own" }),
        maxretry: Type.Integer({ minimum: 1, maximum: 100_000, default: 5 }),
        findtime: Duration("10m"),
        bantime: Duration("10m"),
        ignoreip: Type.Array(Type.String({ maxLength: 64 }), { default: [], maxItems: 1024 }),
        port: Type.String({ maxLength: 256, default: "", description: "informational, as in Fail2Ban (XDP drops the whole address)" }),
        silent_after: Duration("0", "a running jail whose source produced no line for this long is reported degraded (0 = never)"),
      },
      { additionalProperties: false },
    ),
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
