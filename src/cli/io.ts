/** What a command may do to the world; tests pass a fake, bin.ts the real process. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => string;
  /** The entry names of a directory, or undefined when `path` is not one (directories as policies; `compile -o` prunes). */
  readonly readDir?: (path: string) => readonly string[] | undefined;
  /** All of standard input (`-` as a file name). */
  readonly readStdin?: () => string;
  readonly writeFile: (path: string, text: string) => void;
  readonly mkdir: (path: string) => void;
  readonly removeFile?: (path: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isTTY: boolean;
}

/** Named exit codes, as the README's usage section lists them. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
