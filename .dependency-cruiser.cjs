/**
 * The one-way layering of docs/architecture.md, checked by `npm run lint:deps` (run by
 * `npm test` before vitest, so CI fails with the file names of any arrow that points back).
 *
 *   core ← domain ← (layout, text) ← file ← db ← steps ← report ← (cli, server; cli starts server)
 *
 * (arrows read "is imported by"). bank-sim, demo and bench are tools beside the product:
 * they may call steps, but nothing in the product imports them.
 */
const STEPS = '^src/(steps|batch)/';
module.exports = {
  forbidden: [
    {
      name: 'core-imports-nothing-of-ours',
      comment: 'core/ is the base: errors, dates, files, logging. It imports no other folder of src/.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'domain-imports-only-core',
      comment: 'domain/ holds the pure rules (延滞金, allocation, eligibility, calendar): no files, no SQL, no steps.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/(core|domain)/' },
    },
    {
      name: 'layout-and-text-know-no-steps-no-database',
      comment: 'layout/ and text/ are the codec: they know no seizures, no database, no steps, no reports.',
      severity: 'error',
      from: { path: '^src/(layout|text)/' },
      to: { path: '^src/(db|steps|batch|report|cli|settings|bank-sim|demo|bench|file)/' },
    },
    {
      name: 'file-knows-no-database-no-steps',
      comment: 'file/ frames and checks fixed-width files: no database, no steps.',
      severity: 'error',
      from: { path: '^src/file/' },
      to: { path: '^src/(db|steps|batch|report|cli|settings|bank-sim|demo|bench)/' },
    },
    {
      name: 'db-imports-no-step',
      comment: 'db/ is the store behind named queries; steps call it, never the other way.',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/(steps|batch|report|cli|bank-sim|demo|bench)/' },
    },
    {
      name: 'steps-import-no-cli-no-report',
      comment: 'A step is called by the CLI (and later the web application); it never reaches up into them or into report/.',
      severity: 'error',
      from: { path: STEPS },
      to: { path: '^src/(cli|report|bank-sim|demo|bench)/' },
    },
    {
      name: 'a-step-is-entered-through-its-index',
      comment: 'From outside its folder, a step is entered only through its index.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/steps/([^/]+)/' },
      to: { path: '^src/steps/[^/]+/.+', pathNot: '^src/steps/[^/]+/index\\.ts$' },
    },
    {
      name: 'report-imports-no-step',
      comment: 'report/ reads the database through db/ and formats; it calls no step.',
      severity: 'error',
      from: { path: '^src/report/' },
      to: { path: `${STEPS}|^src/(cli|bank-sim|demo|bench)/` },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'cli/ only wires: arguments in, a step called, output out. Nothing outside it imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'only-cli-imports-server',
      comment: 'server/ is the web application: like cli/ it calls steps through their index.ts, report/ and db/ named queries. Only cli/serve.ts starts it; nothing else imports it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli|server)/' },
      to: { path: '^src/server/' },
    },
    {
      name: 'server-imports-no-cli-no-tools',
      comment: 'server/ does not reach into cli/ (it shares builders through report/ and steps instead) or the tools beside the product.',
      severity: 'error',
      from: { path: '^src/server/' },
      to: { path: '^src/(cli|bank-sim|demo|bench)/' },
    },
    {
      name: 'product-imports-no-tools',
      comment: 'bench/ and demo/ are tools over the product; bank-sim is the simulated bank. The product (core..report) imports none of them.',
      severity: 'error',
      from: { path: '^src/(core|domain|layout|text|file|db|settings|steps|batch|report)/' },
      to: { path: '^src/(bench|demo|bank-sim)/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle between modules hides which way the dependency runs.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
