import fs from 'node:fs';
import path from 'node:path';

/** The project folder (where package.json is), found from this file whether run from src/ or dist/src/. */
export const PROJECT_ROOT = ((): string => {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'cards'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
})();
