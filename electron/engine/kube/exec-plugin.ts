import { spawn } from 'node:child_process';
import path from 'node:path';
import { FuncdeckError } from '../../../shared/contract/errors';

/** A kubeconfig user's `exec` entry (client.authentication.k8s.io). */
export interface ExecConfig {
  command: string;
  args?: string[];
  env?: Array<{ name: string; value: string }> | null;
  apiVersion?: string;
  interactiveMode?: 'Never' | 'IfAvailable' | 'Always';
  provideClusterInfo?: boolean;
  installHint?: string;
}

/** What a plugin prints: an ExecCredential's status. */
export interface ExecCredentialStatus {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
}

/** The cluster as kubectl describes it to a plugin that asks (`provideClusterInfo: true`). */
export interface ExecClusterInfo {
  server: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
}

/** Thrown when the run was stopped by its signal (the callers' deadline): the caller words the error. */
export class PluginStopped extends Error {}

const MAX_OUTPUT = 1024 * 1024;
/** After SIGTERM, the group gets this long before SIGKILL. */
const KILL_GRACE_MS = 500;

export const pluginName = (exec: ExecConfig) => path.basename(exec.command);

function credentialError(exec: ExecConfig, context: string, reason: string, text: string): FuncdeckError {
  return new FuncdeckError('UNAUTHORIZED', text, { source: 'credentials', plugin: pluginName(exec), context, reason });
}

/**
 * Runs one exec credential plugin as kubectl does (KUBERNETES_EXEC_INFO, the entry's env and args),
 * but in its own session and process group (`detached`), with no terminal and stdin closed, so a
 * plugin that would prompt fails instead of waiting. When `signal` aborts, or once the plugin has
 * exited, the whole group is killed (SIGTERM, then SIGKILL): no process of it outlives the run.
 */
export function runExecPlugin(exec: ExecConfig, o: { context: string; cluster?: ExecClusterInfo; signal: AbortSignal }): Promise<ExecCredentialStatus> {
  const name = pluginName(exec);
  // Funcdeck never has a terminal to give a plugin: an interactive-only one cannot work here.
  if (exec.interactiveMode === 'Always') {
    return Promise.reject(
      credentialError(
        exec,
        o.context,
        'needs-terminal',
        `The credential plugin \`${name}\` for context \`${o.context}\` needs a terminal (interactiveMode: Always), and Funcdeck has none. Log in from a terminal (e.g. run \`kubectl --context ${o.context} get namespaces\` once), or use a plugin setting that works without one, then check again.`,
      ),
    );
  }
  if (o.signal.aborted) return Promise.reject(new PluginStopped('stopped before it started'));
  const apiVersion = exec.apiVersion ?? 'client.authentication.k8s.io/v1beta1';
  const info = { apiVersion, kind: 'ExecCredential', spec: { interactive: false, ...(exec.provideClusterInfo && o.cluster ? { cluster: o.cluster } : {}) } };
  const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
  for (const e of exec.env ?? []) env[e.name] = e.value;

  return new Promise<ExecCredentialStatus>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    let exited = false;
    let killTimer: NodeJS.Timeout | undefined;
    const child = spawn(exec.command, exec.args ?? [], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const group = child.pid;

    const killGroup = (sig: NodeJS.Signals) => {
      if (group === undefined) return;
      try {
        process.kill(-group, sig);
      } catch {
        // the group is already gone
      }
    };
    /** Ends every process of the run: TERM now, KILL after a grace period unless all are gone. */
    const endGroup = () => {
      killGroup('SIGTERM');
      killTimer ??= setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref?.();
    };
    const finish = (err: Error | null, value?: ExecCredentialStatus) => {
      if (settled) return;
      settled = true;
      o.signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(value!);
    };
    const onAbort = () => {
      endGroup();
      finish(new PluginStopped('stopped by its deadline'));
    };
    o.signal.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += d;
    });
    child.stderr.on('data', (d: string) => {
      if (stderr.length < MAX_OUTPUT) stderr += d;
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      endGroup();
      if (e.code === 'ENOENT') {
        finish(
          credentialError(
            exec,
            o.context,
            'not-installed',
            `The credential plugin \`${name}\` for context \`${o.context}\` is not installed (command not found: ${exec.command}).${exec.installHint ? ` ${exec.installHint.trim()}` : ''} Install it, or fix the user's exec command in your kubeconfig.`,
          ),
        );
      } else {
        finish(credentialError(exec, o.context, 'failed', `The credential plugin \`${name}\` for context \`${o.context}\` could not be started: ${e.message}.`));
      }
    });
    child.on('exit', () => {
      exited = true;
      // Children it left behind (still holding its output open) end with it.
      endGroup();
    });
    child.on('close', (code, sig) => {
      if (!exited) return;
      if (settled) return;
      if (code !== 0) {
        const words = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500);
        const how = code === null ? `was killed (${sig})` : `failed (exit code ${code})`;
        const hint =
          exec.interactiveMode !== 'Never' && /terminal|tty|interactive|prompt|browser|device code/i.test(stderr)
            ? ` It may need a terminal, which Funcdeck does not give it: log in from a terminal (e.g. \`kubectl --context ${o.context} get namespaces\`), then check again.`
            : ' Run it in a terminal to see why, or log in again with your cloud tool.';
        return finish(credentialError(exec, o.context, 'failed', `The credential plugin \`${name}\` for context \`${o.context}\` ${how}${words ? `: ${words}` : ''}.${hint}`));
      }
      let status: ExecCredentialStatus | undefined;
      try {
        const parsed = JSON.parse(stdout) as { kind?: string; status?: ExecCredentialStatus };
        status = parsed?.status;
      } catch {
        status = undefined;
      }
      if (!status || (!status.token && !(status.clientCertificateData && status.clientKeyData))) {
        return finish(
          credentialError(
            exec,
            o.context,
            'bad-output',
            `The credential plugin \`${name}\` for context \`${o.context}\` printed no usable ExecCredential (it needs status.token, or status.clientCertificateData and clientKeyData). Check the plugin and its arguments in your kubeconfig.`,
          ),
        );
      }
      finish(null, status);
    });
  });
}
