// `npm run seed:demo`: seed the demo school into whatever database the environment points at.
// On the embedded database a running server holds DATA_DIR's lock: we refuse with one line
// instead of opening the files a second time (which corrupts them).
import { loadConfig } from '../src/lib/server/config';
import { DatabaseUnavailableError, openDatabase } from '../src/lib/server/db';
import { seedDemo } from '../src/lib/server/demo';

const config = loadConfig();
let handle;
try {
	handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
} catch (error) {
	if (!(error instanceof DatabaseUnavailableError)) throw error;
	console.error(`Groeibord cannot start: ${error.message}`);
	process.exit(1);
}
try {
	const { created } = await seedDemo(handle.db);
	console.log(created ? 'Demo school seeded.' : 'Demo school was already there; nothing to do.');
	console.log(
		'Log in as ib@demo.groeibord.nl, mentor@demo.groeibord.nl or docent@demo.groeibord.nl'
	);
	console.log('Password: groeibord-demo');
} finally {
	await handle.close();
}
