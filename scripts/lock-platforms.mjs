// Keeps package-lock.json complete for every platform.
//
// Why: the package mirror this project is built against serves only the current platform's
// optional binaries (rollup, lightningcss, … for linux-x64) and answers 404 for the others,
// so `npm install` leaves them out of the lock and `npm ci` then refuses the lock. We add
// the missing entries with the os/cpu/libc their names declare; npm skips them on every
// other platform without fetching, exactly as it does with a lock made on the public
// registry. Run after `npm install <pkg>`: `node scripts/lock-platforms.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const packages = lock.packages;
const oses = [
	'darwin',
	'linux',
	'win32',
	'android',
	'freebsd',
	'openbsd',
	'netbsd',
	'sunos',
	'aix',
	'openharmony'
];
const cpus = [
	'x64',
	'arm64',
	'arm',
	'ia32',
	'riscv64',
	'ppc64',
	's390x',
	'loong64',
	'mips64el',
	'wasm32',
	'universal'
];

function platformOf(name) {
	const tokens = name.split('/').pop().split(/[-_.]/);
	const os = tokens.find((t) => oses.includes(t));
	const cpu = tokens.find((t) => cpus.includes(t)) ?? (tokens.includes('eabi') ? 'arm' : undefined);
	const libc = tokens.includes('musl')
		? 'musl'
		: tokens.includes('gnu') || tokens.includes('gnueabihf')
			? 'glibc'
			: undefined;
	return { os, cpu, libc };
}

let added = 0;
for (const [path, entry] of Object.entries(packages)) {
	for (const [dep, range] of Object.entries(entry.optionalDependencies ?? {})) {
		const base = path ? `${path}/node_modules/${dep}` : `node_modules/${dep}`;
		const top = `node_modules/${dep}`;
		if (packages[base] || packages[top]) continue;
		const { os, cpu, libc } = platformOf(dep);
		if (!os && !cpu) continue; // not a platform binary: leave it to npm
		const version = String(range).replace(/^[\^~=]/, '');
		packages[top] = {
			version,
			...(entry.dev ? { dev: true } : {}),
			optional: true,
			...(os ? { os: [os] } : {}),
			...(cpu && cpu !== 'universal' && cpu !== 'wasm32' ? { cpu: [cpu] } : {}),
			...(cpu === 'wasm32' ? { cpu: ['wasm32'] } : {}),
			...(libc ? { libc: [libc] } : {})
		};
		added++;
	}
}
lock.packages = Object.fromEntries(
	Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)))
);
writeFileSync('package-lock.json', JSON.stringify(lock, null, '\t') + '\n');
console.log(`lock-platforms: added ${added} platform entries`);
