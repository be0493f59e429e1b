/**
 * Compiles the runner ahead of time. Python compiles the script it starts from source every time
 * (~10 ms for the runner's 2000 lines, a third of a hello world), but loads an imported module from
 * its bytecode in __pycache__ when that exists and matches the source's size and mtime; runner.py
 * is therefore a small script that imports runner_core.py, and this writes runner_core's bytecode
 * with the interpreter the sandboxes run. Best effort: a read-only checkout leaves every execution
 * compiling it, slower and otherwise the same (the sandbox cannot write it: -B, read-only bind).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

/** Writes py_compile's bytecode for `source` (the path is argv[1], never part of the code). */
const COMPILE_PROGRAM = 'import py_compile, sys; py_compile.compile(sys.argv[1], doraise=True)';

const COMPILE_TIMEOUT_MS = 30_000;

/** Whether the bytecode was written, and if not why. */
export type BytecodeOutcome = { readonly cached: true } | { readonly cached: false; readonly reason: string };

/** Compiles `<runnerDirectory>/<moduleFile>` into its __pycache__ with `pythonPath`. */
export function compileRunnerModule(pythonPath: string, runnerDirectory: string, moduleFile: string): Promise<BytecodeOutcome> {
  const source = path.join(runnerDirectory, moduleFile);
  return new Promise((resolve) => {
    // An empty environment: no SOURCE_DATE_EPOCH (which would switch to hash-checked bytecode).
    execFile(pythonPath, ['-I', '-S', '-c', COMPILE_PROGRAM, source], { env: {}, timeout: COMPILE_TIMEOUT_MS }, (error, _stdout, stderr) => {
      if (error === null) resolve({ cached: true });
      else resolve({ cached: false, reason: lastLine(stderr) || error.message });
    });
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}
