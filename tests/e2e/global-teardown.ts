/** After the run: drop the PostgreSQL project's fresh database (tests/e2e/postgres.ts). */
import { dropDatabase, e2eDatabase } from './postgres';

export default async function globalTeardown(): Promise<void> {
	const db = e2eDatabase();
	if (db) await dropDatabase(db);
}
