import type { Command } from 'commander';
import { register as generate } from './generate.js';
import { register as entaikin } from './entaikin.js';
import { register as extract } from './extract.js';
import { register as write } from './write.js';
import { register as cancel } from './cancel.js';
import { register as batches } from './batches.js';
import { register as init } from './init.js';
import { register as importCmd } from './import.js';
import { register as settings } from './settings.js';
import { register as importResults } from './import-results.js';
import { register as importStatement } from './import-statement.js';
import { register as bankSim } from './bank-sim.js';
import { register as reconcile } from './reconcile.js';
import { register as report } from './report.js';
import { register as exportCmd } from './export.js';
import { register as inspect } from './inspect.js';
import { register as validate } from './validate.js';
import { register as demo } from './demo.js';
import { register as inquire } from './inquire.js';
import { register as importAnswers } from './import-answers.js';
import { register as holds } from './holds.js';
import { register as instruct } from './instruct.js';
import { register as documents } from './documents.js';
import { register as users } from './users.js';
import { register as serve } from './serve.js';

/** One entry per command file (src/cli/<command>.ts), each exporting register(program). */
export const commands: Array<(program: Command) => void> = [
  generate,
  entaikin,
  extract,
  write,
  cancel,
  batches,
  init,
  importCmd,
  importResults,
  importStatement,
  bankSim,
  settings,
  reconcile,
  report,
  exportCmd,
  inspect,
  validate,
  demo,
  inquire,
  importAnswers,
  holds,
  instruct,
  documents,
  users,
  serve,
];
