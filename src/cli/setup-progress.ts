// Set-up before the first generation can take a while (reading a corpus of hundreds of MB,
// building its vocabulary and generation 0) with nothing else on the screen; these lines say
// what is happening, when the inputs are large enough for it to matter.
import { statSync } from 'node:fs';
import type { Io } from '../families/entry.ts';
import { bytes } from '../config/budget.ts';

/** Files from this size on are announced (a 16 MB corpus takes seconds to tokenize). */
const LARGE = 16e6;

/** `io` announcing, through `log`, each file it reads of at least `large` bytes; `done()` says how long set-up took after one. */
export function announcingIo(io: Io, log: (line: string) => void, large = LARGE, now: () => number = Date.now): { io: Io; done(): void } {
  const start = now();
  let announced = false;
  return {
    io: {
      ...io,
      readFile: async (path) => {
        let size = 0;
        try {
          size = statSync(path).size;
        } catch {
          // the read itself reports what is wrong
        }
        if (size < large) return io.readFile(path);
        announced = true;
        log(`reading ${path} (${bytes(size)})…`);
        const t = now();
        const data = await io.readFile(path);
        log(`read ${path} in ${seconds(now() - t)}; building its tokens and vocabulary…`);
        return data;
      },
    },
    done: () => void (announced && log(`set up in ${seconds(now() - start)}`)),
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
