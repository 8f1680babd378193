// "The user saved function <name>": Ctrl+S and the Save button both go through App's save; live
// update listens here to push the saved code (useLive.ts) without App knowing about it.
type Listener = (name: string) => void;
const listeners = new Set<Listener>();

export function notifySaved(name: string): void {
  for (const l of listeners) l(name);
}

export function onSaved(listener: Listener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
