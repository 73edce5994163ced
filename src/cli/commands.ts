import type { Command } from 'commander';

/** One entry per command file (src/cli/<command>.ts), each exporting register(program). */
export const commands: Array<(program: Command) => void> = [];
