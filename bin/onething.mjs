#!/usr/bin/env node
// The `onething` command: runs src/cli.ts through tsx, so no build step stands between a change and a run.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
