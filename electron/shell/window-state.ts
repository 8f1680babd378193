import fs from 'node:fs';
import path from 'node:path';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

const DEFAULT: WindowBounds = { width: 1400, height: 900, maximized: false };

/** Remembers the window's size and position between launches (a small JSON file in userData). */
export function loadWindowState(dir: string): WindowBounds {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(dir, 'window-state.json'), 'utf8')) as Partial<WindowBounds>;
    const width = Number(raw.width);
    const height = Number(raw.height);
    if (!(width >= 600 && height >= 400)) return DEFAULT;
    return {
      x: Number.isFinite(raw.x) ? raw.x : undefined,
      y: Number.isFinite(raw.y) ? raw.y : undefined,
      width,
      height,
      maximized: raw.maximized === true,
    };
  } catch {
    return DEFAULT;
  }
}

export function saveWindowState(dir: string, bounds: WindowBounds): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'window-state.json'), JSON.stringify(bounds));
  } catch {
    // Losing the window position is not worth bothering the user about.
  }
}
