/**
 * The progress wall's relational side on a real database: what a wall loads (photos only
 * with consent, 8-week strip, signals from the team's thresholds) and who may record history.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEEK_MS } from '../../src/lib/board/dates';
import type { Actor } from '../../src/lib/server/auth/actor';
import { studentEvent } from '../../src/lib/server/db/schema';
import { recordConsent } from '../../src/lib/server/photos/consent';
import { setStudentPhoto } from '../../src/lib/server/photos/media';
import {
	loadProgressWall,
	recordStudentEvent,
	saveThresholds,
	studentTimeline
} from '../../src/lib/server/voortgang';
import { GET as photosGet } from '../../src/routes/media/board/[boardId=id]/+server';
import { drivers } from '../helpers/db';
import {
	asUser,
	makeBoard,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser
} from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEvent = any;

describe.each(drivers)('progress wall data (%s)', (driver) => {
	let rt: TestRuntime;
	let mentor: Actor & { kind: 'user' };
	let viewer: Actor & { kind: 'user' };
	let wallBoard: Awaited<ReturnType<typeof makeBoard>>;
	let teamId: string;
	let withConsent: string, withoutConsent: string, noPhoto: string, elsewhere: string;
	const now = new Date('2026-11-23T12:00:00Z');

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		const db = rt.database.db;
		const school = await makeSchool(db);
		const uMentor = await makeUser(db, school.id, { name: 'Mentor Mo' });
		const uViewer = await makeUser(db, school.id);
		const t = await makeTeam(db, school.id, [uMentor.id]);
		const other = await makeTeam(db, school.id);
		teamId = t.id;
		mentor = asUser(uMentor);
		viewer = asUser(uViewer);
		wallBoard = await makeBoard(db, school.id, {
			kind: 'voortgangsbord',
			teamId: t.id,
			members: [[uViewer.id, 'viewer']]
		});
		const a = await makeStudent(db, school.id, { teamId: t.id, mentorId: uMentor.id });
		const b = await makeStudent(db, school.id, { teamId: t.id, mentorId: uMentor.id });
		const c = await makeStudent(db, school.id, { teamId: t.id });
		const d = await makeStudent(db, school.id, { teamId: other.id });
		[withConsent, withoutConsent, noPhoto, elsewhere] = [a.id, b.id, c.id, d.id];
		const jpeg = await sharp({
			create: { width: 300, height: 300, channels: 3, background: '#88aa22' }
		})
			.jpeg()
			.toBuffer();
		await setStudentPhoto(db, mentor, a, jpeg);
		await setStudentPhoto(db, mentor, b, jpeg);
		await recordConsent(db, mentor, a, 'given');
		// Orange for the last five weeks for student a, silence for b since 4 weeks.
		for (let w = 4; w >= 0; w--) {
			const r = await recordStudentEvent(db, {
				boardId: wallBoard.id,
				studentId: a.id,
				update: { stoplight: 'orange', flags: ['verzuim'], note: `week ${w}` },
				by: { actor: mentor, role: 'editor' },
				at: new Date(now.getTime() - w * WEEK_MS - 3_600_000)
			});
			expect(r).not.toBeNull();
		}
		await recordStudentEvent(db, {
			boardId: wallBoard.id,
			studentId: b.id,
			update: { stoplight: 'green', flags: [], note: '' },
			by: { actor: mentor, role: 'editor' },
			at: new Date(now.getTime() - 4 * WEEK_MS - 3_600_000)
		});
	});
	afterAll(async () => {
		await rt?.close();
	});

	it('loads the team’s students with photos only where consent is in force', async () => {
		const wall = await loadProgressWall(rt.database.db, wallBoard, mentor, now);
		expect(wall.students.map((s) => s.id).sort()).toEqual(
			[withConsent, withoutConsent, noPhoto].sort()
		);
		const byId = new Map(wall.students.map((s) => [s.id, s]));
		expect(byId.get(withConsent)!.photoId).not.toBeNull();
		expect(byId.get(withoutConsent)!.photoId).toBeNull();
		expect(byId.get(noPhoto)!.photoId).toBeNull();
		expect(byId.has(elsewhere)).toBe(false);
		expect(byId.get(withConsent)!.last).toMatchObject({
			stoplight: 'orange',
			note: 'week 0',
			by: 'Mentor Mo'
		});
		expect(byId.get(withConsent)!.strip).toEqual([
			null,
			null,
			null,
			'orange',
			'orange',
			'orange',
			'orange',
			'orange'
		]);
		expect(byId.get(withConsent)!.monthAgo).toMatchObject({ note: 'week 4' });
		expect(wall.mentors).toEqual([{ id: mentor.user.id, name: 'Mentor Mo' }]);
	});

	it('shows signals from the team’s thresholds, and a changed threshold changes them', async () => {
		const db = rt.database.db;
		const kinds = async () =>
			(await loadProgressWall(db, wallBoard, mentor, now)).signals
				.map((s) => `${s.studentId === withConsent ? 'a' : 'b'}:${s.kind}`)
				.sort(sortAB);
		expect(await kinds()).toEqual(['a:streak', 'a:concern', 'b:silent'].sort(sortAB));
		expect(
			await saveThresholds(db, mentor, teamId, {
				streakWeeks: 6,
				silentWeeks: 5,
				concernCount: 3,
				lookbackWeeks: 8
			})
		).toBe(true);
		expect(await kinds()).toEqual(['a:concern']);
		expect(
			await saveThresholds(db, viewer, teamId, {
				streakWeeks: 1,
				silentWeeks: 1,
				concernCount: 2,
				lookbackWeeks: 8
			})
		).toBe(false);
	});

	it('records history only for editors, only for students of the wall’s team', async () => {
		const db = rt.database.db;
		const update = { stoplight: 'red' as const, flags: [], note: '' };
		const record = (studentId: string, role: 'editor' | 'viewer', flags: string[] = []) =>
			recordStudentEvent(db, {
				boardId: wallBoard.id,
				studentId,
				update: { ...update, flags },
				by: { actor: role === 'viewer' ? viewer : mentor, role }
			});
		expect(await record(noPhoto, 'viewer')).toBeNull();
		expect(await record(elsewhere, 'editor')).toBeNull();
		expect(await record(noPhoto, 'editor', ['made-up', 'verzuim'])).not.toBeNull();
		const [latest] = await studentTimeline(db, noPhoto);
		expect(latest).toMatchObject({
			kind: 'update',
			actorId: mentor.user.id,
			actorName: 'Mentor Mo'
		});
		// Only the team's own flags reach the history.
		expect(latest!.data).toEqual({ stoplight: 'red', flags: ['verzuim'], note: '' });
		expect(studentEvent).toBeDefined();
	});

	it('the photo poll drops a photo as soon as consent is withdrawn', async () => {
		const db = rt.database.db;
		const poll = async () => {
			const res = await photosGet({
				locals: { actor: mentor },
				params: { boardId: wallBoard.id }
			} as AnyEvent);
			expect(res.headers.get('cache-control')).toBe('private, no-store');
			return ((await res.json()) as { photos: Record<string, string> }).photos;
		};
		expect(Object.keys(await poll())).toEqual([withConsent]);
		await recordConsent(db, mentor, { id: withConsent, birthDate: null }, 'withdrawn');
		expect(await poll()).toEqual({});
	});
});

function sortAB(a: string, b: string) {
	return a.localeCompare(b);
}
