#!/usr/bin/env node
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
// Benchmarks read the peak RSS of the CLI process from this line (bench/bench-crash-to-live.ts).
if (process.env.HELIOS_BENCH_RSS)
  process.stderr.write(`maxrss-kb ${process.resourceUsage().maxRSS}\n`);
