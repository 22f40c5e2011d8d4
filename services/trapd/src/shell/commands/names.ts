/** Every command name the fake shell answers (filled by index.ts; read by busybox's applet list). */
export const COMMAND_NAMES = new Set<string>();
