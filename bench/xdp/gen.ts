/**
 * Packet generator (run inside the attacker netns): BPF_PROG_RUN with
 * BPF_F_TEST_XDP_LIVE_FRAMES on hm_gen_tx (returns XDP_TX), so each test
 * frame is really transmitted out of IFNAME towards the victim veth.
 * usage: gen.ts OBJECT IFNAME FRAME_HEX REPEAT -> prints {"frames":N,"elapsedNs":T}
 */
import { BpfObject } from "@honeymesh/bpf/object";
import { ifNameToIndex } from "@honeymesh/bpf/libc";
import { testRun, xdpMd, BPF_F_TEST_XDP_LIVE_FRAMES } from "@honeymesh/bpf/test-run";

const [objectPath, ifname, frameHex, repeatText] = process.argv.slice(2) as [string, string, string, string];
const ifindex = ifNameToIndex(ifname);
if (!ifindex) throw new Error(`no interface ${ifname}`);
const obj = BpfObject.open(objectPath).load();
const prog = obj.programFd("hm_gen_tx");
const data = new Uint8Array(Buffer.from(frameHex, "hex"));
const repeat = Number(repeatText);
const t0 = process.hrtime.bigint();
testRun(prog, { data, repeat, ctx: xdpMd(data.length, ifindex), flags: BPF_F_TEST_XDP_LIVE_FRAMES, batchSize: 256 });
const elapsedNs = Number(process.hrtime.bigint() - t0);
obj.close();
console.log(JSON.stringify({ frames: repeat, elapsedNs }));
