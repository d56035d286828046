/**
 * Child process for access-matrix.test.ts: the built SvelteKit handler (build/handler.js) and the
 * real /sync WebSocket on one port (server/app.ts), on a fresh database (in-memory PGlite, or
 * PostgreSQL when the test asks for it) with two schools' worth of roles, driven over IPC. A
 * child process, because the build must run as built (Vitest would recompile its *.svelte.js
 * chunks).
 */
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { storeImage } from '../../src/lib/server/photos/media';
import { photoConsent } from '../../src/lib/server/db/schema';
import { claimPairing, pairWithCode, startPairing } from '../../src/lib/server/access/pairing';
import { createBoardInvite, joinWithInvite } from '../../src/lib/server/access/sharing';
import { createRound } from '../../src/lib/server/review';
import { storeMeetingRecord } from '../../src/lib/server/zorgoverleg';
import { ensureFamilyPart } from '../../server/family-mirror';
import type { Actor } from '../../src/lib/server/auth/actor';
import { createStudentLink, redeemStudentLink } from '../../src/lib/server/auth/student-link';
import {
	asUser,
	loginToken,
	makeBoard,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser
} from '../helpers/factories';
import { serveBuilt, testDriver } from '../helpers/handler';
import { startTestRuntime } from '../helpers/runtime';

export type MatrixMessage =
	| { op: 'sql'; text: string }
	| { op: 'invite'; boardId: string; singleUse: boolean; hours: number };

/** Sockets one login may hold open; small, so the matrix can reach the cap cheaply. */
const SOCKETS_PER_LOGIN = 3;
const rt = await startTestRuntime(testDriver(), {
	SYNC_MAX_CONNECTIONS_PER_SESSION: String(SOCKETS_PER_LOGIN)
});
const db = rt.database.db;
const school = await makeSchool(db);
const admin = await makeUser(db, school.id, { role: 'admin' });
const teamStaff = await makeUser(db, school.id);
const outsider = await makeUser(db, school.id);
const owner = await makeUser(db, school.id);
const editor = await makeUser(db, school.id);
const viewer = await makeUser(db, school.id);
const t = await makeTeam(db, school.id, [teamStaff.id]);
const s = await makeStudent(db, school.id, { teamId: t.id });
// Photos for the /media rows: one student with consent, one without (same team).
const png = await sharp({
	create: { width: 64, height: 64, channels: 3, background: { r: 40, g: 120, b: 90 } }
})
	.png()
	.toBuffer();
const photoId = await storeImage(db, png, {
	schoolId: school.id,
	studentId: s.id,
	purpose: 'student_photo'
});
await db
	.insert(photoConsent)
	.values({ studentId: s.id, status: 'given', givenBy: 'parent', recordedById: admin.id });
const s2 = await makeStudent(db, school.id, { teamId: t.id });
// The outsider (in no team) mentors one student of the team: its conversations are theirs.
const mentee = await makeStudent(db, school.id, { teamId: t.id, mentorId: outsider.id });
const photoWithoutConsentId = await storeImage(db, png, {
	schoolId: school.id,
	studentId: s2.id,
	purpose: 'student_photo'
});
const b = await makeBoard(db, school.id, {
	teamId: t.id,
	members: [
		[owner.id, 'owner'],
		[editor.id, 'editor'],
		[viewer.id, 'viewer']
	]
});
const other = await makeBoard(db, school.id, { teamId: t.id });
const personal = await makeBoard(db, school.id, {
	teamId: t.id,
	kind: 'zorgoverleg',
	studentId: s.id
});
// The team's progress wall (never shareable with guests) and a review round of the team.
const wallBoard = await makeBoard(db, school.id, { teamId: t.id, kind: 'voortgangsbord' });
const round = await createRound(
	db,
	{ kind: 'user', user: { ...teamStaff, locale: null } } as unknown as Actor & { kind: 'user' },
	{ teamId: t.id, title: 'Ronde 1' }
);
if (!round.ok) throw new Error('round');
// A second school: its admin holds every id of the first and must reach none of it.
const schoolB = await makeSchool(db, 'School B');
const otherAdmin = await makeUser(db, schoolB.id, { role: 'admin' });
const teamB = await makeTeam(db, schoolB.id);
const boardB = await makeBoard(db, schoolB.id, { teamId: teamB.id });
async function guest(role: 'editor' | 'viewer' | 'child' | 'parent', boardId = b.id) {
	const inv = await createBoardInvite(
		db,
		boardId,
		{ role, expiresHours: 24, singleUse: false, label: '' },
		owner.id
	);
	const joined = await joinWithInvite(db, inv.token, `Gast ${role}`);
	if (!joined.ok) throw new Error('join failed');
	return joined.session.token;
}
// A viewer link to the progress wall from before walls became unshareable: made on a
// verbeterbord whose kind is then changed, as an old database would hold it.
const wallGuestBoard = await makeBoard(db, school.id, { teamId: t.id });
const guestWallViewer = await guest('viewer', wallGuestBoard.id);
await db.execute(sql`update board set kind = 'voortgangsbord' where id = ${wallGuestBoard.id}`);
const otherInvite = await createBoardInvite(
	db,
	other.id,
	{ role: 'viewer', expiresHours: 24, singleUse: false, label: '' },
	admin.id
);
// Another student's care meeting: a student link of `s` must reach nothing of it.
const personal2 = await makeBoard(db, school.id, {
	teamId: t.id,
	kind: 'zorgoverleg',
	studentId: s2.id
});
// A three-way talk about `s`, and one about the other student.
const talk = await makeBoard(db, school.id, {
	teamId: t.id,
	kind: 'driehoeksgesprek',
	studentId: s.id
});
const talk2 = await makeBoard(db, school.id, {
	teamId: t.id,
	kind: 'driehoeksgesprek',
	studentId: s2.id
});
// The personal link of `s` (made by the admin: `s` has no mentor), redeemed on the student's phone.
const studentLinkToken = (await createStudentLink(db, asUser(admin), s)).token;
const redeemed = await redeemStudentLink(db, studentLinkToken);
if (!redeemed.ok) throw new Error('student link');
const pairing = await startPairing(db);
await pairWithCode(db, teamStaff, pairing.code, t.id, [t.id], { absoluteHours: 12 });
const device = await claimPairing(db, pairing.cookie);
const cookies = {
	admin: await loginToken(db, admin),
	teamStaff: await loginToken(db, teamStaff),
	outsider: await loginToken(db, outsider),
	owner: await loginToken(db, owner),
	editor: await loginToken(db, editor),
	viewer: await loginToken(db, viewer),
	guestEditor: await guest('editor'),
	guestViewer: await guest('viewer'),
	guestChild: await guest('child'),
	guestParent: await guest('parent'),
	guestWallViewer,
	otherAdmin: await loginToken(db, otherAdmin),
	wall: device!.token,
	student: redeemed.session.token
};
const users = { admin, teamStaff, outsider, owner, editor, viewer, otherAdmin };
/** Whose card a role's socket may add: staff by user id, guests and walls by session id. */
const actorKeys = Object.fromEntries(
	Object.entries(cookies).map(([role, token]) => [
		role,
		role in users
			? users[role as keyof typeof users].id
			: role === 'student'
				? `student:${s.id}`
				: token.split('.')[0]!
	])
);

// A care meeting (zorgoverleg) of its own, for the care rows: the child's mentor (owner through
// mentorship, no board membership), the child, a parent and a care partner who joined it, a
// parent of another child's care meeting, one past meeting's record with words for each reader.
const careMentor = await makeUser(db, school.id);
const careKid = await makeStudent(db, school.id, { teamId: t.id, mentorId: careMentor.id });
const careBoard = await makeBoard(db, school.id, {
	teamId: t.id,
	kind: 'zorgoverleg',
	studentId: careKid.id
});
const siblingBoard = await makeBoard(db, school.id, {
	teamId: t.id,
	kind: 'zorgoverleg',
	studentId: s2.id
});
async function careGuest(
	role: 'child' | 'parent' | 'partner',
	label: string,
	boardId = careBoard.id
) {
	const inv = await createBoardInvite(
		db,
		boardId,
		{ role, expiresHours: 24, singleUse: false, label: '' },
		admin.id
	);
	const joined = await joinWithInvite(db, inv.token, `Zorg ${role}`, new Date(), label);
	if (!joined.ok) throw new Error(`care join failed: ${joined.reason}`);
	return joined.session.token;
}
const careWords = {
	family: 'Woorden voor thuis',
	care: 'Woorden voor de zorg',
	meeting: 'Woorden voor hier'
};
const careRecord = await storeMeetingRecord(
	db,
	careBoard,
	{
		type: 'zorgoverleg',
		startedAt: '2026-11-15T09:00:00.000Z',
		endedAt: '2026-11-15T09:40:00.000Z',
		checkinScale: 'three',
		tally: { 1: 0, 2: 0, 3: 1 },
		checkins: [{ name: 'Kim (kind)', value: 3 }],
		successes: [{ title: 'Ik lees elke dag', who: 'Kim' }],
		words: (['family', 'care', 'meeting'] as const).map((visibility) => ({
			title: careWords[visibility],
			body: '',
			visibility,
			byChild: true
		})),
		actions: [{ title: 'Samen lezen', who: 'Zorg parent', ownerLabel: 'parent', due: '2026-12-01' }]
	},
	careMentor.id
);
const care = {
	boardId: careBoard.id,
	childId: careKid.id,
	partId: await ensureFamilyPart(db, careBoard),
	recordId: careRecord.id,
	words: careWords,
	cookies: {
		careMentor: await loginToken(db, careMentor),
		careChild: await careGuest('child', 'child'),
		careParent: await careGuest('parent', 'parent'),
		carePartner: await careGuest('partner', 'youth_care'),
		otherParent: await careGuest('parent', 'carer', siblingBoard.id)
	}
};

const { url, ready } = await serveBuilt(rt, {
	// A fresh editor link to a board, for the join flow.
	invite: async (message) => {
		const { boardId, singleUse, hours } = message as Extract<MatrixMessage, { op: 'invite' }>;
		const inv = await createBoardInvite(
			db,
			boardId,
			{ role: 'editor', expiresHours: hours, singleUse, label: '' },
			owner.id
		);
		return inv.token;
	}
});

ready({
	url,
	boardId: b.id,
	otherBoardId: other.id,
	personalBoardId: personal.id,
	otherPersonalBoardId: personal2.id,
	talkBoardId: talk.id,
	otherTalkBoardId: talk2.id,
	otherStudentId: s2.id,
	wallBoardId: wallBoard.id,
	wallGuestBoardId: wallGuestBoard.id,
	otherSchoolBoardId: boardB.id,
	teamId: t.id,
	roundId: round.value,
	studentId: s.id,
	menteeId: mentee.id,
	photoId,
	photoWithoutConsentId,
	inviteId: otherInvite.invite.id,
	socketsPerLogin: SOCKETS_PER_LOGIN,
	cookies,
	actorKeys,
	care
});
