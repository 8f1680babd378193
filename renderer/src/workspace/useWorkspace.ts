import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClusterSelection, FuncdeckError } from '../../../shared/contract';
import type { BuildDiagnostic, DeployProgress, FunctionSpecInput, SpecIssue } from '../../../shared/contract/functions';
import { useEngine } from '../api/engine';
import { specText, withLockfile } from './spec-helpers';

export interface DeployRun {
  deployId: string;
  startedAt: number;
  progress: DeployProgress | null;
  /** The whole build log so far (events carry only new lines). */
  buildLog: string[];
  /** Validation or call failure before/while deploying, in the engine's words. */
  error: FuncdeckError | null;
  issues: SpecIssue[];
  result: 'running' | 'ready' | 'failed';
  revision: number | null;
  /** Last log lines of a crashed pod, from the progress stream or the DEPLOY_FAILED details. */
  lastLogLines: string[];
}

export interface Workspace {
  name: string;
  /** The editor's current spec. */
  spec: FunctionSpecInput;
  /** Bumps when the spec is replaced from outside, so editors start new models. */
  generation: number;
  dirty: boolean;
  /** A saved draft exists (differs from what is deployed, or was never deployed). */
  hasDraft: boolean;
  draftSavedAt: string | null;
  deployed: boolean;
  diagnostics: BuildDiagnostic[];
  issues: SpecIssue[];
  /** When the deployed function is Failed: why, and its crashed pod's last log lines. */
  failure: { reason: string | null; lastLogLines: string[] } | null;
}

type Loaded = Omit<Workspace, 'dirty'> & { baseline: string; context: string; namespace: string };

/** The same function in the same context and namespace: a late answer about one never changes another of that name. */
const sameFunction = (w: Loaded | null, cur: Loaded): w is Loaded => !!w && w.name === cur.name && w.context === cur.context && w.namespace === cur.namespace;

function randomId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The open function: its spec as edited, the saved draft (drafts.*), validation and deploys.
 * Drafts are keyed by context, namespace and name, so they survive reloads and cluster switches.
 */
export function useWorkspace(selection: ClusterSelection | null) {
  const engine = useEngine();
  const [ws, setWs] = useState<Loaded | null>(null);
  const [loading, setLoading] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<FuncdeckError | null>(null);
  const [deploy, setDeploy] = useState<DeployRun | null>(null);
  const [busy, setBusy] = useState<'saving' | 'deploying' | null>(null);
  const wsRef = useRef(ws);
  wsRef.current = ws;
  const unsubscribeDeploy = useRef<(() => void) | null>(null);

  // Another cluster or namespace: the open function belongs to the old one.
  const selKey = selection ? `${selection.context}/${selection.namespace}` : '';
  const selKeyRef = useRef(selKey);
  selKeyRef.current = selKey;
  useEffect(() => {
    setWs((cur) => (cur && `${cur.context}/${cur.namespace}` !== selKey ? null : cur));
    setDeploy(null);
    setLoading(null);
    setLoadError(null);
    unsubscribeDeploy.current?.();
  }, [selKey]);

  /**
   * Opens a function: its saved draft, else what is deployed. `restore`: the kept place of a context
   * (hot exit) puts back its unsaved spec over that (also when the function is gone meanwhile), and a
   * function that cannot be opened any more is quietly left closed.
   */
  const open = useCallback(
    async (name: string, restore?: { unsaved?: unknown }) => {
      if (!selection) return;
      setLoading(name);
      setLoadError(null);
      const key = { context: selection.context, namespace: selection.namespace, name };
      // Answered after the user switched cluster or namespace: it belongs to the old one (where a
      // deploy from this editor would not go), so it is dropped.
      const stillHere = () => selKeyRef.current === `${key.context}/${key.namespace}`;
      try {
        // Both at once: switching functions should show the editor within ~200 ms.
        const [draft, deployedResult] = await Promise.all([
          engine.call('drafts.get', key).catch(() => null),
          engine.call('functions.get', { name }).then(
            (details) => ({ details, error: null }),
            (error: unknown) => ({ details: null, error }),
          ),
        ]);
        let deployedSpec: FunctionSpecInput | null = null;
        let failure: Workspace['failure'] = null;
        const details = deployedResult.details;
        if (details) {
          deployedSpec = details.spec as FunctionSpecInput;
          if (details.summary.status === 'Failed') failure = { reason: details.summary.reason, lastLogLines: details.lastLogLines };
        } else if (!draft && restore?.unsaved === undefined) {
          throw deployedResult.error;
        }
        if (!stillHere()) return;
        const opened = (draft?.spec as FunctionSpecInput | undefined) ?? deployedSpec;
        const spec = (restore?.unsaved as FunctionSpecInput | undefined) ?? opened!;
        setWs((cur) => ({
          ...key,
          spec,
          baseline: opened ? specText(opened) : '',
          generation: (cur?.generation ?? 0) + 1,
          hasDraft: !!draft,
          draftSavedAt: draft?.savedAt ?? null,
          deployed: deployedSpec !== null,
          diagnostics: [],
          issues: [],
          failure,
        }));
        setDeploy(null);
      } catch (e) {
        if (!restore && stillHere()) setLoadError(e as FuncdeckError);
      } finally {
        if (stillHere()) setLoading(null);
      }
    },
    [engine, selection],
  );

  /** Starts a new, undeployed function from a spec (a template) and saves it as a draft at once. */
  const create = useCallback(
    async (spec: FunctionSpecInput) => {
      if (!selection) return;
      const key = { context: selection.context, namespace: selection.namespace, name: spec.name };
      const saved = await engine.call('drafts.save', { ...key, spec });
      if (selKeyRef.current !== `${key.context}/${key.namespace}`) return; // saved there; the user is elsewhere now
      setWs((cur) => ({
        ...key,
        spec,
        baseline: specText(spec),
        generation: (cur?.generation ?? 0) + 1,
        hasDraft: true,
        draftSavedAt: saved.savedAt,
        deployed: false,
        diagnostics: [],
        issues: [],
        failure: null,
      }));
      setDeploy(null);
    },
    [engine, selection],
  );

  const edit = useCallback((update: (spec: FunctionSpecInput) => FunctionSpecInput) => {
    setWs((cur) => (cur ? { ...cur, spec: update(cur.spec) } : cur));
  }, []);

  /** Replaces the whole spec (e.g. from the YAML view): editors reopen with the new text. */
  const replace = useCallback((spec: FunctionSpecInput) => {
    setWs((cur) => (cur ? { ...cur, spec, generation: cur.generation + 1 } : cur));
  }, []);

  const save = useCallback(async (): Promise<FuncdeckError | null> => {
    const cur = wsRef.current;
    if (!cur) return null;
    setBusy('saving');
    try {
      const saved = await engine.call('drafts.save', { context: cur.context, namespace: cur.namespace, name: cur.name, spec: cur.spec });
      setWs((w) => (sameFunction(w, cur) ? { ...w, baseline: specText(cur.spec), hasDraft: true, draftSavedAt: saved.savedAt } : w));
      return null;
    } catch (e) {
      return e as FuncdeckError;
    } finally {
      setBusy(null);
    }
  }, [engine]);

  /** Puts one revision's code and settings in the editor (e.g. the serving one after a rollback). */
  const openRevision = useCallback(
    async (revision: number) => {
      const cur = wsRef.current;
      if (!cur) return;
      setLoadError(null);
      try {
        const source = await engine.call('revisions.source', { name: cur.name, revision });
        const spec = source.spec as FunctionSpecInput;
        setWs((w) => (sameFunction(w, cur) ? { ...w, spec, baseline: specText(spec), generation: w.generation + 1, diagnostics: [], issues: [] } : w));
      } catch (e) {
        setLoadError(e as FuncdeckError);
      }
    },
    [engine],
  );

  /** Throws the unsaved edits away: back to the saved draft, or the deployed spec. */
  const discard = useCallback(async () => {
    const cur = wsRef.current;
    if (cur) await open(cur.name);
  }, [open]);

  /** Deletes the function from the cluster (when deployed) and its draft, then closes it. */
  const remove = useCallback(async () => {
    const cur = wsRef.current;
    if (!cur) return;
    if (cur.deployed) await engine.call('functions.delete', { name: cur.name });
    await engine.call('drafts.delete', { context: cur.context, namespace: cur.namespace, name: cur.name });
    setWs(null);
    setDeploy(null);
  }, [engine]);

  const close = useCallback(() => {
    setWs(null);
    setDeploy(null);
  }, []);

  const deployNow = useCallback(async () => {
    const cur = wsRef.current;
    if (!cur || busy === 'deploying') return;
    const spec = cur.spec;
    const deployId = randomId();
    const run: DeployRun = { deployId, startedAt: Date.now(), progress: null, buildLog: [], error: null, issues: [], result: 'running', revision: null, lastLogLines: [] };
    setDeploy(run);
    // A new deploy replaces the previous outcome: its failure is no longer what the editor shows.
    setWs((w) => (sameFunction(w, cur) ? { ...w, failure: null } : w));
    setBusy('deploying');
    const setMarks = (diagnostics: BuildDiagnostic[], issues: SpecIssue[]) =>
      setWs((w) => (sameFunction(w, cur) ? { ...w, diagnostics, issues } : w));
    try {
      // Validate first: a syntax error becomes a marker and nothing reaches the cluster.
      const check = await engine.call('functions.validate', { spec });
      setMarks(check.diagnostics, check.issues);
      if (!check.ok) {
        const first = check.diagnostics[0];
        const what = first ? `${first.file}:${first.line}:${first.column} ${first.message}` : check.issues.map((i) => `${i.path || 'spec'}: ${i.message}`).join('; ');
        setDeploy((d) => d && { ...d, result: 'failed', issues: check.issues, error: { code: 'BUILD_FAILED', message: `Not deployed: ${what}` } as FuncdeckError });
        return;
      }
      unsubscribeDeploy.current?.();
      unsubscribeDeploy.current = engine.subscribe('deploy.progress', { deployId }, {
        onEvent(p) {
          setDeploy((d) =>
            d && d.deployId === deployId
              ? {
                  ...d,
                  progress: p,
                  buildLog: [...d.buildLog, ...p.buildLog],
                  revision: p.revision ?? d.revision,
                  result: p.phase === 'running' ? 'running' : p.phase,
                  lastLogLines: p.lastLogLines.length ? p.lastLogLines : d.lastLogLines,
                }
              : d,
          );
          if (p.diagnostics.length) setMarks(p.diagnostics, []);
        },
      });
      const result = await engine.call('functions.deploy', { spec, deployId, wait: true });
      setDeploy((d) => (d && d.deployId === deployId ? { ...d, revision: result.revision, result: result.ready === false ? 'failed' : 'ready' } : d));
      // Deployed: the draft has served its purpose.
      await engine.call('drafts.delete', { context: cur.context, namespace: cur.namespace, name: cur.name }).catch(() => undefined);
      // The lockfile the install wrote (or rewrote) joins the function's files: the revision runs exactly it.
      const lock = result.lockfile;
      const deployedSpec = lock ? withLockfile(spec, lock) : spec;
      setWs((w) => {
        if (!sameFunction(w, cur)) return w;
        const now = lock ? withLockfile(w.spec, lock) : w.spec;
        return { ...w, spec: now, baseline: specText(deployedSpec), hasDraft: specText(now) !== specText(deployedSpec), draftSavedAt: null, deployed: true, failure: null };
      });
    } catch (e) {
      const err = e as FuncdeckError;
      const details = (err.details ?? {}) as { diagnostics?: BuildDiagnostic[]; issues?: SpecIssue[]; lastLogLines?: string[] };
      if (details.diagnostics || details.issues) setMarks(details.diagnostics ?? [], details.issues ?? []);
      const lines = Array.isArray(details.lastLogLines) ? details.lastLogLines.filter((l): l is string => typeof l === 'string') : [];
      setDeploy((d) =>
        d && d.deployId === deployId
          ? { ...d, error: err, issues: details.issues ?? [], result: 'failed', lastLogLines: lines.length ? lines : d.lastLogLines }
          : d,
      );
      // A revision that was applied but did not become ready: the function now exists in the cluster.
      if (err.code === 'DEPLOY_FAILED') setWs((w) => (sameFunction(w, cur) ? { ...w, deployed: true, failure: { reason: err.message, lastLogLines: lines } } : w));
    } finally {
      setBusy(null);
    }
  }, [engine, busy]);

  useEffect(() => () => unsubscribeDeploy.current?.(), []);

  // Never another selection's function, even for the render before the effect above drops it.
  const workspace: Workspace | null = ws && `${ws.context}/${ws.namespace}` === selKey ? { ...ws, dirty: specText(ws.spec) !== ws.baseline } : null;
  return { workspace, loading, loadError, deployRun: deploy, busy, open, openRevision, create, edit, replace, save, discard, close, remove, deploy: deployNow };
}
