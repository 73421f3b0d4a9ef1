/**
 * Defaults the engine and the configuration share (SPEC §4), in a module of
 * their own so that reading a configuration does not load the parser.
 */

/** The default `tests` globs: pytest's file naming, `tests/` directories and `conftest.py`. */
export const DEFAULT_TEST_GLOBS: readonly string[] = ['**/test_*.py', '**/*_test.py', '**/tests/**', '**/conftest.py'];

/**
 * The default `scripts` globs: examples, samples, tutorials, benchmarks, documentation, helper
 * scripts and the repository's own tooling — code that runs once and exits,
 * where a file left to the garbage collector or a cycle on an object built
 * once is not worth a review comment — and test-support folders the `tests`
 * default does not name (`test/`, `testing/`, `unittests/`, `unit_tests/`,
 * `integration_tests/`, a root folder whose name ends in `test` or `tests` such as
 * `ropetest/` or `functionaltests/`, and `testutil/`, `testutils/`, `test_utils/`),
 * and the packaging script
 * `setup.py` (run once per build).
 */
export const DEFAULT_SCRIPT_GLOBS: readonly string[] = [
  '**/examples/**',
  '**/example/**',
  '**/samples/**',
  '**/sample/**',
  '**/tutorial/**',
  '**/tutorials/**',
  '**/benchmarks/**',
  '**/benchmark/**',
  '**/bench/**',
  '**/docs/**',
  '**/doc/**',
  '**/demo/**',
  '**/demos/**',
  '**/scripts/**',
  'tools/**',
  // Ex) hypothesis's tooling/: the maintainers' release and CI tasks
  'tooling/**',
  '**/test/**',
  '**/testing/**',
  // Ex) meson's unittests/: test suites in folders the pytest-style names above miss
  '**/unittests/**',
  '**/unit_tests/**',
  '**/integration_tests/**',
  // Ex) pylxd's integration/, a root-level folder of end-to-end tests (a package's own integration/ module is product code)
  'integration/**',
  'e2e/**',
  // Ex) rope's ropetest/, functionaltests/, integration-tests/: a test suite at the root named for what it tests
  '?*test/**',
  '?*tests/**',
  // Ex) osbuild/testutil/: helpers only the test suite imports
  '**/testutil/**',
  '**/testutils/**',
  '**/test_utils/**',
  '**/setup.py',
  // Ex) procrastinate's noxfile.py: nox's and Fabric's task files run once per command, like setup.py
  '**/noxfile.py',
  '**/fabfile.py',
];
