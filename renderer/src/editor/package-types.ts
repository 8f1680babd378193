// Teaches Monaco the function's installed packages (deps.types): their .d.ts files go to the
// TypeScript worker as extra libraries under the models' root, so `import _ from 'lodash'` resolves
// as in node_modules (completions, hovers, errors); for Python, the importable module names complete
// after `import` and `from`. Loaded with the editor only (it imports Monaco).
import type { EditorPackages } from '../../../shared/contract/deps';
import { monaco } from './monaco';

/** The editor's models live at inmemory://funcdeck/fn/<name>/g<N>/<file>; node_modules resolves up to this root. */
const ROOT = 'inmemory://funcdeck/';
let configured = false;
let pythonModules: string[] = [];

function configure() {
  if (configured) return;
  configured = true;
  const ts = monaco.typescript;
  for (const defaults of [ts.typescriptDefaults, ts.javascriptDefaults]) {
    defaults.setCompilerOptions({
      ...defaults.getCompilerOptions(),
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.NodeJs,
      esModuleInterop: true,
      allowSyntheticDefaultImports: true,
      allowJs: true,
      allowNonTsExtensions: true,
    });
  }
  monaco.languages.registerCompletionItemProvider('python', {
    triggerCharacters: [' ', '.'],
    provideCompletionItems(model, position) {
      const before = model.getValueInRange({ startLineNumber: position.lineNumber, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
      const m = /^\s*(?:import|from)\s+([A-Za-z0-9_]*)$/.exec(before);
      if (!m) return { suggestions: [] };
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: position.column - m[1]!.length, endColumn: position.column };
      return {
        suggestions: pythonModules.map((name) => ({ label: name, kind: monaco.languages.CompletionItemKind.Module, insertText: name, detail: 'installed package', range })),
      };
    },
  });
}

export function applyPackageTypes(p: Pick<EditorPackages, 'typeFiles' | 'pythonModules'>): void {
  configure();
  const libs = p.typeFiles.map((f) => ({ content: f.content, filePath: ROOT + f.path }));
  monaco.typescript.typescriptDefaults.setExtraLibs(libs);
  monaco.typescript.javascriptDefaults.setExtraLibs(libs);
  pythonModules = p.pythonModules;
}
