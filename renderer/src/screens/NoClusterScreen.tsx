import type { KubeconfigState } from '../../../shared/contract';
import { CreateClusterHelp } from './CreateClusterHelp';
import './screens.css';

/** Shown when the kubeconfig files hold no usable context: what was read, what went wrong, what to do. */
export function NoClusterScreen({ kubeconfig, onRetry }: { kubeconfig: KubeconfigState; onRetry(): void }) {
  const missingAll = kubeconfig.loaded.length === 0;
  return (
    <main className="screen" aria-labelledby="nocluster-title">
      <h1 id="nocluster-title">{missingAll ? 'No kubeconfig found' : 'No cluster context in your kubeconfig'}</h1>
      <p>
        Funcdeck deploys functions to a Kubernetes cluster it reaches through a kubeconfig context.{' '}
        {missingAll
          ? 'None of the kubeconfig files it looked at could be read.'
          : 'The kubeconfig was read, but it defines no context to use.'}
      </p>
      <h2>Files read</h2>
      <ul className="file-list" aria-label="Kubeconfig files">
        {kubeconfig.files.map((f) => (
          <li key={f}>
            <code>{f}</code> {kubeconfig.loaded.includes(f) ? <span className="ok-text">read</span> : <span className="error-text">not used</span>}
          </li>
        ))}
      </ul>
      {kubeconfig.problems.length > 0 && (
        <>
          <h2>Problems</h2>
          <ul className="problem-list" aria-label="Kubeconfig problems">
            {kubeconfig.problems.map((p, i) => (
              <li key={i}>
                <code>{p.file}</code>: {p.message}
              </li>
            ))}
          </ul>
        </>
      )}
      <CreateClusterHelp />
      <p className="muted">
        Or point Funcdeck at an existing kubeconfig with the <code>KUBECONFIG</code> environment variable and restart it.
      </p>
      <button type="button" className="primary" onClick={onRetry}>
        Check again
      </button>
    </main>
  );
}
