#!/usr/bin/env node
// Thin launcher: the CLI lives in src/cli/main.ts (compiled to dist/ by `npm run build`,
// which `npm ci` runs through the `prepare` script).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
