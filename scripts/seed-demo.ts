// `npm run seed:demo`: seed the demo school into whatever database the environment points at
// (stop the server first when on PGlite: the embedded database allows one process at a time).
import { loadConfig } from '../src/lib/server/config';
import { openDatabase } from '../src/lib/server/db';
import { seedDemo } from '../src/lib/server/demo';

const config = loadConfig();
const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
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
