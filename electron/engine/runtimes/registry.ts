import type { Language, RuntimeInfo } from '../../../shared/contract/functions';
import type { RuntimeId } from '../../../shared/contract/settings';
import nodeContract from './nodejs/contract.cjs?raw';
import nodeDepsUnpack from './nodejs/deps-unpack.cjs?raw';
import nodeExpressCompat from './nodejs/express-compat.cjs?raw';
import nodeHandlerWorker from './nodejs/handler-worker.cjs?raw';
import nodeLiveReload from './nodejs/live-reload.cjs?raw';
import nodeOutputRing from './nodejs/output-ring.cjs?raw';
import nodeServer from './nodejs/server.cjs?raw';
import nodeWorkerHost from './nodejs/worker-host.cjs?raw';
import pythonContract from './python/funcdeck_contract.py?raw';
import pythonDeps from './python/funcdeck_deps.py?raw';
import pythonLive from './python/funcdeck_live.py?raw';
import pythonPool from './python/funcdeck_pool.py?raw';
import pythonWorker from './python/funcdeck_worker.py?raw';
import pythonServer from './python/server.py?raw';

/** Where things live inside a function's pod. */
export const POD_PATHS = {
  runtime: '/funcdeck/runtime',
  src: '/funcdeck/src',
  /** Where the runtime unpacks the dependencies Funcdeck installed on the developer's machine (electron/engine/deps). */
  deps: '/funcdeck/deps',
  /** Live update's inbox and the code it loads (electron/engine/live); emptied at each container start. */
  live: '/funcdeck/live',
} as const;

export interface RuntimeDefinition {
  id: RuntimeId;
  label: string;
  languages: RuntimeInfo['languages'];
  /** The runtime server's files (name -> source), shipped in each revision's ConfigMap and mounted side by side at POD_PATHS.runtime. */
  serverFiles: Record<string, string>;
  /** The one of serverFiles the command runs. */
  serverFile: string;
  /** Every server file in one text: what a revision's checksum covers, so a changed runtime makes a new revision. */
  serverSource: string;
  /** The handler container's command. */
  command: string[];
  dependencyFile: 'package.json' | 'requirements.txt';
  defaultHandler: string;
  /** Extra environment for the handler container (how it finds installed dependencies). */
  env: Record<string, string>;
}

function serverFiles(entry: string, files: Record<string, string>): Pick<RuntimeDefinition, 'serverFiles' | 'serverFile' | 'serverSource'> {
  const serverSource = Object.entries(files)
    .map(([name, source]) => `--- ${name}\n${source}`)
    .join('\n');
  return { serverFiles: files, serverFile: entry, serverSource };
}

export const RUNTIMES: Record<RuntimeId, RuntimeDefinition> = {
  nodejs: {
    id: 'nodejs',
    label: 'Node.js',
    languages: [
      { id: 'javascript', label: 'JavaScript', extension: '.js', monacoLanguage: 'javascript' },
      { id: 'typescript', label: 'TypeScript', extension: '.ts', monacoLanguage: 'typescript' },
    ],
    ...serverFiles('server.cjs', {
      'server.cjs': nodeServer,
      'worker-host.cjs': nodeWorkerHost,
      'handler-worker.cjs': nodeHandlerWorker,
      'output-ring.cjs': nodeOutputRing,
      'contract.cjs': nodeContract,
      'express-compat.cjs': nodeExpressCompat,
      'deps-unpack.cjs': nodeDepsUnpack,
      'live-reload.cjs': nodeLiveReload,
    }),
    command: ['node', `${POD_PATHS.runtime}/server.cjs`],
    dependencyFile: 'package.json',
    defaultHandler: 'handler.main',
    env: { NODE_PATH: `${POD_PATHS.deps}/node_modules`, NODE_ENV: 'production' },
  },
  python: {
    id: 'python',
    label: 'Python',
    languages: [{ id: 'python', label: 'Python', extension: '.py', monacoLanguage: 'python' }],
    ...serverFiles('server.py', {
      'server.py': pythonServer,
      'funcdeck_pool.py': pythonPool,
      'funcdeck_worker.py': pythonWorker,
      'funcdeck_contract.py': pythonContract,
      'funcdeck_deps.py': pythonDeps,
      'funcdeck_live.py': pythonLive,
    }),
    command: ['python3', '-u', `${POD_PATHS.runtime}/server.py`],
    dependencyFile: 'requirements.txt',
    defaultHandler: 'handler.main',
    env: { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
  },
};

export function runtimeInfo(id: RuntimeId, image: string): RuntimeInfo {
  const r = RUNTIMES[id];
  return { id, label: r.label, languages: r.languages, image, dependencyFile: r.dependencyFile, defaultHandler: r.defaultHandler };
}

/** True when a manifest names production dependencies (an empty package.json or comment-only requirements ship none). */
export function hasDependencies(runtime: RuntimeId, manifest: string): boolean {
  const text = manifest.trim();
  if (!text) return false;
  if (runtime === 'python') return text.split('\n').some((l) => l.trim() && !l.trim().startsWith('#'));
  try {
    const pkg = JSON.parse(text) as { dependencies?: Record<string, string> };
    return !!pkg.dependencies && Object.keys(pkg.dependencies).length > 0;
  } catch {
    return true; // a broken manifest is reported by the build; never silently skipped
  }
}

export function extensionOf(language: Language): string {
  return language === 'typescript' ? '.ts' : language === 'python' ? '.py' : '.js';
}
