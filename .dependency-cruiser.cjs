// The layers of the code, checked by dependency-cruiser in `npm test` (npm run lint:layers).
// Type-only imports are allowed across layers: they vanish at build time and carry no behaviour.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shipped-code-not-test',
      comment: 'Reference servers (the axis, a TSA) and fixtures stay on the test side; nothing shipped imports them.',
      severity: 'error',
      from: { path: '^(main|preload|renderer)/' },
      to: { path: '^test/' },
    },
    {
      name: 'core-not-electron',
      comment: 'The core runs under plain Node (CLI, web host, tests): only the Electron shell and the preload import electron.',
      severity: 'error',
      from: { path: '^main/(core|common|node|cli|build)/' },
      to: { path: '(^|/)node_modules/electron/' },
    },
    {
      name: 'common-is-pure',
      comment: 'main/common is shared with the renderer: no Node modules, nothing of the rooms above it.',
      severity: 'error',
      from: { path: '^main/common/' },
      to: { pathNot: '^main/common/', dependencyTypesNot: ['type-only', 'npm'] },
    },
    {
      name: 'renderer-not-node',
      comment: 'The renderer talks to the core only through the contract (window.eoffice or the web host).',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^main/(?!common/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'preload-thin',
      comment: 'The preload exposes one function per API method and nothing else.',
      severity: 'error',
      from: { path: '^preload/' },
      to: { path: '^main/(?!common/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'core-not-transport',
      comment: 'No core module imports a transport or a shell: the CLI, the Electron shell and the web host sit above the core.',
      severity: 'error',
      from: { path: '^main/core/' },
      to: { path: '^main/(electron|node|cli|build)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-not-api',
      comment: 'The rooms of the core (registry, issuing, exchange…) are called by the API handlers, never the other way round.',
      severity: 'error',
      from: { path: '^main/core/', pathNot: '^main/core/(api|app|web)/' },
      to: { path: '^main/core/(api|app|web)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'registry-below-its-users',
      comment: 'The registry (documents, registers, files, audit) is the ground the other rooms build on.',
      severity: 'error',
      from: { path: '^main/core/(registry|storage)/' },
      to: { path: '^main/core/(issuing|incoming|exchange|reports|books|validation)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'signing-through-the-signing-room',
      comment: 'A stored document is signed through signing/signStoredFile.ts, whoever signs (issue 14); loose files through signing/signFiles.ts.',
      severity: 'error',
      from: { path: '^main/', pathNot: '^main/core/(pades/|signing/signStoredFile\\.ts$)' },
      to: { path: '^main/core/pades/signPdf\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'signing-below-issuing',
      comment: 'Issuing decides where its signatures go and asks the signing room to make them; the signing room never calls back into issuing.',
      severity: 'error',
      from: { path: '^main/core/signing/' },
      to: { path: '^main/core/(issuing|registry/signDocuments)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'cli-through-the-contract',
      comment: "The command line works the registry as the app does, through the API contract (invoke); it never reaches for the handlers' helpers or the rooms they call (issue 14).",
      severity: 'error',
      from: { path: '^main/cli/' },
      to: { path: '^main/core/(api/(?!invoke\\.ts$)|issuing/|incoming/|registry/|exchange/|reports/|books/|accounts/|signing/(signDocuments|signStoredFile)\\.ts$)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mjs', '.js', '.json'] },
  },
};
