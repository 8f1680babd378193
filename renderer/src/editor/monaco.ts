// The one place Monaco is imported. Only lazily loaded modules may import this file, so the editor
// stays out of the first chunk (the app paints before Monaco has even been fetched).
import './monaco-environment';
import * as monaco from 'monaco-editor';

export { monaco };

export type MarkerInput = {
  line: number;
  column: number;
  endLine?: number | undefined;
  endColumn?: number | undefined;
  message: string;
  severity: 'error' | 'warning' | 'info';
};

export function toMarkers(markers: MarkerInput[], model: monaco.editor.ITextModel): monaco.editor.IMarkerData[] {
  return markers.map((m) => {
    const endLine = m.endLine ?? m.line;
    const lineLength = model.getLineCount() >= endLine ? model.getLineMaxColumn(endLine) : m.column + 1;
    return {
      startLineNumber: m.line,
      startColumn: m.column,
      endLineNumber: endLine,
      // Without an end, underline to the end of the line so the marker is visible.
      endColumn: m.endColumn ?? Math.max(lineLength, m.column + 1),
      message: m.message,
      severity:
        m.severity === 'error' ? monaco.MarkerSeverity.Error : m.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info,
    };
  });
}

// Monaco's own themes with comments readable at WCAG AA (vs-dark's #608b4e on #1e1e1e is 4.2:1).
// Its diff tints are lighter too: vs-dark's green under the modified side's text left keywords at 3.8:1.
monaco.editor.defineTheme('funcdeck-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [{ token: 'comment', foreground: '7ca668' }],
  colors: {
    'diffEditor.insertedLineBackground': '#9bb9550f',
    'diffEditor.insertedTextBackground': '#9bb9550d',
    'diffEditor.removedLineBackground': '#ff00001f',
    'diffEditor.removedTextBackground': '#ff000014',
  },
});
// vs's teal types (YAML keys), green numbers and red attributes are 4.0–4.8:1 on white and less on a diff's tint.
monaco.editor.defineTheme('funcdeck-light', {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'comment', foreground: '1d6b12' },
    { token: 'type', foreground: '00696b' },
    { token: 'number', foreground: '076e47' },
    { token: 'attribute.name', foreground: 'b00000' },
    { token: 'tag', foreground: '800000' },
    { token: 'predefined', foreground: '1f6f8b' },
  ],
  colors: {
    'diffEditor.insertedLineBackground': '#9bb9551f',
    'diffEditor.insertedTextBackground': '#9bb95514',
    'diffEditor.removedLineBackground': '#ff000014',
    'diffEditor.removedTextBackground': '#ff00000f',
  },
});

export function setMonacoTheme(theme: 'dark' | 'light') {
  monaco.editor.setTheme(theme === 'dark' ? 'funcdeck-dark' : 'funcdeck-light');
}
