import type { ChildProcess } from 'node:child_process';

/**
 * Waits until a Funcdeck server process (browser mode, or the start script serving it) prints its
 * URL with the launch token; resolves with the URL and everything it printed up to then. Rejects
 * when it exits first or prints none within `timeoutMs`.
 */
export function printedUrl(child: ChildProcess, what: string, timeoutMs = 20_000): Promise<{ url: string; output: string }> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} printed no URL within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}):\n${output}`));
    });
  });
}
