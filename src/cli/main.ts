#!/usr/bin/env node
/**
 * The `rl-focal` executable. It checks the Node.js version before it loads anything else: the program's dependencies
 * include ES modules (arquero), which Node.js before 20.19 cannot `require`, so an older Node would die with an
 * ERR_REQUIRE_ESM stack trace instead of saying what is wrong. Nothing above the version check may import them.
 */

const REQUIRED_NODE: readonly [number, number] = [20, 19];

/** True when `version` ("20.19.1", "v18.20.0") is older than REQUIRED_NODE. */
function nodeTooOld(version: string): boolean {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major < REQUIRED_NODE[0] || (major === REQUIRED_NODE[0] && minor < REQUIRED_NODE[1]);
}

/**
 * stdout closed by its reader (`rl-focal train --help | head -1`: EPIPE) is not an error of ours: stop quietly. A
 * full disk behind a redirection (ENOSPC) is: one line on stderr, exit 1.
 */
function guardOutputStreams(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`rl-focal: error: cannot write to stdout: ${error.code === 'ENOSPC' ? 'no space left on device' : error.message}\n`);
    process.exit(1);
  });
  // When stderr itself fails there is nowhere left to report to.
  process.stderr.on('error', () => process.exit(1));
}

const version = process.versions.node;
if (nodeTooOld(version)) {
  process.stderr.write(`rl-focal: error: Node.js >= ${REQUIRED_NODE.join('.')} is required, this is Node.js ${version}\n`);
  process.exitCode = 2;
} else {
  guardOutputStreams();
  // Loaded only now: see the version check above.
  void import('./program').then(({ runCli }) =>
    runCli(process.argv).then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        process.stderr.write(`rl-focal: internal error: ${String(error)}\n`);
        process.exitCode = 1;
      },
    ),
  );
}
