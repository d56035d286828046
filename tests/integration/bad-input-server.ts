/**
 * Child process for bad-input.test.ts: the built SvelteKit handler (tests/helpers/handler.ts) on a
 * fresh in-memory database with an admin, a staff owner, a team, a student, a board, a review
 * round and a single-use guest link; answers SQL over IPC so the test can check nothing was
 * lost. A child process for the same reason as access-matrix-server.ts: the build runs as built.
 */
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
import { serveBuilt } from '../helpers/handler';
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

const { url, ready } = await serveBuilt(rt);

ready({
	url,
	boardId: b.id,
	teamId: t.id,
	studentId: s.id,
	roundId: round.value,
	ownerId: owner.id,
	inviteToken: invite.token,
	cookies: { admin: await loginToken(db, admin), owner: await loginToken(db, owner) }
});
