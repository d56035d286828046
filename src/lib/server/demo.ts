/**
 * The demo school: fictional people, generated avatars (never real photos), one board of each
 * kind that exists. Idempotent: running it twice changes nothing.
 */
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import type { Database } from './db';
import {
	board,
	boardMember,
	media,
	photoConsent,
	school,
	student,
	team,
	teamMember,
	user,
	type BoardKind
} from './db/schema';
import { hashPassword } from './auth/password';
import { seedDemoPastCareMeeting } from './demo-conversations';
import { seedDemoPastTalk } from './demo-talk';
import { seedDemoReview } from './demo-review';
import { seedDemoVoortgang } from './demo-voortgang';
import { seedDemoGrowth } from './demo-growth';
import { seedDemoBoardHistory } from './demo-history';

export const DEMO_SCHOOL_ID = 'demoschool22222a';
export const DEMO_TEAM_ID = 'demoteam2222222a';
export const DEMO_PASSWORD = 'groeibord-demo';

export const demoAccounts = [
	{ id: 'demouseri2222222', email: 'ib@demo.groeibord.nl', name: 'Ilse Bakker', role: 'admin' },
	{
		id: 'demouserm2222222',
		email: 'mentor@demo.groeibord.nl',
		name: 'Mehmet Yilmaz',
		role: 'staff'
	},
	{
		id: 'demouserd2222222',
		email: 'docent@demo.groeibord.nl',
		name: 'Daan de Vries',
		role: 'staff'
	}
] as const;

const firstNames = [
	'Noor',
	'Sem',
	'Julia',
	'Liam',
	'Mila',
	'Daan',
	'Saar',
	'Finn',
	'Yara',
	'Luuk',
	'Emma',
	'Milan',
	'Zoë',
	'Adam',
	'Tess',
	'Mohammed',
	'Lotte',
	'Bram',
	'Fenna',
	'Ryan',
	'Nina',
	'Jesse',
	'Amira',
	'Thijs',
	'Isa'
];
const lastNames = [
	'de Jong',
	'Jansen',
	'de Vries',
	'van den Berg',
	'Bakker',
	'Visser',
	'Smit',
	'Meijer',
	'de Boer',
	'Mulder',
	'de Groot',
	'Bos',
	'Vos',
	'Peters',
	'Hendriks',
	'El Amrani',
	'Dekker',
	'Brouwer',
	'de Wit',
	'Dijkstra',
	'Smits',
	'de Graaf',
	'Kaya',
	'van Dijk',
	'Kok'
];

export const demoBoards: Array<{ id: string; kind: BoardKind; title: string }> = [
	{ id: 'demoboardverb22a', kind: 'verbeterbord', title: 'Verbeterbord team bovenbouw' },
	{ id: 'demoboardzorg22a', kind: 'zorgbord', title: 'Zorgbord groep 7/8' },
	{ id: 'demoboardvoor22a', kind: 'voortgangsbord', title: 'Voortgangsbord groep 7/8' }
];

const studentId = (i: number) => `demostudent${'abcdefghijkmnpqrstuvwxyz2'[i]}2222`;

/** A friendly, abstract face: a seeded palette and features, no text, no real person. */
export function avatarSvg(seed: number): string {
	const skins = ['#f1c9a5', '#e0ac83', '#c68642', '#8d5524', '#ffdbac', '#d9a066'];
	const backgrounds = ['#b8e0c8', '#c9d7f2', '#f6d6a8', '#e8c6e8', '#cde8e4', '#f2c9c9'];
	const hair = ['#2b1b0e', '#5a3825', '#b5651d', '#e3c16f', '#1c1c1c', '#7a4a2a'];
	const pick = <T>(list: T[], salt: number) => list[(seed * 7 + salt * 13) % list.length]!;
	const smile = seed % 3 === 0 ? 'M44 78 Q64 94 84 78' : 'M46 80 Q64 90 82 80';
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 128 128" width="512" height="512">
<rect width="128" height="128" fill="${pick(backgrounds, 1)}"/>
<ellipse cx="64" cy="132" rx="46" ry="30" fill="${pick(backgrounds, 3)}" stroke="#00000022"/>
<circle cx="64" cy="62" r="34" fill="${pick(skins, 2)}"/>
<path d="M30 58 Q34 22 64 24 Q96 22 98 58 Q90 38 64 38 Q40 38 30 58z" fill="${pick(hair, 4)}"/>
<circle cx="52" cy="62" r="4" fill="#1d1f1e"/><circle cx="76" cy="62" r="4" fill="#1d1f1e"/>
<path d="${smile}" stroke="#1d1f1e" stroke-width="4" fill="none" stroke-linecap="round"/>
</svg>`;
}

export async function seedDemo(db: Database): Promise<{ created: boolean }> {
	const [existing] = await db
		.select({ id: school.id })
		.from(school)
		.where(eq(school.id, DEMO_SCHOOL_ID));
	const passwordHash = await hashPassword(DEMO_PASSWORD);

	await db.transaction(async (tx) => {
		await tx
			.insert(school)
			.values({
				id: DEMO_SCHOOL_ID,
				name: 'Demoschool De Groeiboom',
				isDemo: true,
				// A primary school (groep 7/8): its progress wall starts with primary-school flags.
				settings: { schoolType: 'po' }
			})
			.onConflictDoNothing();
		await tx
			.insert(team)
			.values({ id: DEMO_TEAM_ID, schoolId: DEMO_SCHOOL_ID, name: 'Team bovenbouw (groep 7/8)' })
			.onConflictDoNothing();
		for (const account of demoAccounts) {
			await tx
				.insert(user)
				.values({ ...account, schoolId: DEMO_SCHOOL_ID, passwordHash })
				.onConflictDoNothing();
			await tx
				.insert(teamMember)
				.values({ teamId: DEMO_TEAM_ID, userId: account.id })
				.onConflictDoNothing();
		}
		for (const b of demoBoards) {
			await tx
				.insert(board)
				.values({
					...b,
					schoolId: DEMO_SCHOOL_ID,
					teamId: DEMO_TEAM_ID,
					createdById: demoAccounts[0].id
				})
				.onConflictDoNothing();
			await tx
				.insert(boardMember)
				.values({ boardId: b.id, userId: demoAccounts[0].id, role: 'owner' })
				.onConflictDoNothing();
		}
	});

	for (let i = 0; i < 25; i++) {
		const id = studentId(i);
		const [row] = await db.select({ id: student.id }).from(student).where(eq(student.id, id));
		if (row) continue;
		const photoId = `demophoto${'abcdefghijkmnpqrstuvwxyz2'[i]}222222`;
		const svg = Buffer.from(avatarSvg(i + 1));
		const display = await sharp(svg).resize(512, 512).webp({ quality: 82 }).toBuffer();
		const thumb = await sharp(svg).resize(160, 160).webp({ quality: 75 }).toBuffer();
		// Mentor for most, the subject teacher mentors a few: both demo staff have students.
		const mentorId = i % 5 === 4 ? demoAccounts[2].id : demoAccounts[1].id;
		await db.transaction(async (tx) => {
			await tx.insert(student).values({
				id,
				schoolId: DEMO_SCHOOL_ID,
				teamId: DEMO_TEAM_ID,
				firstName: firstNames[i]!,
				lastName: lastNames[i]!,
				groupName: i < 13 ? 'groep 7' : 'groep 8',
				mentorId,
				birthDate: `${i < 13 ? 2015 : 2014}-${String((i % 12) + 1).padStart(2, '0')}-15`,
				photoId: photoId
			});
			await tx.insert(media).values({
				id: photoId,
				schoolId: DEMO_SCHOOL_ID,
				studentId: id,
				purpose: 'student_photo',
				mime: 'image/webp',
				width: 512,
				height: 512,
				data: display,
				thumbMime: 'image/webp',
				thumb,
				createdById: demoAccounts[0].id
			});
			// Every fourth child has no photo consent: the wall shows initials for them.
			if (i % 4 !== 3) {
				await tx.insert(photoConsent).values({
					studentId: id,
					status: 'given',
					givenBy: 'parent',
					recordedById: demoAccounts[0].id
				});
			}
		});
	}
	await seedDemoVoortgang(db);
	await seedDemoCareMeeting(db);
	await seedDemoPastCareMeeting(db, {
		boardId: DEMO_PAST_CARE_MEETING_ID,
		schoolId: DEMO_SCHOOL_ID,
		teamId: DEMO_TEAM_ID,
		studentId: studentId(1),
		childName: firstNames[1]!,
		mentor: { id: demoAccounts[1].id, name: demoAccounts[1].name },
		careCoordinator: { id: demoAccounts[0].id, name: demoAccounts[0].name }
	});
	// Growth first: it gives the team its criteria set, which the past talk is then held against.
	await seedDemoGrowth(db, {
		schoolId: DEMO_SCHOOL_ID,
		teamId: DEMO_TEAM_ID,
		student: { id: studentId(0), firstName: firstNames[0]! },
		mentor: { id: demoAccounts[1].id, name: demoAccounts[1].name }
	});
	await seedDemoPastTalk(db, {
		boardId: DEMO_PAST_TALK_ID,
		schoolId: DEMO_SCHOOL_ID,
		teamId: DEMO_TEAM_ID,
		studentId: studentId(1),
		studentName: firstNames[1]!,
		mentor: { id: demoAccounts[1].id, name: demoAccounts[1].name }
	});
	// A past leerlingbespreking and last month's discussion at the progress wall.
	await seedDemoReview(db, {
		schoolId: DEMO_SCHOOL_ID,
		teamId: DEMO_TEAM_ID,
		wallBoardId: demoBoards[2]!.id,
		students: Array.from({ length: 8 }, (_, i) => ({
			id: studentId(i),
			name: `${firstNames[i]} ${lastNames[i]}`
		})),
		admin: { id: demoAccounts[0].id, name: demoAccounts[0].name },
		mentor: { id: demoAccounts[1].id, name: demoAccounts[1].name },
		teacher: { id: demoAccounts[2].id, name: demoAccounts[2].name }
	});
	// Eight weeks of bordsessies, so history, summaries and the kwaliteitskaart show what they are for.
	const staff = demoAccounts.map(({ id, name }) => ({ id, name }));
	for (const b of demoBoards) {
		if (b.kind === 'verbeterbord' || b.kind === 'zorgbord') {
			await seedDemoBoardHistory(db, { ...b, teamId: DEMO_TEAM_ID }, staff);
		}
	}
	return { created: !existing };
}

/** The first child's care meeting, owned by its mentor: empty, so it opens with its start screen. */
export const DEMO_CARE_MEETING_ID = 'demoboardzoov22a';
/** The second child's care meeting, held three weeks ago: its board and its record. */
export const DEMO_PAST_CARE_MEETING_ID = 'demoboardzoov22b';
/** The second child's three-way talk, held two weeks ago: its board, record and agreed goal. */
export const DEMO_PAST_TALK_ID = 'demoboarddrie22a';

async function seedDemoCareMeeting(db: Database) {
	await db.transaction(async (tx) => {
		await tx
			.insert(board)
			.values({
				id: DEMO_CARE_MEETING_ID,
				kind: 'zorgoverleg',
				title: `Zorgoverleg ${firstNames[0]}`,
				schoolId: DEMO_SCHOOL_ID,
				teamId: DEMO_TEAM_ID,
				studentId: studentId(0),
				createdById: demoAccounts[1].id
			})
			.onConflictDoNothing();
		await tx
			.insert(boardMember)
			.values({ boardId: DEMO_CARE_MEETING_ID, userId: demoAccounts[1].id, role: 'owner' })
			.onConflictDoNothing();
	});
}

export async function hasRealSchool(db: Database): Promise<boolean> {
	const [row] = await db
		.select({ id: school.id })
		.from(school)
		.where(eq(school.isDemo, false))
		.limit(1);
	return row !== undefined;
}

export async function isEmptyInstallation(db: Database): Promise<boolean> {
	const [row] = await db.select({ id: school.id }).from(school).limit(1);
	return row === undefined;
}

export async function demoExists(db: Database): Promise<boolean> {
	const [row] = await db
		.select({ id: school.id })
		.from(school)
		.where(and(eq(school.id, DEMO_SCHOOL_ID), eq(school.isDemo, true)));
	return row !== undefined;
}
