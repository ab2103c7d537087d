/** What a command may do to the world; tests pass a fake, bin.ts the real process. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => string;
  readonly writeFile: (path: string, text: string) => void;
  readonly mkdir: (path: string) => void;
  /** The names in a directory (`compile -o` prunes its own stale files); optional for fakes without directories. */
  readonly readDir?: (path: string) => readonly string[];
  readonly removeFile?: (path: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly isTTY: boolean;
}

/** Named exit codes (PRODUCT.md §5). */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
