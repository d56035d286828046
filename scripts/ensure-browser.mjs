// Before e2e: make sure a Chromium exists without downloading one through Playwright.
// Debian/Ubuntu as root: install the distribution's `chromium` package. Elsewhere: say what
// to do, in one line, and stop.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
if (candidates.some((p) => existsSync(p)) || process.env.PLAYWRIGHT_BROWSERS_PATH) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let hasApt = false;
try {
	execSync('command -v apt-get', { stdio: 'ignore', shell: '/bin/sh' });
	hasApt = true;
} catch {
	hasApt = false;
}
if (isRoot && hasApt) {
	console.log('Installing Chromium from the distribution (for end-to-end tests)…');
	execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
		stdio: 'inherit',
		shell: '/bin/sh'
	});
	process.exit(0);
}
console.error(
	'End-to-end tests need Chromium at /usr/bin/chromium (e.g. `sudo apt-get install chromium`).'
);
process.exit(1);
