import type { Live } from './useLive';
import { plural } from '../../../shared/plural';
import './live.css';

/** What live mode is doing: where saves go, the last push, and anything that changed behind it. */
export function LiveBar({ live }: { live: Live }) {
  const { on, push, status } = live;
  const notice = status?.notice ?? null;
  if (!on && !status?.live && !notice) return null;
  const pods = push.result?.pods ?? [];
  return (
    <div className={`live-bar ${status?.live ? 'is-live' : ''}`} role="region" aria-label="Live update">
      {on && (
        <span>
          {push.state === 'pushing'
            ? 'Pushing your code into the running pods…'
            : push.state === 'done' && push.result
              ? `Saved code runs in ${plural(pods.length, 'pod')} of revision ${push.result.revision} (pushed in ${Math.round(push.result.ms)} ms). Not a revision: Deploy makes it one.`
              : push.state === 'failed'
                ? null
                : 'Live: each save pushes your code into the running pods.'}
        </span>
      )}
      {!on && status?.live && <span>Pods run live-edited code that is not a revision. Deploy makes it one; turning Live on and off gives them the revision back.</span>}
      {push.state === 'failed' && push.error && (
        <span className="live-error" role="alert">
          Not pushed: {push.error.message}
        </span>
      )}
      {notice && (
        <span className="live-notice" role="status">
          {notice}
        </span>
      )}
    </div>
  );
}
