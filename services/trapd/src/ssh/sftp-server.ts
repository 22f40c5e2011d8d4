import { createHash, type Hash } from "node:crypto";
import type { SftpServer } from "ssh2";
import ssh2 from "ssh2";
import type { ShellSession } from "../shell/shell-session.ts";

const { STATUS_CODE: S, OPEN_MODE } = ssh2.utils.sftp;
const MAX_HANDLES = 16;

interface Upload {
  path: string;
  hash: Hash;
  parts: Buffer[];
  size: number;
  /** Still sequential and within the cap: the bytes are kept. */
  keep: boolean;
}

/**
 * Enough of an SFTP server (draft-ietf-secsh-filexfer-02, what OpenSSH's sftp and scp speak) for
 * uploads to land: paths resolve in the session's fake tree, written files are hashed and go to
 * quarantine on CLOSE. Reads return the fake files; nothing touches the real file system.
 */
export function serveSftp(sftp: SftpServer, s: ShellSession, maxFile: number): void {
  const handles = new Map<number, Upload | { dir: string; sent: boolean } | { read: string }>();
  let next = 0;
  const fs = s.shell.fs;
  const attrsOf = (path: string) => {
    const n = fs.get(path);
    if (!n) return undefined;
    const size = n.kind === "dir" ? 4096 : typeof n.data === "string" ? n.data.length : 0;
    return { mode: (n.kind === "dir" ? 0o040000 : 0o100000) | n.mode, uid: 0, gid: 0, size, atime: Math.floor(Date.now() / 1000), mtime: Math.floor((n.mtime || s.shell.persona.bootAt) / 1000) };
  };
  const open = (h: Upload | { dir: string; sent: boolean } | { read: string }, reqid: number) => {
    if (handles.size >= MAX_HANDLES) return sftp.status(reqid, S.FAILURE);
    const id = next++;
    handles.set(id, h);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(id >>> 0);
    sftp.handle(reqid, b);
  };
  const get = (h: Buffer) => (h.length === 4 ? handles.get(h.readUInt32BE(0)) : undefined);
  sftp.on("REALPATH", (reqid, path) => {
    const p = s.shell.path(path || ".");
    sftp.name(reqid, [{ filename: p, longname: p, attrs: {} }]);
  });
  const stat = (reqid: number, path: string) => {
    const a = attrsOf(s.shell.path(path));
    if (a) sftp.attrs(reqid, a);
    else sftp.status(reqid, S.NO_SUCH_FILE);
  };
  sftp.on("STAT", stat);
  sftp.on("LSTAT", stat);
  sftp.on("OPEN", (reqid, filename, flags) => {
    const path = s.shell.path(filename);
    if (flags & OPEN_MODE.WRITE) {
      const e = fs.write(path, "", false, "upload");
      if (e) return sftp.status(reqid, S.PERMISSION_DENIED);
      s.line(`# sftp put ${path}`, false);
      return open({ path, hash: createHash("sha256"), parts: [], size: 0, keep: true }, reqid);
    }
    const data = fs.read(path);
    if (data === "ENOENT" || data === "EISDIR") return sftp.status(reqid, S.NO_SUCH_FILE);
    open({ read: data }, reqid);
  });
  sftp.on("WRITE", (reqid, handle, offset, data) => {
    const h = get(handle);
    if (!h || !("hash" in h)) return sftp.status(reqid, S.FAILURE);
    if (offset !== h.size) h.keep = false; // out of order: the hash would lie
    h.hash.update(data);
    h.size += data.length;
    if (h.keep && h.size <= maxFile) h.parts.push(Buffer.from(data));
    else h.keep = false;
    sftp.status(reqid, S.OK);
  });
  sftp.on("READ", (reqid, handle, offset, length) => {
    const h = get(handle);
    if (!h || !("read" in h)) return sftp.status(reqid, S.FAILURE);
    if (offset >= h.read.length) return sftp.status(reqid, S.EOF);
    (sftp as unknown as { data(id: number, d: Buffer): void }).data(reqid, Buffer.from(h.read.slice(offset, offset + Math.min(length, 32_768)), "latin1"));
  });
  sftp.on("FSTAT", (reqid, handle) => {
    const h = get(handle);
    if (h && "hash" in h) sftp.attrs(reqid, { mode: 0o100644, size: h.size });
    else if (h && "read" in h) sftp.attrs(reqid, { mode: 0o100644, size: h.read.length });
    else sftp.status(reqid, S.FAILURE);
  });
  sftp.on("CLOSE", (reqid, handle) => {
    const h = get(handle);
    if (!h) return sftp.status(reqid, S.FAILURE);
    handles.delete(handle.readUInt32BE(0));
    if ("hash" in h) s.upload(h.path, h.keep ? Buffer.concat(h.parts) : { sha256: h.hash.digest("hex"), size: h.size }, "sftp");
    sftp.status(reqid, S.OK);
  });
  sftp.on("OPENDIR", (reqid, path) => {
    const p = s.shell.path(path);
    if (fs.get(p)?.kind !== "dir") return sftp.status(reqid, S.NO_SUCH_FILE);
    open({ dir: p, sent: false }, reqid);
  });
  sftp.on("READDIR", (reqid, handle) => {
    const h = get(handle);
    if (!h || !("dir" in h)) return sftp.status(reqid, S.FAILURE);
    const n = fs.get(h.dir);
    if (h.sent || !n || n.kind !== "dir") return sftp.status(reqid, S.EOF);
    h.sent = true;
    sftp.name(reqid, [...n.children.keys()].slice(0, 256).map((name) => ({ filename: name, longname: name, attrs: attrsOf(`${h.dir}/${name}`.replace("//", "/")) ?? {} })));
  });
  for (const ev of ["SETSTAT", "FSETSTAT"] as const) sftp.on(ev as "SETSTAT", (reqid: number) => sftp.status(reqid, S.OK));
  sftp.on("MKDIR", (reqid, path) => sftp.status(reqid, fs.mkdir(s.shell.path(path), false) ? S.FAILURE : S.OK));
  sftp.on("REMOVE", (reqid, path) => sftp.status(reqid, fs.remove(s.shell.path(path), false) ? S.NO_SUCH_FILE : S.OK));
  for (const ev of ["RMDIR", "READLINK"] as const) sftp.on(ev, (reqid: number) => sftp.status(reqid, S.OP_UNSUPPORTED));
  sftp.on("RENAME", (reqid) => sftp.status(reqid, S.OP_UNSUPPORTED));
  // The client is done (EOF on the channel): exit 0 and close, as sshd does when sftp-server
  // exits (scp reports a channel closed without exit status as a failure). ssh2's SFTP object
  // has no exit(); its protocol does (ssh2 lib/protocol/SFTP.js, lib/Channel.js exit()).
  sftp.on("end", () => {
    const ch = sftp as unknown as { end(): void; outgoing?: { id: number; state: string }; _protocol?: { exitStatus(id: number, code: number): void } };
    try {
      if (ch.outgoing?.state === "open" || ch.outgoing?.state === "eof") ch._protocol?.exitStatus(ch.outgoing.id, 0);
      ch.end();
    } catch {
      // gone
    }
  });
}
