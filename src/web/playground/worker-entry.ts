// The Web Worker's entry point (bundled by build.ts into worker.js).
import { listen, type Command, type Report } from './worker.ts';

listen(self as unknown as { onmessage: ((e: MessageEvent<Command>) => void) | null; postMessage(r: Report): void });
