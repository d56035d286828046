/**
 * Who may do what, table-driven, through the real SvelteKit handler (build/handler.js, so run
 * `npm run build` first; the suite is skipped with a note when the build is missing) and the
 * real /sync WebSocket on the same port; on PGlite and, when TEST_DATABASE_URL is set, PostgreSQL.
 *
 * This is the one place to read who may do what. Rows are what a URL does (page loads, form
 * actions, JSON endpoints, the /sync upgrade and what a socket may write), columns are roles in
 * two schools; each cell is what the role must get: 'ok' (200; 101 for a socket), 'login' (303
 * to /login), 'nf' (404, the same for "missing" and "forbidden"), 'bad' (400: the action ran its
 * own checks, so the role got through), 'moved' (303 to a new row's page), 'noauth' (401),
 * 'forbidden' (403), 'busy' (429: too many sockets), or a path it is redirected to.
 *
 * School A: admin; teamStaff (member of the team); outsider (staff, not in the team, mentor of
 * one student of the team: the mentee); owner,
 * editor, viewer (members of the shared verbeterbord, not of the team); four guests of that
 * verbeterbord (editor, viewer, child, parent); a guest holding an old link to a progress wall;
 * the team's wall; 'student': the student (with a zorgoverleg, a photo and a review round of
 * their team) on their own phone through their personal link, who opens their own pages and
 * nothing of another student. School B: its admin ('otherAdmin'), who holds every id of school
 * A and must get a 404 for every one of them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { addCard, listCards } from '../../src/lib/board/verbeterbord';
import { drivers } from '../helpers/db';
import { connectRecording } from '../helpers/family';
import { connectClient, eventually, upgradeStatus } from '../helpers/sync-client';
import { forkBuilt, type BuiltChild } from '../helpers/handler';
import type { MatrixMessage } from './access-matrix-server';

function openSocket(url: string, headers: Record<string, string>): Promise<WebSocket> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers });
		ws.once('open', () => resolve(ws));
		ws.once('error', reject);
		ws.once('unexpected-response', (_req, res) => {
			res.resume();
			reject(new Error(`HTTP ${res.statusCode}`));
		});
	});
}

function closeSocket(ws: WebSocket): Promise<void> {
	return new Promise((resolve) => {
		if (ws.readyState === ws.CLOSED) return resolve();
		ws.once('close', () => resolve());
		ws.close();
	});
}

const built = existsSync(path.resolve('build/handler.js'));

const roles = [
	'admin',
	'teamStaff',
	'outsider',
	'owner',
	'editor',
	'viewer',
	'guestEditor',
	'guestViewer',
	'guestChild',
	'guestParent',
	'guestWallViewer',
	'wall',
	'student',
	'otherAdmin',
	'anonymous'
] as const;
type Role = (typeof roles)[number];
type Expect =
	'ok' | 'login' | 'nf' | 'bad' | 'moved' | 'noauth' | 'forbidden' | 'busy' | `/${string}`;

/** One expectation for everyone, then the exceptions. */
function row(base: Expect, except: Partial<Record<Role, Expect>> = {}): Record<Role, Expect> {
	return Object.fromEntries(roles.map((r) => [r, except[r] ?? base])) as Record<Role, Expect>;
}
const staffOnly = (ok: Expect) =>
	row('nf', {
		admin: ok,
		teamStaff: ok,
		outsider: ok,
		owner: ok,
		editor: ok,
		viewer: ok,
		otherAdmin: ok,
		anonymous: 'login'
	});
// School pages: each admin sees their own school's.
const adminOnly = row('nf', { admin: 'ok', otherAdmin: 'ok', anonymous: 'login' });
// Opening the shared verbeterbord: everyone with a role on it, nobody of another school.
const onSharedBoard = row('ok', {
	outsider: 'nf',
	guestWallViewer: 'nf',
	student: 'nf',
	otherAdmin: 'nf',
	anonymous: 'login'
});
// The team's own things: its members, the school's admin and the team's wall.
const teamOnly = (wall: Expect = 'ok') =>
	row('nf', { admin: 'ok', teamStaff: 'ok', wall, anonymous: 'login' });

interface World {
	url: string;
	cookies: Record<Exclude<Role, 'anonymous'>, string>;
	boardId: string;
	otherBoardId: string;
	personalBoardId: string;
	otherPersonalBoardId: string;
	/** A three-way talk about the student, and one about the other student. */
	talkBoardId: string;
	otherTalkBoardId: string;
	otherStudentId: string;
	wallBoardId: string;
	wallGuestBoardId: string;
	otherSchoolBoardId: string;
	teamId: string;
	roundId: string;
	studentId: string;
	menteeId: string;
	photoId: string;
	photoWithoutConsentId: string;
	inviteId: string;
	/** SYNC_MAX_CONNECTIONS_PER_SESSION of the server under test. */
	socketsPerLogin: number;
	/** Each role's actor key: what its own cards carry as `createdBy`. */
	actorKeys: Record<Exclude<Role, 'anonymous'>, string>;
	care: CareWorld;
}

/* ------------------------------------------------------------------ the care meeting's table */

/**
 * A care meeting (zorgoverleg) has its own columns: whoever may open one board of one child.
 * careMentor: the child's mentor (owner through mentorship, no board membership); careChild,
 * careParent, carePartner: guests who joined it; otherParent: a parent of another child's care
 * meeting in the same school; guestParent: a parent on the shared verbeterbord; teamStaff: the
 * child's team, which alone opens no conversation; otherAdmin: school B.
 */
const careRoles = [
	'admin',
	'careMentor',
	'teamStaff',
	'careChild',
	'careParent',
	'carePartner',
	'otherParent',
	'guestParent',
	'otherAdmin',
	'anonymous'
] as const;
type CareRole = (typeof careRoles)[number];
type CareGuest = 'careMentor' | 'careChild' | 'careParent' | 'carePartner' | 'otherParent';

interface CareWorld {
	boardId: string;
	/** The meeting's child. */
	childId: string;
	/** The board's family part: storage, never a board. */
	partId: string;
	recordId: number;
	/** The child's words in the record, one per visibility. */
	words: Record<'family' | 'care' | 'meeting', string>;
	cookies: Record<CareGuest, string>;
}

function careRow(
	base: Expect,
	except: Partial<Record<CareRole, Expect>> = {}
): Record<CareRole, Expect> {
	return Object.fromEntries(careRoles.map((r) => [r, except[r] ?? base])) as Record<
		CareRole,
		Expect
	>;
}
// Everyone in this child's meeting; nobody else, not the team, not another child's parent.
const inTheMeeting = careRow('nf', {
	admin: 'ok',
	careMentor: 'ok',
	careChild: 'ok',
	careParent: 'ok',
	carePartner: 'ok',
	anonymous: 'login'
});

/** Which of the child's words each reader of the summary finds in it. */
const careReaders: Array<[CareRole, Array<'family' | 'care' | 'meeting'>]> = [
	['admin', ['family', 'care', 'meeting']],
	['careMentor', ['family', 'care', 'meeting']],
	['careChild', ['family', 'care', 'meeting']],
	['carePartner', ['family', 'care']],
	['careParent', ['family']]
];

function pages(w: World): Array<[string, Record<Role, Expect>]> {
	const guestHome = `/boards/${w.boardId}` as const;
	return [
		[
			'/boards',
			row('ok', {
				guestEditor: guestHome,
				guestViewer: guestHome,
				guestChild: guestHome,
				guestParent: guestHome,
				guestWallViewer: `/boards/${w.wallGuestBoardId}`,
				student: '/me',
				anonymous: 'login'
			})
		],
		// The first screen is staff's; a wall is sent to its board, and a guest's or a student's
		// link never reaches it (their scopes answer 404 outside their own pages).
		[
			'/today',
			row('ok', {
				guestEditor: 'nf',
				guestViewer: 'nf',
				guestChild: 'nf',
				guestParent: 'nf',
				guestWallViewer: 'nf',
				wall: '/boards',
				student: 'nf',
				anonymous: 'login'
			})
		],
		// The student's own home: only their own session opens it.
		['/me', row('nf', { student: 'ok', anonymous: 'login' })],
		// A personal link's page says the same friendly thing for any bad token, to anyone.
		['/s/bogus.token', row('ok')],
		[`/boards/${w.boardId}`, onSharedBoard],
		[`/boards/${w.boardId}/history`, onSharedBoard],
		// Copying: staff who edit it and work in its team (board members from outside: no).
		[`/boards/${w.boardId}/copy`, row('nf', { admin: 'ok', teamStaff: 'ok', anonymous: 'login' })],
		[`/boards/${w.otherBoardId}`, teamOnly()],
		// The progress wall: the team only; an old guest link to it opens nothing.
		[`/boards/${w.wallBoardId}`, teamOnly()],
		[`/boards/${w.wallGuestBoardId}`, teamOnly()],
		[`/boards/${w.wallBoardId}/share`, row('nf', { admin: 'ok', anonymous: 'login' })],
		[`/students/signals/${w.wallBoardId}`, teamOnly('nf')],
		[`/media/board/${w.wallBoardId}`, row('nf', { admin: 'ok', teamStaff: 'ok', wall: 'ok' })],
		[`/teams/${w.teamId}/successes`, teamOnly()],
		// Criteria sets: the team's staff and the school's admin; the wall has no business here.
		[`/teams/${w.teamId}/criteria`, teamOnly('nf')],
		// The weekly pass over one criterion: the same people as the team's criteria.
		[`/teams/${w.teamId}/criteria/pass`, teamOnly('nf')],
		// A student's evidence: staff who see the student and the student through their own link
		// (not their wall, not a guest); another student's evidence is not theirs.
		[`/students/${w.studentId}/evidence`, { ...teamOnly('nf'), student: 'ok' }],
		[`/students/${w.menteeId}/evidence`, row('nf', { ...teamOnly('nf'), outsider: 'ok' })],
		[`/students/${w.studentId}`, teamOnly()],
		// Mijn leerlingen: staff only; a mentee's page also opens for their mentor from outside the team.
		['/students', staffOnly('ok')],
		[`/students/${w.menteeId}`, row('nf', { ...teamOnly(), outsider: 'ok' })],
		['/reviews', staffOnly('ok')],
		[`/reviews/${w.roundId}`, teamOnly(`/reviews/${w.roundId}/plenary`)],
		[`/reviews/${w.roundId}/plenary`, teamOnly()],
		[`/reviews/${w.roundId}/students/${w.studentId}`, teamOnly('nf')],
		// The student prepares their own talk through their link; another student's: never.
		[`/reviews/${w.roundId}/prepare/${w.studentId}`, row('nf', { ...teamOnly(), student: 'ok' })],
		[`/reviews/${w.roundId}/prepare/${w.otherStudentId}`, teamOnly()],
		// School B's own board: its admin, nobody of school A.
		[`/boards/${w.otherSchoolBoardId}`, row('nf', { otherAdmin: 'ok', anonymous: 'login' })],
		// A care meeting about one child: team membership alone does not open it, nor the wall.
		// The student opens it through their own link; another student's not.
		[`/boards/${w.personalBoardId}`, row('nf', { admin: 'ok', student: 'ok', anonymous: 'login' })],
		[`/boards/${w.otherPersonalBoardId}`, row('nf', { admin: 'ok', anonymous: 'login' })],
		[`/boards/${w.personalBoardId}/share`, row('nf', { admin: 'ok', anonymous: 'login' })],
		// A three-way talk: its owner (the admin: the student has no mentor) and the student.
		[`/boards/${w.talkBoardId}`, row('nf', { admin: 'ok', student: 'ok', anonymous: 'login' })],
		[`/boards/${w.otherTalkBoardId}`, row('nf', { admin: 'ok', anonymous: 'login' })],
		[`/boards/${w.talkBoardId}/share`, row('nf', { admin: 'ok', anonymous: 'login' })],
		[`/boards/${w.boardId}/share`, row('nf', { admin: 'ok', owner: 'ok', anonymous: 'login' })],
		[`/boards/${w.otherBoardId}/share`, row('nf', { admin: 'ok', anonymous: 'login' })],
		// A student's photo: admin, the student's team, the team's wall and the student themselves;
		// nobody without consent.
		[`/media/${w.photoId}`, row('nf', { admin: 'ok', teamStaff: 'ok', wall: 'ok', student: 'ok' })],
		[
			`/media/${w.photoId}?size=thumb`,
			row('nf', { admin: 'ok', teamStaff: 'ok', wall: 'ok', student: 'ok' })
		],
		[`/media/${w.photoWithoutConsentId}`, row('nf')],
		// Growth over time: staff who see the student and the student through their own link; not
		// their wall, not a guest, and a student never another student's.
		[`/students/${w.studentId}/growth`, { ...teamOnly('nf'), student: 'ok' }],
		[
			`/students/${w.studentId}/growth?van=2026-09-01&tot=2026-01-01`,
			{ ...teamOnly('nf'), student: 'ok' }
		],
		[`/students/${w.menteeId}/growth`, row('nf', { ...teamOnly('nf'), outsider: 'ok' })],
		[`/students/${w.otherStudentId}/growth`, teamOnly('nf')],
		// The live fingerprint a growth page polls: asked of the same policy as the page, except
		// that a student's own link never polls (their pages change only by their own hand).
		[`/students/${w.studentId}/growth/live`, teamOnly('nf')],
		[`/students/${w.menteeId}/growth/live`, row('nf', { ...teamOnly('nf'), outsider: 'ok' })],
		[`/students/${w.otherStudentId}/growth/live`, teamOnly('nf')],
		['/admin/staff', adminOnly],
		['/admin/teams', adminOnly],
		['/admin/students', adminOnly],
		// Privacy operations: each admin their own school's log and retention; erasing and exporting
		// a student of school A only for school A's admin (school B's admin: 404, as for a typo).
		['/admin/audit', adminOnly],
		[`/admin/audit?student=${w.studentId}`, adminOnly],
		['/admin/retention', adminOnly],
		[`/admin/students/${w.studentId}/erase`, row('nf', { admin: 'ok', anonymous: 'login' })],
		['/admin/students/doesnotexist2222/erase', row('nf', { anonymous: 'login' })],
		[`/admin/students/${w.studentId}/export`, row('nf', { admin: 'ok', anonymous: 'login' })],
		[
			`/admin/students/${w.studentId}/export?format=html`,
			row('nf', { admin: 'ok', anonymous: 'login' })
		],
		// Public pages: what Groeibord stores, and how a link holder comes back after signing out.
		['/privacy', row('ok')],
		['/logout?done=student', row('ok')],
		['/logout?done=guest', row('ok')],
		['/logout?done=admin', row('/')],
		['/admin/students/doesnotexist2222/export', row('nf', { anonymous: 'login' })],
		['/account', staffOnly('ok')],
		['/wall/pair', staffOnly('ok')],
		[
			'/wall',
			row('/wall/pair', {
				guestEditor: 'nf',
				guestViewer: 'nf',
				guestChild: 'nf',
				guestParent: 'nf',
				guestWallViewer: 'nf',
				student: 'nf',
				wall: 'ok',
				anonymous: 'ok'
			})
		]
	];
}

function actions(w: World): Array<[string, Record<string, string>, Record<Role, Expect>]> {
	return [
		[
			`/boards/${w.boardId}/share?/createInvite`,
			{ role: 'viewer', expiresHours: '2', label: 'matrix' },
			row('nf', { admin: 'ok', owner: 'ok', anonymous: 'login' })
		],
		[
			`/boards/${w.boardId}/share?/addMember`,
			{ userId: 'nobody2222222222', role: 'editor' },
			row('nf', { admin: 'bad', owner: 'bad', anonymous: 'login' })
		],
		[
			// Another board's invite through this board's page: nobody, not even an admin.
			`/boards/${w.boardId}/share?/revokeInvite`,
			{ inviteId: w.inviteId },
			row('nf', { anonymous: 'login' })
		],
		[
			'/admin/staff?/invite',
			{ name: 'Matrix', email: 'matrix@school.test', role: 'staff' },
			adminOnly
		],
		['/admin/teams?/create', { name: 'Matrixteam' }, adminOnly],
		[
			'/admin/students?/import',
			{ list: '; zonder naam' },
			row('nf', { admin: 'bad', otherAdmin: 'bad', anonymous: 'login' })
		],
		// A review of school A's team: its staff; school B's admin gets a 404 and no round.
		[
			'/reviews?/create',
			{ teamId: w.teamId, title: 'Matrixronde' },
			row('nf', { admin: 'moved', teamStaff: 'moved' })
		],
		[
			`/reviews/${w.roundId}?/advice`,
			{ studentId: w.studentId, subject: 'Matrix', stoplight: 'orange', advice: 'Oefen' },
			teamOnly('nf')
		],
		[
			`/reviews/${w.roundId}/students/${w.studentId}?/decide`,
			{ status: 'clear' },
			// Only the mentor (none here) or an admin decides.
			row('nf', { admin: 'ok', anonymous: 'login' })
		],
		[
			// Never a guest link on a progress wall, not even for an admin.
			`/boards/${w.wallBoardId}/share?/createInvite`,
			{ role: 'viewer', expiresHours: '2', label: 'matrix' },
			row('nf', { admin: 'bad', anonymous: 'login' })
		],
		[
			`/boards/${w.boardId}/copy`,
			{ title: 'Matrixkopie' },
			row('nf', { admin: 'moved', teamStaff: 'moved', anonymous: 'login' })
		],
		[
			`/boards/${w.boardId}/share?/removeMember`,
			{ userId: 'nobody2222222222' },
			row('nf', { admin: 'ok', owner: 'ok', anonymous: 'login' })
		],
		[
			'/admin/staff?/deactivate',
			{ userId: 'nobody2222222222' },
			row('nf', { admin: 'bad', otherAdmin: 'bad', anonymous: 'login' })
		],
		[
			'/admin/staff?/role',
			{ userId: '' },
			row('nf', { admin: 'bad', otherAdmin: 'bad', anonymous: 'login' })
		],
		[
			'/admin/teams?/rename',
			{ teamId: 'x', name: '' },
			row('nf', { admin: 'bad', otherAdmin: 'bad', anonymous: 'login' })
		],
		[
			'/admin/students?/update',
			{ studentId: '', groupName: '' },
			row('nf', { admin: 'bad', otherAdmin: 'bad', anonymous: 'login' })
		],
		[
			// A board on the team: its members and the school's admin; other staff of the school 403,
			// another school's admin 404 (the team is not in their school), a guest or wall 404.
			'/boards?/create',
			{ kind: 'verbeterbord', teamId: w.teamId, title: 'Matrixbord' },
			row('nf', {
				admin: 'moved',
				teamStaff: 'moved',
				outsider: 'forbidden',
				owner: 'forbidden',
				editor: 'forbidden',
				viewer: 'forbidden',
				anonymous: 'login'
			})
		],
		[
			// A conversation about the mentee: their mentor and the admin; the team (who sees the
			// student) 403; whoever does not see the student 404.
			`/students/${w.menteeId}?/conversation`,
			{ kind: 'zorgoverleg' },
			row('nf', {
				admin: 'moved',
				outsider: 'moved',
				teamStaff: 'forbidden',
				anonymous: 'login'
			})
		],
		// The mentee's personal link: their mentor and the admin; the team sees the student but
		// does not make their link (404), nor does anyone else.
		[
			`/students/${w.menteeId}?/studentLinkCreate`,
			{},
			row('nf', { admin: 'ok', outsider: 'ok', anonymous: 'login' })
		],
		[
			`/students/${w.menteeId}?/studentLinkRevoke`,
			{},
			row('nf', { admin: 'ok', outsider: 'ok', anonymous: 'login' })
		],
		// What my parents see: the student's own choice, and only from 16 (no birth date: 400).
		[
			'/me?/familyShare',
			{ familyShare: 'none' },
			row('nf', { student: 'bad', anonymous: 'login' })
		],
		// A criteria set of the team: an empty name and no criteria is a 400 for who may edit.
		[
			`/teams/${w.teamId}/criteria?/save`,
			{ setId: 'new', name: '' },
			row('nf', { admin: 'bad', teamStaff: 'bad', anonymous: 'login' })
		],
		[`/teams/${w.teamId}/criteria?/start`, {}, teamOnly('nf')],
		// A level without student or level: a 400 for who may run the pass, a 404 for the rest.
		[
			`/teams/${w.teamId}/criteria/pass?/level`,
			{},
			row('nf', { admin: 'bad', teamStaff: 'bad', anonymous: 'login' })
		],
		[
			`/teams/${w.teamId}/criteria?/archive`,
			{ setId: 'nobody2222222222' },
			row('nf', { anonymous: 'login' })
		],
		// Evidence without text or photo: a 400 for who may add it, a 404 for everyone else.
		[
			`/students/${w.studentId}/evidence`,
			{ text: '' },
			row('nf', { admin: 'bad', teamStaff: 'bad', student: 'bad', anonymous: 'login' })
		],
		[
			`/students/${w.studentId}/evidence`,
			{ intent: 'remove', evidenceId: 'nobody2222222222' },
			row('nf', { anonymous: 'login' })
		],
		[
			`/students/${w.studentId}?/goalDone`,
			{ goalId: '' },
			row('nf', { admin: 'bad', teamStaff: 'bad', anonymous: 'login' })
		],
		// Growth outside a talk: a level in words and this week's steps. Those who see the student
		// (and the student themself) reach the form's own checks; everyone else a 404.
		...(['level', 'step', 'stepDone'] as const).map(
			(action): [string, Record<string, string>, Record<Role, Expect>] => [
				`/students/${w.studentId}/growth?/${action}`,
				{},
				row('nf', { admin: 'bad', teamStaff: 'bad', student: 'bad', anonymous: 'login' })
			]
		),
		[
			`/students/${w.menteeId}/growth?/level`,
			{ criterion: 'x:y', level: '' },
			row('nf', { admin: 'bad', teamStaff: 'bad', outsider: 'bad', anonymous: 'login' })
		],
		[
			`/students/${w.otherStudentId}/growth?/step`,
			{ goalId: '' },
			row('nf', { admin: 'bad', teamStaff: 'bad', anonymous: 'login' })
		],
		// Erasing a student asks for their first name: a wrong one erases nothing (400).
		[
			`/admin/students/${w.studentId}/erase`,
			{ firstName: 'niet-de-naam' },
			row('nf', { admin: 'bad', anonymous: 'login' })
		],
		[
			'/admin/retention?/settings',
			{ studentFileYears: 'veel', careNotesYears: '1', auditMonths: '12' },
			row('nf', { admin: 'bad', otherAdmin: 'bad', anonymous: 'login' })
		],
		[
			'/admin/students?/left',
			{ studentId: '' },
			row('nf', { admin: 'bad', otherAdmin: 'bad', anonymous: 'login' })
		],
		['/wall/pair?/pair', { code: 'ZZZZZZ', teamId: 'x' }, staffOnly('bad')],
		['/account?/password', { current: 'fout', next: 'nieuw wachtwoord 99' }, staffOnly('bad')]
	];
}

function outcome(res: Response): Expect | string {
	if (res.status === 200) return 'ok';
	if (res.status === 404) return 'nf';
	if (res.status === 400) return 'bad';
	if (res.status === 401) return 'noauth';
	if (res.status === 403) return 'forbidden';
	if (res.status === 303 || res.status === 302 || res.status === 307) {
		const to = new URL(res.headers.get('location') ?? '', 'http://x').pathname;
		return to === '/login' ? 'login' : to;
	}
	return `status ${res.status}`;
}

/** As `outcome`, where a new row's page ('moved') cannot be named in the table. */
function actionOutcome(res: Response, expected: Expect): Expect | string {
	const got = outcome(res);
	return expected === 'moved' && got.startsWith('/') && got !== '/login' ? 'moved' : got;
}

/**
 * POST /students/<id>/updates wrote progress-wall history from the browser; the server now derives
 * it from the room's document (server/student-history.ts), so the route is gone for everyone.
 * Ending a bordsessie (POST /boards/<id>/records): staff who run sessions on the board get
 * through to the body check (an empty body: 'bad', nothing ended); a viewer, guests and the
 * wall are refused; whoever has no role on the board gets a 404. What a valid body records is
 * in server-history.test.ts.
 */
function jsonEndpoints(w: World): Array<[string, unknown, Record<Role, Expect>]> {
	return [
		[
			`/students/${w.studentId}/updates`,
			{ boardId: w.wallBoardId, stoplight: 'orange', flags: [], note: '' },
			row('nf', {})
		],
		[
			`/boards/${w.boardId}/records`,
			{},
			row('nf', {
				admin: 'bad',
				teamStaff: 'bad',
				owner: 'bad',
				editor: 'bad',
				viewer: 'forbidden',
				guestEditor: 'forbidden',
				guestViewer: 'forbidden',
				guestChild: 'forbidden',
				guestParent: 'forbidden',
				wall: 'bad'
			})
		],
		// Erasing an entry of a board: staff who open the board reach the body check (an empty body:
		// 'bad'); guests, the wall, a student and whoever does not open the board: 404.
		[
			`/boards/${w.boardId}/erase`,
			{},
			row('nf', {
				admin: 'bad',
				teamStaff: 'bad',
				owner: 'bad',
				editor: 'bad',
				viewer: 'bad',
				anonymous: 'login'
			})
		],
		[`/boards/${w.talkBoardId}/erase`, {}, row('nf', { admin: 'bad', anonymous: 'login' })],
		[
			`/boards/${w.otherSchoolBoardId}/erase`,
			{},
			row('nf', { otherAdmin: 'bad', anonymous: 'login' })
		],
		// Ending a three-way talk takes no extras: a body with one is a 400 for its owner, the
		// student (the child) may not end it, everyone else finds no talk.
		[
			`/boards/${w.talkBoardId}/records`,
			{ extra: 1 },
			row('nf', { admin: 'bad', student: 'forbidden' })
		]
	];
}

interface UpgradeCase {
	/** The Origin a browser sends; our own unless given. */
	origin?: string;
	/** Sockets the role holds open on the board before this one. */
	held?: number;
}

/**
 * The /sync upgrade per board, over a real socket with the role's cookie and Origin: 101 with
 * a role, 403 without or from a foreign page, 401 without a session, 429 beyond the sockets one
 * login may hold.
 */
function upgrades(w: World): Array<[string, Record<Role, Expect>, UpgradeCase?]> {
	const refused = (except: Partial<Record<Role, Expect>>) =>
		row('forbidden', { anonymous: 'noauth', ...except });
	const onShared = {
		admin: 'ok',
		teamStaff: 'ok',
		owner: 'ok',
		editor: 'ok',
		viewer: 'ok',
		guestEditor: 'ok',
		guestViewer: 'ok',
		guestChild: 'ok',
		guestParent: 'ok',
		wall: 'ok'
	} as const;
	const busy = Object.fromEntries(Object.keys(onShared).map((role) => [role, 'busy']));
	return [
		[w.boardId, refused(onShared)],
		[w.boardId, refused({}), { origin: 'https://evil.example' }],
		[w.boardId, refused(busy), { held: w.socketsPerLogin }],
		[w.wallBoardId, refused({ admin: 'ok', teamStaff: 'ok', wall: 'ok' })],
		[w.wallGuestBoardId, refused({ admin: 'ok', teamStaff: 'ok', wall: 'ok' })],
		[w.personalBoardId, refused({ admin: 'ok', student: 'ok' })],
		[w.otherPersonalBoardId, refused({ admin: 'ok' })],
		[w.talkBoardId, refused({ admin: 'ok', student: 'ok' })],
		[w.otherTalkBoardId, refused({ admin: 'ok' })],
		[w.otherSchoolBoardId, refused({ otherAdmin: 'ok' })]
	];
}

/**
 * What an open socket on the shared verbeterbord may write: a card of its own is kept
 * (relayed and stored) or dropped without a word (read-only roles).
 */
function socketWrites(): Partial<Record<Role, 'kept' | 'dropped'>> {
	return {
		admin: 'kept',
		teamStaff: 'kept',
		owner: 'kept',
		editor: 'kept',
		viewer: 'dropped',
		guestEditor: 'kept',
		guestViewer: 'dropped',
		guestChild: 'kept',
		guestParent: 'kept',
		wall: 'kept'
	};
}

describe.skipIf(!built).each(drivers)(
	'access matrix through the SvelteKit handler (%s)',
	(driver) => {
		let child: BuiltChild<World>;
		let w: World;
		const ask = (message: MatrixMessage) => child.ask(message);
		const countRows = (text: string) => child.countRows(text);

		beforeAll(async () => {
			child = forkBuilt<World>('tests/integration/access-matrix-server.ts', driver);
			w = await child.world;
		}, 120_000);

		afterAll(async () => {
			await child?.close();
		});

		const request = (role: Role, pathname: string, form?: Record<string, string>) =>
			fetch(w.url + pathname, {
				method: form ? 'POST' : 'GET',
				redirect: 'manual',
				headers: {
					...(role === 'anonymous' ? {} : { cookie: `groeibord_session=${w.cookies[role]}` }),
					// A browser's plain form post: HTML back, not the JSON that use:enhance asks for.
					accept: 'text/html',
					...(form ? { origin: w.url, 'content-type': 'application/x-www-form-urlencoded' } : {})
				},
				body: form ? new URLSearchParams(form).toString() : undefined
			});

		it('pages: each role gets exactly what the table says', async () => {
			const problems: string[] = [];
			for (const [pathname, expected] of pages(w)) {
				for (const role of roles) {
					const res = await request(role, pathname);
					await res.arrayBuffer();
					const got = outcome(res);
					if (got !== expected[role]) {
						problems.push(`GET ${pathname} as ${role}: expected ${expected[role]}, got ${got}`);
					}
					if (res.status === 200) expect(res.headers.get('cache-control')).toContain('no-store');
					if (
						res.status === 200 &&
						pathname.startsWith('/media/') &&
						!pathname.startsWith('/media/board/')
					) {
						expect(res.headers.get('content-type')).toBe('image/webp');
					}
				}
			}
			expect(problems).toEqual([]);
		}, 120_000);

		it('form actions: each role gets exactly what the table says, and refused ones change nothing', async () => {
			const problems: string[] = [];
			const invites = `select count(*)::int as n from board_invite`;
			const before = await countRows(invites);
			for (const [pathname, form, expected] of actions(w)) {
				for (const role of roles) {
					const res = await request(role, pathname, form);
					await res.arrayBuffer();
					const got = actionOutcome(res, expected[role]);
					if (got !== expected[role]) {
						problems.push(`POST ${pathname} as ${role}: expected ${expected[role]}, got ${got}`);
					}
				}
			}
			expect(problems).toEqual([]);
			// Starting the team's criteria twice (admin, team member) made one set; no evidence at all.
			expect(
				await countRows(`select count(*)::int as n from criteria_set where team_id = '${w.teamId}'`)
			).toBe(1);
			expect(await countRows(`select count(*)::int as n from evidence`)).toBe(0);
			// Only the two allowed roles (admin, owner) created an invite; the foreign revoke did nothing.
			expect((await countRows(invites)) - before).toBe(2);
			// No link on the progress wall; no round, advice or decision from school B.
			expect(
				await countRows(
					`select count(*)::int as n from board_invite where board_id = '${w.wallBoardId}'`
				)
			).toBe(0);
			expect(await countRows(`select count(*)::int as n from review_round`)).toBe(3);
			expect(
				await countRows(
					`select count(*)::int as n from review_round r join team t on t.id = r.team_id where r.school_id <> t.school_id`
				)
			).toBe(0);
			expect(await countRows(`select count(*)::int as n from review_advice`)).toBe(2);
			expect(await countRows(`select count(*)::int as n from review_decision`)).toBe(1);
			// Two copies (admin, team member), each keeping the original's three members.
			expect(
				await countRows(`select count(*)::int as n from board where title = 'Matrixkopie'`)
			).toBe(2);
			expect(
				await countRows(
					`select count(*)::int as n from board_invite where id = '${w.inviteId}' and revoked_at is null`
				)
			).toBe(1);
			// One per school: each admin invites into and creates teams in their own school.
			expect(await countRows(`select count(*)::int as n from staff_invite`)).toBe(2);
			expect(await countRows(`select count(*)::int as n from team where name = 'Matrixteam'`)).toBe(
				2
			);
			// Two new team boards (admin, team member) and two conversations (admin, mentor), each
			// with its creator as owner.
			expect(
				await countRows(`select count(*)::int as n from board where title = 'Matrixbord'`)
			).toBe(2);
			expect(
				await countRows(
					`select count(*)::int as n from board where kind = 'zorgoverleg' and student_id = '${w.menteeId}'`
				)
			).toBe(2);
			expect(await countRows(`select count(*)::int as n from board_member`)).toBe(3 + 2 * 4 + 4);
			// Two links made for the mentee (admin, mentor), the second replacing the first; both revoked.
			const links = `select count(*)::int as n from student_link where student_id = '${w.menteeId}'`;
			expect(await countRows(links)).toBe(2);
			expect(await countRows(`${links} and revoked_at is null`)).toBe(0);
			expect(
				await countRows(`select count(*)::int as n from student where family_share <> 'family'`)
			).toBe(0);
		}, 120_000);

		it('JSON endpoints: each role gets exactly what the table says', async () => {
			const problems: string[] = [];
			for (const [pathname, body, expected] of jsonEndpoints(w)) {
				for (const role of roles) {
					const res = await fetch(w.url + pathname, {
						method: 'POST',
						redirect: 'manual',
						headers: {
							...(role === 'anonymous' ? {} : { cookie: `groeibord_session=${w.cookies[role]}` }),
							origin: w.url,
							'content-type': 'application/json'
						},
						body: JSON.stringify(body)
					});
					await res.arrayBuffer();
					const got = res.status === 201 ? 'ok' : outcome(res);
					if (got !== expected[role]) {
						problems.push(`POST ${pathname} as ${role}: expected ${expected[role]}, got ${got}`);
					}
				}
			}
			expect(problems).toEqual([]);
		});

		const socketHeaders = (role: Role, origin = w.url): Record<string, string> => ({
			origin,
			...(role === 'anonymous' ? {} : { cookie: `groeibord_session=${w.cookies[role]}` })
		});

		it('the /sync upgrade over a real socket: each role gets exactly what the table says', async () => {
			const problems: string[] = [];
			for (const [boardId, expected, options = {}] of upgrades(w)) {
				for (const role of roles) {
					const headers = socketHeaders(role, options.origin);
					const held: WebSocket[] = [];
					try {
						for (let i = 0; i < (options.held ?? 0); i++) {
							held.push(await openSocket(`${w.url}/sync/${boardId}`, headers));
						}
					} catch {
						// A role that cannot open one cannot hold any: the upgrade below says why.
					}
					const status = await upgradeStatus(w.url, `/sync/${boardId}`, headers);
					await Promise.all(held.map(closeSocket));
					const got = ({ 101: 'ok', 401: 'noauth', 403: 'forbidden', 429: 'busy' } as const)[
						status as 101 | 401 | 403 | 429
					];
					if (got !== expected[role]) {
						const how = options.origin ? ` from ${options.origin}` : options.held ? ' (held)' : '';
						problems.push(
							`upgrade ${boardId}${how} as ${role}: expected ${expected[role]}, got ${got ?? status}`
						);
					}
				}
			}
			expect(problems).toEqual([]);
		});

		it("the /sync socket: nobody may send the server's own messages (100 saved, 101 dropCache)", async () => {
			const problems: string[] = [];
			for (const role of [
				'admin',
				'owner',
				'viewer',
				'guestParent',
				'guestChild',
				'wall'
			] as const) {
				for (const type of [100, 101]) {
					const ws = await openSocket(`${w.url}/sync/${w.boardId}`, socketHeaders(role));
					const closed = new Promise<number>((resolve) =>
						ws.once('close', (code) => resolve(code))
					);
					ws.send(new Uint8Array([type]));
					const code = await closed;
					if (code !== 4400) problems.push(`message ${type} as ${role}: closed with ${code}`);
				}
			}
			expect(problems).toEqual([]);
			// The board still opens and syncs for everyone else.
			const c = connectClient(w.url, w.boardId, w.cookies.owner, { headers: { origin: w.url } });
			try {
				await eventually(() => c.provider.synced);
			} finally {
				c.destroy();
			}
		});

		it("the /sync socket: write-capable roles' cards are kept, a viewer's are dropped", async () => {
			const observer = connectClient(w.url, w.boardId, w.cookies.owner, {
				headers: { origin: w.url }
			});
			const titles = () => listCards(observer.doc).map((card) => card.title);
			try {
				await eventually(() => observer.provider.synced);
				const problems: string[] = [];
				const kept: string[] = [];
				for (const [role, expected] of Object.entries(socketWrites()) as Array<
					[Exclude<Role, 'anonymous'>, 'kept' | 'dropped']
				>) {
					const writer = connectClient(w.url, w.boardId, w.cookies[role], {
						headers: { origin: w.url }
					});
					let closedWith: number | null = null;
					writer.provider.on('connection-close', (event) => (closedWith ??= event?.code ?? -1));
					try {
						await eventually(() => writer.provider.synced, 5_000, `${role} never synced`);
						const title = `Kaart van ${role}`;
						addCard(writer.doc, { type: 'ideas', title }, 'local', {
							createdBy: w.actorKeys[role]
						});
						if (expected === 'kept') kept.push(title);
						// A kept card reaches the observer; a dropped one must not within this time.
						const arrived = await eventually(() => titles().includes(title), 1_500).then(
							() => true,
							() => false
						);
						const got = closedWith !== null ? `closed ${closedWith}` : arrived ? 'kept' : 'dropped';
						if (got !== expected)
							problems.push(`card from ${role}: expected ${expected}, got ${got}`);
					} finally {
						writer.destroy();
					}
				}
				expect(problems).toEqual([]);
				expect(titles().sort()).toEqual(kept.sort());
			} finally {
				observer.destroy();
			}
		});

		const careCookie = (role: CareRole) =>
			role === 'anonymous'
				? undefined
				: role in w.care.cookies
					? w.care.cookies[role as CareGuest]
					: w.cookies[role as Exclude<Role, 'anonymous'>];
		const careHeaders = (role: CareRole): Record<string, string> => {
			const cookie = careCookie(role);
			return cookie ? { cookie: `groeibord_session=${cookie}` } : {};
		};

		it('care meeting pages: the board and its summary open for those in the meeting, its family part for nobody', async () => {
			const c = w.care;
			const table: Array<[string, Record<CareRole, Expect>]> = [
				[`/boards/${c.boardId}`, inTheMeeting],
				[`/boards/${c.boardId}/summary/${c.recordId}`, inTheMeeting],
				[`/boards/${c.partId}`, careRow('nf', { anonymous: 'login' })],
				[`/boards/${c.partId}/summary/${c.recordId}`, careRow('nf', { anonymous: 'login' })]
			];
			const problems: string[] = [];
			for (const [pathname, expected] of table) {
				for (const role of careRoles) {
					const res = await fetch(w.url + pathname, {
						redirect: 'manual',
						headers: { ...careHeaders(role), accept: 'text/html' }
					});
					await res.arrayBuffer();
					const got = outcome(res);
					if (got !== expected[role]) {
						problems.push(`GET ${pathname} as ${role}: expected ${expected[role]}, got ${got}`);
					}
				}
			}
			expect(problems).toEqual([]);
		});

		it("a care meeting's summary per reader: staff and the child all words, a care partner care and family, a parent only family", async () => {
			const c = w.care;
			const problems: string[] = [];
			for (const [role, sees] of careReaders) {
				const res = await fetch(`${w.url}/boards/${c.boardId}/summary/${c.recordId}`, {
					headers: { ...careHeaders(role), accept: 'text/html' }
				});
				const html = await res.text();
				for (const [visibility, words] of Object.entries(c.words)) {
					const found = html.includes(words);
					if (found !== sees.includes(visibility as never)) {
						problems.push(`${role} ${found ? 'reads' : 'misses'} the ${visibility} words`);
					}
				}
			}
			expect(problems).toEqual([]);
		});

		it("the child's review preparation: staff and the child's own link, never a parent or care partner of the meeting", async () => {
			const expected = careRow('nf', {
				admin: 'ok',
				careMentor: 'ok',
				teamStaff: 'ok',
				careChild: 'ok',
				anonymous: 'login'
			});
			const problems: string[] = [];
			for (const role of careRoles) {
				const res = await fetch(`${w.url}/reviews/${w.roundId}/prepare/${w.care.childId}`, {
					redirect: 'manual',
					headers: { ...careHeaders(role), accept: 'text/html' }
				});
				await res.arrayBuffer();
				const got = outcome(res);
				if (got !== expected[role]) {
					problems.push(`prepare as ${role}: expected ${expected[role]}, got ${got}`);
				}
			}
			expect(problems).toEqual([]);
		});

		it('ending a care meeting (POST /boards/<id>/records): staff of the meeting get through, guests 403, others 404', async () => {
			const expected = careRow('nf', {
				admin: 'bad',
				careMentor: 'bad',
				careChild: 'forbidden',
				careParent: 'forbidden',
				carePartner: 'forbidden'
			});
			const problems: string[] = [];
			for (const boardId of [w.care.boardId, w.care.partId]) {
				for (const role of careRoles) {
					const res = await fetch(`${w.url}/boards/${boardId}/records`, {
						method: 'POST',
						redirect: 'manual',
						headers: { ...careHeaders(role), origin: w.url, 'content-type': 'application/json' },
						body: '{}'
					});
					await res.arrayBuffer();
					const got = outcome(res);
					// The family part is no board: nobody ends anything there.
					const want = boardId === w.care.partId ? 'nf' : expected[role];
					if (got !== want)
						problems.push(`POST records of ${boardId} as ${role}: expected ${want}, got ${got}`);
				}
			}
			expect(problems).toEqual([]);
			expect(
				await countRows(
					`select count(*)::int as n from board_record where board_id in ('${w.care.boardId}', '${w.care.partId}')`
				)
			).toBe(1);
		});

		/**
		 * A sibling form action on the care meeting as each care role, naming the meeting's own
		 * (only) child: the policy refuses both (already on it; a meeting keeps one child), so the
		 * rows show who gets past the board's gate without changing the meeting. The allowed
		 * paths are in zorgoverleg-siblings.test.ts.
		 */
		async function siblingFormProblems(action: 'addSibling' | 'removeSibling') {
			const expected = careRow('nf', {
				admin: 'forbidden',
				careMentor: 'forbidden',
				careChild: 'forbidden',
				careParent: 'forbidden',
				carePartner: 'forbidden',
				anonymous: 'login'
			});
			const problems: string[] = [];
			for (const role of careRoles) {
				const res = await fetch(`${w.url}/boards/${w.care.boardId}?/${action}`, {
					method: 'POST',
					redirect: 'manual',
					headers: {
						...careHeaders(role),
						origin: w.url,
						accept: 'text/html',
						'content-type': 'application/x-www-form-urlencoded'
					},
					body: new URLSearchParams({ studentId: w.care.childId })
				});
				await res.arrayBuffer();
				const got = outcome(res);
				if (got !== expected[role])
					problems.push(`POST ${action} as ${role}: expected ${expected[role]}, got ${got}`);
			}
			return problems;
		}

		it('adding a sibling (POST /boards/<id>?/addSibling): those in the meeting get 403 for its own child, everyone else 404, nothing is added', async () => {
			expect(await siblingFormProblems('addSibling')).toEqual([]);
			expect(
				await countRows(
					`select count(*)::int as n from board_student where board_id = '${w.care.boardId}'`
				)
			).toBe(0);
		});

		it('taking a sibling off (POST /boards/<id>?/removeSibling): those in the meeting get 403 for its only child, everyone else 404, the child stays', async () => {
			expect(await siblingFormProblems('removeSibling')).toEqual([]);
			expect(
				await countRows(
					`select count(*)::int as n from board where id = '${w.care.boardId}' and student_id = '${w.care.childId}'`
				)
			).toBe(1);
		});

		it('the /sync upgrade of a care meeting: those in the meeting, nobody on its family part', async () => {
			const c = w.care;
			const table: Array<[string, Record<CareRole, Expect>]> = [
				[
					c.boardId,
					careRow('forbidden', {
						admin: 'ok',
						careMentor: 'ok',
						careChild: 'ok',
						careParent: 'ok',
						carePartner: 'ok',
						anonymous: 'noauth'
					})
				],
				[c.partId, careRow('forbidden', { anonymous: 'noauth' })]
			];
			const problems: string[] = [];
			for (const [boardId, expected] of table) {
				for (const role of careRoles) {
					const status = await upgradeStatus(w.url, `/sync/${boardId}`, {
						origin: w.url,
						...careHeaders(role)
					});
					const got = ({ 101: 'ok', 401: 'noauth', 403: 'forbidden', 429: 'busy' } as const)[
						status as 101 | 401 | 403 | 429
					];
					if (got !== expected[role]) {
						problems.push(
							`upgrade ${boardId} as ${role}: expected ${expected[role]}, got ${got ?? status}`
						);
					}
				}
			}
			expect(problems).toEqual([]);
		});

		it("a parent's /sync socket is on the family part: the family's cards, never a care card; a care partner's is on the board", async () => {
			const c = w.care;
			const open = (role: CareGuest) => connectRecording(w.url, c.boardId, c.cookies[role]);
			const mentor = open('careMentor');
			const clients = [mentor];
			try {
				await eventually(() => mentor.provider.synced);
				addCard(
					mentor.doc,
					{ type: 'wishes', title: 'Kaart voor thuis', visibility: 'family' },
					'local',
					{
						createdBy: 'matrix'
					}
				);
				addCard(
					mentor.doc,
					{ type: 'wishes', title: 'Kaart voor de zorg', visibility: 'care' },
					'local',
					{
						createdBy: 'matrix'
					}
				);
				const parent = open('careParent');
				const partner = open('carePartner');
				clients.push(parent, partner);
				const titles = (doc: typeof mentor.doc) => listCards(doc).map((card) => card.title);
				await eventually(() => titles(parent.doc).includes('Kaart voor thuis'));
				await eventually(() => titles(partner.doc).includes('Kaart voor de zorg'));
				// The parent's own card reaches the board through the family part.
				addCard(parent.doc, { type: 'successes', title: 'Kaart van thuis' }, 'local', {
					// A guest's actor key is its session id, the token's first part.
					createdBy: c.cookies.careParent.split('.')[0]!
				});
				await eventually(() => titles(mentor.doc).includes('Kaart van thuis'));
				expect(titles(parent.doc)).not.toContain('Kaart voor de zorg');
				expect(parent.received('Kaart voor de zorg')).toBe(false);
				expect(parent.closeCodes).toEqual([]);
			} finally {
				for (const client of clients) client.destroy();
			}
		});

		it("a guest's board data holds no team id, no staff names, no other students", async () => {
			const data = async (role: Role) =>
				(await request(role, `/boards/${w.boardId}/__data.json`)).text();
			expect(await data('teamStaff')).toContain(w.teamId);
			for (const role of ['guestEditor', 'guestViewer', 'guestChild', 'guestParent'] as const) {
				const body = await data(role);
				expect(body).not.toContain(w.teamId);
				expect(body).not.toContain(w.studentId);
				expect(body).not.toMatch(/Teacher /);
			}
			// The student on their own care meeting: no team id either, and no staff names.
			const own = await (
				await request('student', `/boards/${w.personalBoardId}/__data.json`)
			).text();
			expect(own).toContain(w.personalBoardId);
			expect(own).not.toContain(w.teamId);
			expect(own).not.toMatch(/Teacher /);
		});

		it('a POST from a foreign origin is refused', async () => {
			const res = await fetch(`${w.url}/admin/teams?/create`, {
				method: 'POST',
				redirect: 'manual',
				headers: {
					cookie: `groeibord_session=${w.cookies.admin}`,
					origin: 'https://evil.example',
					'content-type': 'application/x-www-form-urlencoded'
				},
				body: 'name=Evil'
			});
			expect(res.status).toBe(403);
			expect(await countRows(`select count(*)::int as n from team where name = 'Evil'`)).toBe(0);
		});

		it('the student export is an audited, uncached JSON download', async () => {
			const res = await request('admin', `/admin/students/${w.studentId}/export`);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
			expect(res.headers.get('cache-control')).toBe('no-store');
			const body = (await res.json()) as { student: { id: string }; media: unknown[] };
			expect(body.student.id).toBe(w.studentId);
			const audits = await countRows(
				`select count(*)::int as n from audit_log where student_id = '${w.studentId}' and action = 'student.export'`
			);
			expect(audits).toBeGreaterThanOrEqual(2); // the matrix run and this one
		});

		it('guest join: no-referrer, a name, a session for that board only; dead links explain', async () => {
			const token = (await ask({
				op: 'invite',
				boardId: w.boardId,
				singleUse: true,
				hours: 1
			})) as string;
			const page = await fetch(`${w.url}/join/${token}`);
			expect(page.headers.get('referrer-policy')).toBe('no-referrer');
			expect(await page.text()).toContain('Testbord');

			const post = (name: string) =>
				fetch(`${w.url}/join/${token}`, {
					method: 'POST',
					redirect: 'manual',
					headers: {
						accept: 'text/html',
						origin: w.url,
						'content-type': 'application/x-www-form-urlencoded'
					},
					body: new URLSearchParams({ displayName: name }).toString()
				});
			expect((await post('   ')).status).toBe(400);
			expect((await post('x'.repeat(61))).status).toBe(400);
			const joined = await post('Moeder van Kim');
			expect(joined.status).toBe(303);
			expect(joined.headers.get('location')).toBe(`/boards/${w.boardId}`);
			expect(joined.headers.get('set-cookie')).toMatch(/groeibord_session=.*HttpOnly/i);

			// Single use: the second visitor gets a clear page, in Dutch by default.
			const again = await fetch(`${w.url}/join/${token}`);
			expect(await again.text()).toContain('al gebruikt');
			const bogus = await fetch(`${w.url}/join/${token.slice(0, -2)}zz`, {
				headers: { cookie: 'PARAGLIDE_LOCALE=en' }
			});
			expect(bogus.status).toBe(200);
			expect(await bogus.text()).toMatch(/does not work|werkt niet/);
		});
	}
);
