/** Bytes and chunks one way. */
export interface Flow {
  bytes: number;
  chunks: number;
}
export interface ProtocolTraffic {
  tx: Flow;
  rx: Flow;
  /** Streams (or, for `connections`, connections) counted. */
  opened: number;
}
/**
 * Per-protocol byte counts of one libp2p node. `connections` is what crossed the TCP sockets
 * (after pnet, Noise and yamux: the bytes on the wire minus TCP/IP headers); each protocol is
 * the stream payload above yamux. The difference is framing (yamux 12 B + Noise 18 B per frame,
 * pnet none), multistream-select negotiation, yamux pings and window updates, and streams whose
 * protocol was refused (libp2p's connection-monitor ping to a node without a ping handler).
 */
export interface TrafficReport {
  connections: ProtocolTraffic;
  protocols: Record<string, ProtocolTraffic>;
}

type Chunk = { byteLength: number };
interface Tapped {
  sendData(data: Chunk): unknown;
  onData(data: Chunk): unknown;
}

const flows = (): ProtocolTraffic => ({ tx: { bytes: 0, chunks: 0 }, rx: { bytes: 0, chunks: 0 }, opened: 0 });
const noop = () => {};
const metric = { update: noop, increment: noop, decrement: noop, reset: noop, observe: noop, timer: () => noop };
/** At most this many protocol names are kept apart; more (a peer inventing names) fold into "other". */
const MAX_PROTOCOLS = 32;

/**
 * libp2p's metrics hook used only to count bytes per protocol (libp2p calls it for each raw
 * connection and each negotiated stream). It taps the stream's send and receive methods; the
 * named metrics libp2p registers are discarded.
 */
export class WireMeter {
  private readonly total = flows();
  private readonly byProtocol = new Map<string, ProtocolTraffic>();

  private tap(s: unknown, into: ProtocolTraffic): void {
    const t = s as Tapped;
    if (typeof t.sendData !== "function" || typeof t.onData !== "function") return;
    into.opened++;
    const send = t.sendData.bind(t);
    const recv = t.onData.bind(t);
    t.sendData = (data) => {
      into.tx.bytes += data.byteLength;
      into.tx.chunks++;
      return send(data);
    };
    t.onData = (data) => {
      into.rx.bytes += data.byteLength;
      into.rx.chunks++;
      return recv(data);
    };
  }

  private flowsOf(protocol: string): ProtocolTraffic {
    let f = this.byProtocol.get(protocol);
    if (!f) {
      const name = this.byProtocol.size < MAX_PROTOCOLS ? protocol : "other";
      f = this.byProtocol.get(name) ?? flows();
      this.byProtocol.set(name, f);
    }
    return f;
  }

  report(): TrafficReport {
    return { connections: structuredClone(this.total), protocols: Object.fromEntries([...this.byProtocol].map(([k, v]) => [k, structuredClone(v)])) };
  }

  /** The object libp2p's `metrics` option wants. */
  metrics(): unknown {
    const register = () => metric;
    return {
      trackMultiaddrConnection: (c: unknown) => this.tap(c, this.total),
      trackProtocolStream: (s: { protocol?: string }) => this.tap(s, this.flowsOf(s.protocol ?? "")),
      registerMetric: register,
      registerMetricGroup: register,
      registerCounter: register,
      registerCounterGroup: register,
      registerHistogram: register,
      registerHistogramGroup: register,
      registerSummary: register,
      registerSummaryGroup: register,
      createTrace: () => undefined,
      traceFunction: <F>(_name: string, fn: F) => fn,
    };
  }
}
