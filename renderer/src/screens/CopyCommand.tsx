import { Fragment } from 'react';
import { TransientNote, useTransientNote } from '../status/TransientNote';

/** A shell command as code, with a button that copies it (said politely, then faded). */
export function CopyCommand({ command }: { command: string }) {
  const note = useTransientNote();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      note.show(`Copied ${command}.`);
    } catch {
      note.show('The clipboard refused: select the command and copy it by hand.');
    }
  };
  return (
    <span className="copy-command">
      <code>{command}</code>
      <button type="button" className="small" aria-label={`Copy ${command}`} onClick={() => void copy()}>
        Copy
      </button>
      <TransientNote note={note} />
    </span>
  );
}

/** Text from the engine with `backticked` parts shown as code (never raw backticks). */
export function WithCode({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/);
  return (
    <>
      {parts.map((p, i) => (i % 2 === 1 ? <code key={i}>{p}</code> : <Fragment key={i}>{p}</Fragment>))}
    </>
  );
}

/** The engine's advice on an unreachable cluster (its UNREACHABLE_HINT), which the screen gives once in its own words. */
export function withoutUnreachableAdvice(message: string): string {
  return message.replace(/\s*Is the cluster running\?.*$/s, '').trim();
}
