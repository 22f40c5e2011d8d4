/**
 * What one shell session may cost, whatever the attacker types: every bound is checked where the
 * work happens (parser, interpreter, file tree, transcript), so no input makes trapd loop, buffer
 * or allocate without limit. Nothing here runs a process or touches a real file.
 */
export interface ShellLimits {
  /** Characters of one command line (longer lines are cut, then parsed). */
  maxLine: number;
  /** Words and operators of one line. */
  maxTokens: number;
  /** Simple commands run per line (after expansion, across `;`, `&&`, pipes, substitutions). */
  maxStepsPerLine: number;
  /** Lines run per session; after it the shell says nothing more and closes. */
  maxLines: number;
  /** Output bytes of one line, and of one command substitution. */
  maxOutputPerLine: number;
  /** `$(…)` nesting. */
  maxDepth: number;
  /** Bytes the session may write into its file tree, and nodes it may create. */
  maxFsBytes: number;
  maxFsNodes: number;
  /** Bytes of the asciinema transcript (events beyond it are dropped, the header says so). */
  maxTranscript: number;
  /** Bytes one uploaded or dropped file may have to be kept in quarantine. */
  maxFileBytes: number;
  /** Interactive input buffered before a line ends. */
  maxPending: number;
}

export const DEFAULT_SHELL_LIMITS: ShellLimits = {
  maxLine: 8192,
  maxTokens: 2048,
  maxStepsPerLine: 256,
  maxLines: 512,
  maxOutputPerLine: 65_536,
  maxDepth: 4,
  maxFsBytes: 1_048_576,
  maxFsNodes: 2048,
  maxTranscript: 262_144,
  maxFileBytes: 1_048_576,
  maxPending: 8192,
};
