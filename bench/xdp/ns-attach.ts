/**
 * Attach/detach an XDP program from inside a netns (run under nsenter --net).
 * usage: ns-attach.ts attach OBJECT PROG IFNAME [PIN_ROOT] | detach IFNAME
 */
import { BpfObject } from "@honeymesh/bpf/object";
import { ifNameToIndex } from "@honeymesh/bpf/libc";
import { xdpAttach, xdpDetach } from "@honeymesh/bpf/xdp";

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === "detach") {
  xdpDetach(ifNameToIndex(rest[0]!));
} else {
  const [objectPath, prog, ifname, pinRoot] = rest as [string, string, string, string?];
  const obj = BpfObject.open(objectPath, pinRoot ? { pinRoot } : {}).load();
  console.log(xdpAttach(ifNameToIndex(ifname), obj.programFd(prog), "native"));
  obj.close();
}
