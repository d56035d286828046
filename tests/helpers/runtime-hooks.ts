/**
 * `startTestRuntime` as vitest hooks, for the suites that want a fresh runtime per test. Not in
 * runtime.ts: the benchmarks import that outside vitest.
 */
import { afterEach, beforeEach } from 'vitest';
import type { Driver } from './db';
import { startTestRuntime, type TestRuntime } from './runtime';

/**
 * A runtime started before each test of the calling `describe` and closed after it (after the
 * hooks the suite registers later, such as an app server's close). Its fields read the current
 * test's runtime, so they are there inside a test, not while the suite is collected.
 */
export function runtimeForEachTest(
	driver: Driver,
	env: Record<string, string> = {}
): Pick<TestRuntime, 'runtime' | 'database'> {
	let current: TestRuntime | undefined;
	beforeEach(async () => {
		current = await startTestRuntime(driver, env);
	});
	afterEach(async () => {
		await current?.close();
		current = undefined;
	});
	const now = () => {
		if (!current) throw new Error('the test runtime exists only while a test runs');
		return current;
	};
	return {
		get runtime() {
			return now().runtime;
		},
		get database() {
			return now().database;
		}
	};
}
