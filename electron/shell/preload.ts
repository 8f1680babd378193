import { contextBridge, ipcRenderer } from 'electron';

// The renderer gets exactly two functions: send a contract message, receive one. No Node, no ipcRenderer.
contextBridge.exposeInMainWorld('funcdeck', {
  send(text: string) {
    if (typeof text === 'string') ipcRenderer.send('funcdeck:message', text);
  },
  onMessage(listener: (text: string) => void) {
    ipcRenderer.on('funcdeck:message', (_event, text: unknown) => {
      if (typeof text === 'string') listener(text);
    });
  },
});
