/**
 * Child process for bad-input.test.ts: the built SvelteKit handler (build/handler.js) on a
 * fresh in-memory database with an admin, a staff owner, a team, a student, a board, a review
 * round and a single-use guest link; answers SQL over IPC so the test can check nothing was
 * lost. A child process for the same reason as access-matrix-server.ts: the build runs as built.
 */
import { createServer } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { createBoardInvite } from '../../src/lib/server/access/sharing';
import { createRound } from '../../src/lib/server/review';
import type { UserActor } from '../../src/lib/server/access/guards';
import {
	loginToken,
	makeBoard,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser
} from '../helpers/factories';
import { startTestRuntime } from '../helpers/runtime';

const rt = await startTestRuntime('pglite');
const db = rt.database.db;
const school = await makeSchool(db);
const admin = await makeUser(db, school.id, { role: 'admin' });
const owner = await makeUser(db, school.id);
const t = await makeTeam(db, school.id, [admin.id, owner.id]);
const s = await makeStudent(db, school.id, { teamId: t.id });
const b = await makeBoard(db, school.id, { teamId: t.id, members: [[owner.id, 'owner']] });
const invite = await createBoardInvite(
	db,
	b.id,
	{ role: 'editor', expiresHours: 24, singleUse: true, label: '' },
	owner.id
);
const adminActor = {
	kind: 'user',
	session: {},
	user: { id: admin.id, schoolId: school.id, role: 'admin', email: '', name: '', locale: null }
} as unknown as UserActor;
const round = await createRound(db, adminActor, { teamId: t.id, title: 'Ronde 1' });
if (!round.ok) throw new Error('round not created');

const app: { handler?: Parameters<typeof createServer>[1] } = {};
const server = createServer((req, res) => app.handler!(req, res));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
process.env.ORIGIN = url;
const built = (await import(pathToFileURL(path.resolve('build/handler.js')).href)) as {
	handler: Parameters<typeof createServer>[1];
};
app.handler = built.handler;

process.on('message', (message: { id: number; op: 'sql' | 'close'; text?: string }) => {
	void (async () => {
		if (message.op === 'close') {
			await new Promise((resolve) => server.close(resolve));
			await rt.close();
			process.send!({ id: message.id, result: null }, () => process.exit(0));
			return;
		}
		const r: unknown = await db.execute(sql.raw(message.text!));
		const rows = r && typeof r === 'object' && 'rows' in r ? r.rows : r;
		process.send!({ id: message.id, result: rows });
	})();
});

process.send!({
	id: 0,
	result: {
		url,
		boardId: b.id,
		teamId: t.id,
		studentId: s.id,
		roundId: round.value,
		ownerId: owner.id,
		inviteToken: invite.token,
		cookies: { admin: await loginToken(db, admin), owner: await loginToken(db, owner) }
	}
});
