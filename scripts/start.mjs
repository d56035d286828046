// `npm start`: build when the build is missing or older than the sources, then run the
// production server in this same process (so SIGTERM reaches it directly).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'build', 'server.js');
const inputs = [
	'src',
	'server',
	'messages',
	'static',
	'drizzle',
	'project.inlang/settings.json',
	'package-lock.json',
	'svelte.config.js',
	'vite.config.ts'
];

function newest(p) {
	if (!existsSync(p)) return 0;
	const stat = statSync(p);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let max = stat.mtimeMs;
	for (const name of readdirSync(p)) {
		if (name === 'paraglide' || name === 'node_modules') continue;
		max = Math.max(max, newest(path.join(p, name)));
	}
	return max;
}

const builtAt = existsSync(entry) ? statSync(entry).mtimeMs : 0;
const sourcesAt = Math.max(...inputs.map((p) => newest(path.join(root, p))));
if (builtAt < sourcesAt) {
	console.log(builtAt ? 'Sources changed, rebuilding…' : 'Building Groeibord (first start)…');
	const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) {
		console.error('Groeibord cannot start: the build failed (see above)');
		process.exit(result.status ?? 1);
	}
}
await import(pathToFileURL(entry).href);
