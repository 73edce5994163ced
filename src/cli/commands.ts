import type { Command } from 'commander';
import { register as generate } from './generate.js';
import { register as entaikin } from './entaikin.js';
import { register as extract } from './extract.js';
import { register as init } from './init.js';
import { register as importCmd } from './import.js';
import { register as settings } from './settings.js';

/** One entry per command file (src/cli/<command>.ts), each exporting register(program). */
export const commands: Array<(program: Command) => void> = [
  generate,
  entaikin,
  extract,
  init,
  importCmd,
  settings,
];
