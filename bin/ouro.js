#!/usr/bin/env node
// Entry point: runs the TypeScript sources through tsx so `npx ouro` works right after
// `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
