#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader, so `npx leadflow` works on a fresh clone with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/leadflow.ts');
