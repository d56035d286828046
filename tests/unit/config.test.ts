import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/lib/server/config';

describe('configuration', () => {
	it('has working defaults: port 3000, embedded database under ./data', () => {
		const config = loadConfig({});
		expect(config.PORT).toBe(3000);
		expect(config.HOST).toBe('0.0.0.0');
		expect(config.DATABASE_URL).toBeUndefined();
		expect(config.dataDir.endsWith('/data')).toBe(true);
	});

	it('treats empty strings as unset', () => {
		expect(loadConfig({ PORT: '', DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
	});

	it.each([
		[{ PORT: 'abc' }, /^PORT must be a number \(got "abc"\)$/],
		[{ PORT: '70000' }, /^PORT must be between 0 and 65535/],
		[{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a URL starting with postgres:/],
		[{ REDIS_URL: 'not a url' }, /^REDIS_URL must be a URL starting with redis:/],
		[{ ORIGIN: 'ftp://school.nl' }, /^ORIGIN must be a URL starting with http:/],
		[{ SYNC_MAX_FRAME_BYTES: '-1' }, /^SYNC_MAX_FRAME_BYTES /],
		[{ SYNC_FLUSH_MS: '200' }, /^SYNC_FLUSH_MS must be at most 50/],
		[{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL /]
	])('rejects %j with one line naming the variable', (env, message) => {
		let error: unknown;
		try {
			loadConfig(env);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ConfigError);
		expect((error as Error).message).toMatch(message);
		expect((error as Error).message).not.toContain('\n');
	});

	it('never echoes a database password in its error', () => {
		expect(() => loadConfig({ DATABASE_URL: 'mysql://u:secret@host/db' })).toThrow(
			/^(?!.*secret).*$/
		);
	});
});
