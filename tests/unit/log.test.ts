import { afterEach, describe, expect, it, vi } from 'vitest';
import { log, setLogLevel } from '../../server/log';

describe('LOG_LEVEL', () => {
	afterEach(() => {
		setLogLevel('info');
		vi.restoreAllMocks();
	});

	it('prints only messages at or above the configured level', () => {
		const out = vi.spyOn(console, 'log').mockImplementation(() => {});
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		setLogLevel('warn');
		log.info('quiet');
		log.debug('quieter');
		log.warn('heard');
		expect(out).not.toHaveBeenCalled();
		expect(warn).toHaveBeenCalledTimes(1);
		setLogLevel('debug');
		log.debug('now heard');
		expect(out).toHaveBeenCalledTimes(1);
	});
});
