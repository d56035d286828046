/**
 * Growth data against a real database (PGlite and PostgreSQL): criteria sets are versioned and
 * never rewritten, assessments name only what their version holds, evidence follows its
 * add/remove rules per actor and its photo reaches only those who may see the student's growth,
 * and goals agreed in a talk come back open and newest first. Another school's ids are not found.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLeerhouding, type CriteriaContent } from '../../src/lib/board/criteria';
import type { AgreedGoalsInput } from '../../src/lib/board/growth';
import type { Actor } from '../../src/lib/server/auth/actor';
import { newId } from '../../src/lib/server/auth/tokens';
import {
	archiveSet,
	createSet,
	currentVersion,
	ensureDefaultSet,
	listSets,
	loadSet,
	loadVersion,
	saveVersion
} from '../../src/lib/server/criteria';
import {
	assessment,
	board,
	media,
	studentGoal,
	type Student
} from '../../src/lib/server/db/schema';
import {
	addEvidence,
	agreedGoals,
	GrowthInputError,
	latestViews,
	listEvidence,
	markGoalDone,
	recordAgreedGoals,
	recordAssessments,
	removeEvidence
} from '../../src/lib/server/growth';
import { recordConsent } from '../../src/lib/server/photos/consent';
import { DEMO_SCHOOL_ID, DEMO_TEAM_ID, seedDemo } from '../../src/lib/server/demo';
import { readMediaFor } from '../../src/lib/server/photos/media';
import { eq, inArray } from 'drizzle-orm';
import { actions as evidenceActions } from '../../src/routes/students/[studentId=id]/evidence/+page.server';
import { actions as criteriaActions } from '../../src/routes/teams/[teamId]/criteria/+page.server';
import { drivers } from '../helpers/db';
import {
	asUser,
	fakeSession,
	makeSchool,
	makeStudent,
	makeTeam,
	makeUser
} from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const png = () =>
	sharp({ create: { width: 300, height: 200, channels: 3, background: '#2e86de' } })
		.png()
		.toBuffer()
		.then((b) => new Uint8Array(b));

const studentActor = (s: Student, name = 'Kim'): Actor => ({
	kind: 'student',
	session: fakeSession,
	schoolId: s.schoolId,
	studentId: s.id,
	displayName: name
});

describe.each(drivers)('growth (%s)', (driver) => {
	let rt: TestRuntime;
	let schoolId: string, otherSchoolId: string, teamId: string;
	let mentor: Actor & { kind: 'user' }, mate: Actor & { kind: 'user' };
	let outsider: Actor & { kind: 'user' }, otherAdmin: Actor & { kind: 'user' };
	let kim: Student, noor: Student, foreign: Student;
	let talkId: string;

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		const db = rt.database.db;
		const school = await makeSchool(db);
		const other = await makeSchool(db, 'Andere school');
		schoolId = school.id;
		otherSchoolId = other.id;
		const uMentor = await makeUser(db, school.id, { name: 'Mehmet' });
		const uMate = await makeUser(db, school.id, { name: 'Daan' });
		const uOut = await makeUser(db, school.id, { name: 'Buiten' });
		const uOther = await makeUser(db, other.id, { role: 'admin' });
		const t = await makeTeam(db, school.id, [uMentor.id, uMate.id]);
		await makeTeam(db, school.id, [uOut.id]);
		teamId = t.id;
		mentor = asUser(uMentor);
		mate = asUser(uMate);
		outsider = asUser(uOut);
		otherAdmin = asUser(uOther);
		kim = await makeStudent(db, school.id, { teamId: t.id, mentorId: uMentor.id });
		noor = await makeStudent(db, school.id, { teamId: t.id, mentorId: uMentor.id });
		const otherTeam = await makeTeam(db, other.id);
		foreign = await makeStudent(db, other.id, { teamId: otherTeam.id });
		talkId = newId();
		await db.insert(board).values({
			id: talkId,
			schoolId,
			studentId: kim.id,
			kind: 'driehoeksgesprek',
			title: 'Gesprek Kim'
		});
	});
	afterAll(async () => {
		await rt?.close();
	});

	describe('criteria sets', () => {
		it('gives a team the default Leerhouding once, and lists school-wide sets with it', async () => {
			const db = rt.database.db;
			const first = await ensureDefaultSet(db, schoolId, teamId);
			expect(first.map((s) => s.set.name)).toEqual(['Leerhouding']);
			expect(first[0]!.version).toBe(1);
			expect(first[0]!.content).toEqual(defaultLeerhouding.content);
			const again = await ensureDefaultSet(db, schoolId, teamId);
			expect(again.map((s) => s.set.id)).toEqual(first.map((s) => s.set.id));
			const wide = await createSet(db, {
				schoolId,
				teamId: null,
				name: 'Schoolbreed',
				content: defaultLeerhouding.content
			});
			expect((await listSets(db, schoolId, teamId)).map((s) => s.set.id)).toEqual([
				first[0]!.set.id,
				wide.set.id
			]);
			// Another school's team sees neither.
			expect(await listSets(db, otherSchoolId, teamId)).toEqual([]);
			expect(await archiveSet(db, schoolId, wide.set.id)).toBe(true);
			expect((await listSets(db, schoolId, teamId)).map((s) => s.set.id)).toEqual([
				first[0]!.set.id
			]);
		});

		it('saving adds version n+1 and never rewrites an earlier one; assessments keep theirs', async () => {
			const db = rt.database.db;
			const { set, versionId: v1 } = await createSet(db, {
				schoolId,
				teamId,
				name: 'Plannen',
				content: defaultLeerhouding.content
			});
			await db.transaction((tx) =>
				recordAssessments(tx, [
					{
						schoolId,
						studentId: noor.id,
						versionId: v1,
						criterionId: 'plannen',
						levelId: 'soms',
						perspective: 'mentor',
						authorName: 'Mehmet',
						authorUserId: mentor.user.id,
						assessedOn: '2026-10-01'
					}
				])
			);
			const reworded: CriteriaContent = {
				criteria: defaultLeerhouding.content.criteria.map((c) =>
					c.id === 'plannen'
						? {
								...c,
								levels: c.levels.map((l) =>
									l.id === 'soms' ? { ...l, label: 'Ik plan een deel van mijn werk' } : l
								)
							}
						: c
				)
			};
			const saved = await saveVersion(db, schoolId, set.id, {
				name: 'Plannen en hulp',
				content: reworded
			});
			expect(saved).toMatchObject({ ok: true, version: 2 });
			const third = await saveVersion(db, schoolId, set.id, {
				name: 'Plannen en hulp',
				content: reworded
			});
			expect(third).toMatchObject({ ok: true, version: 3 });

			const old = await loadVersion(db, schoolId, v1);
			expect(old!.version.version).toBe(1);
			expect(old!.version.content).toEqual(defaultLeerhouding.content);
			expect((await currentVersion(db, schoolId, set.id))!.version).toBe(3);
			expect((await loadSet(db, schoolId, set.id))!.name).toBe('Plannen en hulp');
			const [kept] = await db.select().from(assessment).where(eq(assessment.studentId, noor.id));
			expect(kept!.versionId).toBe(v1);
			// The view reads the level in the words it was given in.
			const views = await latestViews(db, schoolId, noor.id);
			const plannen = views.find((v) => v.setId === set.id)!.criteria[0]!;
			expect(plannen.views.mentor?.levelLabel).toBe('Ik plan soms zelf');
		});

		it('refuses invalid content and another school’s set or version', async () => {
			const db = rt.database.db;
			const [mine] = await listSets(db, schoolId, teamId);
			const twoLevels = {
				criteria: [
					{
						id: 'x',
						title: 'X',
						levels: [
							{ id: 'a', label: 'A' },
							{ id: 'b', label: 'B' }
						]
					}
				]
			};
			await expect(
				saveVersion(db, schoolId, mine!.set.id, { name: 'X', content: twoLevels })
			).rejects.toThrow();
			expect(
				await saveVersion(db, otherSchoolId, mine!.set.id, {
					name: 'X',
					content: defaultLeerhouding.content
				})
			).toEqual({ ok: false, reason: 'not_found' });
			expect(await loadSet(db, otherSchoolId, mine!.set.id)).toBeNull();
			expect(await loadVersion(db, otherSchoolId, mine!.versionId)).toBeNull();
			expect(await currentVersion(db, otherSchoolId, mine!.set.id)).toBeNull();
		});
	});

	it('the criteria page saves a new version keeping ids, makes ids for new rows, and refuses with the input kept', async () => {
		const db = rt.database.db;
		const { set } = await createSet(db, {
			schoolId,
			teamId,
			name: 'Formulier',
			content: defaultLeerhouding.content
		});
		const post = async (action: string, fields: [string, string][], actor: Actor = mate) => {
			const form = new FormData();
			for (const [k, v] of fields) form.append(k, v);
			const event = {
				locals: { actor },
				params: { teamId },
				request: new Request('http://localhost/', { method: 'POST', body: form })
			};
			try {
				// eslint-disable-next-line @typescript-eslint/no-explicit-any
				return (await criteriaActions[action]!(event as any)) as unknown;
			} catch (e) {
				return { thrown: (e as { status?: number }).status };
			}
		};
		const fields = (levels: string[]): [string, string][] => [
			['setId', set.id],
			['name', 'Formulier'],
			['c.0.id', 'plannen'],
			['c.0.title', 'Ik plan mijn week'],
			...levels.flatMap((label, j): [string, string][] => [
				[`c.0.l.${j}.id`, ['begin', 'soms', 'zelf', 'helpen'][j] ?? ''],
				[`c.0.l.${j}.label`, label]
			]),
			['c.1.id', ''],
			['c.1.title', 'Ik plan'],
			['c.1.l.0.label', 'Een'],
			['c.1.l.1.label', 'Twee'],
			['c.1.l.2.label', 'Drie']
		];
		const refused = await post('save', fields(['a', 'b']));
		expect(refused).toMatchObject({
			status: 400,
			data: { setId: set.id, errors: { 'c.0.levels': 'too_few_levels' } }
		});
		expect(
			(refused as { data: { values: { criteria: unknown[] } } }).data.values.criteria[1]
		).toEqual({
			id: '',
			title: 'Ik plan',
			levels: [
				{ id: '', label: 'Een' },
				{ id: '', label: 'Twee' },
				{ id: '', label: 'Drie' }
			]
		});
		expect((await currentVersion(db, schoolId, set.id))!.version).toBe(1);

		expect(await post('save', fields(['a', 'b', 'c', 'd', 'e']))).toEqual({
			saved: { setId: set.id, version: 2 }
		});
		const v2 = (await currentVersion(db, schoolId, set.id))!.content;
		// The kept criterion keeps its id; the new one gets one from its words, never an old one.
		expect(v2.criteria.map((c) => c.id)).toEqual(['plannen', 'ik-plan']);
		expect(v2.criteria[0]!.levels.map((l) => l.id)).toEqual([
			'begin',
			'soms',
			'zelf',
			'helpen',
			'e'
		]);
		expect(v2.criteria[1]!.levels.map((l) => l.id)).toEqual(['een', 'twee', 'drie']);
		// Staff outside the team, and another school, are not let in.
		expect(await post('save', fields(['a', 'b', 'c']), outsider)).toEqual({ thrown: 404 });
		expect(await post('save', fields(['a', 'b', 'c']), otherAdmin)).toEqual({ thrown: 404 });
		expect((await currentVersion(db, schoolId, set.id))!.version).toBe(2);
	});

	describe('assessments', () => {
		it('stores three perspectives and shows the newest of each side by side', async () => {
			const db = rt.database.db;
			const [leer] = await listSets(db, schoolId, teamId);
			const base = { schoolId, studentId: kim.id, versionId: leer!.versionId };
			await db.transaction((tx) =>
				recordAssessments(tx, [
					{
						...base,
						criterionId: 'plannen',
						levelId: 'begin',
						perspective: 'student',
						authorName: 'Kim',
						assessedOn: '2026-09-01'
					},
					{
						...base,
						criterionId: 'plannen',
						levelId: 'zelf',
						perspective: 'student',
						authorName: 'Kim',
						assessedOn: '2026-11-01',
						note: 'Ik gebruik nu een planner'
					},
					{
						...base,
						criterionId: 'plannen',
						levelId: 'soms',
						perspective: 'mentor',
						authorName: 'Mehmet',
						authorUserId: mentor.user.id,
						assessedOn: '2026-11-02',
						boardId: talkId
					},
					{
						...base,
						criterionId: 'feedback',
						levelId: 'zelf',
						perspective: 'mentor',
						authorName: 'Mehmet',
						assessedOn: '2026-11-02'
					},
					{
						...base,
						criterionId: 'feedback',
						levelId: 'zelf',
						perspective: 'parent',
						authorName: 'Ouder',
						assessedOn: '2026-11-02'
					}
				])
			);
			const [views] = await latestViews(db, schoolId, kim.id);
			const byId = Object.fromEntries(views!.criteria.map((c) => [c.id, c]));
			expect(byId.plannen!.views.student).toMatchObject({
				levelLabel: 'Ik plan mijn werk zelf',
				note: 'Ik gebruik nu een planner',
				assessedOn: '2026-11-01'
			});
			expect(byId.plannen!.views.mentor?.levelLabel).toBe('Ik plan soms zelf');
			expect(byId.plannen!.views.parent).toBeUndefined();
			expect(byId.plannen!.differ).toBe(true);
			expect(byId.feedback!.differ).toBe(false);
			expect(byId['hulp-vragen']!.views).toEqual({});
			// Another school asks for this student: nothing.
			expect(await latestViews(db, otherSchoolId, kim.id)).toEqual([]);
		});

		it('refuses a level or criterion not in the version, and rolls the whole batch back', async () => {
			const db = rt.database.db;
			const [leer] = await listSets(db, schoolId, teamId);
			const good = {
				schoolId,
				studentId: noor.id,
				versionId: leer!.versionId,
				criterionId: 'plannen',
				levelId: 'zelf',
				perspective: 'student' as const,
				authorName: 'Noor',
				assessedOn: '2026-11-10'
			};
			const before = (await db.select().from(assessment)).length;
			for (const [bad, code] of [
				[{ levelId: 'expert' }, 'unknown_level'],
				[{ criterionId: 'rekenen' }, 'unknown_criterion'],
				[{ studentId: foreign.id }, 'unknown_student'],
				[{ schoolId: otherSchoolId }, 'unknown_student'],
				[{ note: 'x'.repeat(281) }, 'invalid'],
				[{ assessedOn: '2026-02-31' }, 'invalid']
			] as const) {
				const attempt = db.transaction((tx) => recordAssessments(tx, [good, { ...good, ...bad }]));
				await expect(attempt).rejects.toBeInstanceOf(GrowthInputError);
				await expect(attempt).rejects.toMatchObject({ code, index: 1 });
			}
			expect((await db.select().from(assessment)).length).toBe(before);
		});
	});

	describe('evidence', () => {
		it('adds text and photo evidence per actor and refuses what is empty, unknown or without consent', async () => {
			const db = rt.database.db;
			const [leer] = await listSets(db, schoolId, teamId);
			expect(
				await addEvidence(db, mentor, kim, {
					text: '',
					outsideSchool: false,
					criterion: null,
					photo: null
				})
			).toEqual({ ok: false, error: 'empty' });
			expect(
				await addEvidence(db, mentor, kim, {
					text: 'x',
					outsideSchool: false,
					criterion: { setId: leer!.set.id, criterionId: 'rekenen' },
					photo: null
				})
			).toEqual({ ok: false, error: 'unknown_criterion' });
			expect(
				await addEvidence(db, mentor, kim, {
					text: '',
					outsideSchool: false,
					criterion: null,
					photo: await png()
				})
			).toEqual({ ok: false, error: 'no_consent' });
			await recordConsent(db, mentor, kim, 'given');
			expect(
				await addEvidence(db, mentor, kim, {
					text: '',
					outsideSchool: false,
					criterion: null,
					photo: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')
				})
			).toEqual({ ok: false, error: 'unsupported_type' });

			const byStudent = await addEvidence(db, studentActor(kim), kim, {
				text: 'Ik heb bij de voetbalclub de training gepland',
				outsideSchool: true,
				criterion: { setId: leer!.set.id, criterionId: 'plannen' },
				photo: null
			});
			const byMentor = await addEvidence(db, mentor, kim, {
				text: 'Werkstuk',
				outsideSchool: false,
				criterion: null,
				photo: await png()
			});
			expect(byStudent.ok && byMentor.ok).toBe(true);
			const list = await listEvidence(db, schoolId, kim.id);
			expect(list.map((e) => [e.text, e.addedBy, e.authorName, e.outsideSchool])).toEqual([
				['Werkstuk', 'mentor', 'Mehmet', false],
				['Ik heb bij de voetbalclub de training gepland', 'student', 'Kim', true]
			]);
			expect(list[1]!.criterionTitle).toBe('Ik plan mijn werk');
			expect(list[0]!.photoId).not.toBeNull();
			const [stored] = await db.select().from(media).where(eq(media.id, list[0]!.photoId!));
			expect(stored!.purpose).toBe('evidence');
			expect(stored!.studentId).toBe(kim.id);
			expect(await listEvidence(db, otherSchoolId, kim.id)).toEqual([]);
		});

		it('serves an evidence photo to staff who see the student and the student; not to a wall, a guest, another student or school', async () => {
			const db = rt.database.db;
			const [withPhoto] = (await listEvidence(db, schoolId, kim.id)).filter((e) => e.photoId);
			const photoId = withPhoto!.photoId!;
			const wall: Actor = {
				kind: 'device',
				session: fakeSession,
				schoolId,
				teamId,
				wallPairingId: 'p'
			};
			const guest: Actor = {
				kind: 'guest',
				session: fakeSession,
				schoolId,
				boardId: talkId,
				role: 'parent',
				displayName: 'Ouder'
			};
			for (const actor of [mentor, mate, studentActor(kim)]) {
				expect(await readMediaFor(db, actor, photoId, 'thumb')).not.toBeNull();
			}
			for (const actor of [outsider, otherAdmin, wall, guest, studentActor(noor), null]) {
				expect(await readMediaFor(db, actor, photoId, 'display')).toBeNull();
			}
			// Withdrawn consent hides it from everyone, and the list no longer offers it.
			await recordConsent(db, mentor, kim, 'withdrawn');
			expect(await readMediaFor(db, mentor, photoId, 'display')).toBeNull();
			expect((await listEvidence(db, schoolId, kim.id)).every((e) => e.photoId === null)).toBe(
				true
			);
			await recordConsent(db, mentor, kim, 'given');
		});

		it('removes per actor: the student anything about themself, staff what staff added, the author their own', async () => {
			const db = rt.database.db;
			const add = (actor: Actor, text: string) =>
				addEvidence(db, actor, noor, { text, outsideSchool: false, criterion: null, photo: null });
			const ids = async () =>
				Object.fromEntries((await listEvidence(db, schoolId, noor.id)).map((e) => [e.text, e.id]));
			await add(studentActor(noor, 'Noor'), 'van Noor');
			await add(mentor, 'van Mehmet');
			await add(mate, 'van Daan');
			let byText = await ids();
			// Staff never remove the student's own evidence; another student never anything.
			expect(await removeEvidence(db, mate, noor, byText['van Noor']!)).toBe('forbidden');
			expect(await removeEvidence(db, studentActor(kim), noor, byText['van Daan']!)).toBe(
				'forbidden'
			);
			expect(await removeEvidence(db, outsider, noor, byText['van Daan']!)).toBe('forbidden');
			// Scoped: another student's id in the URL, or another school, is not found.
			expect(await removeEvidence(db, mentor, kim, byText['van Daan']!)).toBe('not_found');
			expect(await removeEvidence(db, otherAdmin, foreign, byText['van Daan']!)).toBe('not_found');
			// A colleague who sees the student removes staff evidence; the student removes any.
			expect(await removeEvidence(db, mate, noor, byText['van Mehmet']!)).toBe('removed');
			expect(await removeEvidence(db, studentActor(noor), noor, byText['van Daan']!)).toBe(
				'removed'
			);
			expect(await removeEvidence(db, studentActor(noor), noor, byText['van Noor']!)).toBe(
				'removed'
			);
			byText = await ids();
			expect(byText).toEqual({});
		});

		it('removing evidence removes its photo', async () => {
			const db = rt.database.db;
			const added = await addEvidence(db, mentor, kim, {
				text: '',
				outsideSchool: false,
				criterion: null,
				photo: await png()
			});
			if (!added.ok) throw new Error(added.error);
			const [row] = (await listEvidence(db, schoolId, kim.id)).filter((e) => e.id === added.id);
			expect(await removeEvidence(db, mentor, kim, added.id)).toBe('removed');
			expect(await db.select().from(media).where(eq(media.id, row!.photoId!))).toEqual([]);
		});
	});

	it('POST /students/<id>/evidence answers bad input with a 400 and a message, and adds for the student', async () => {
		const db = rt.database.db;
		const post = async (form: FormData, actor: Actor = mentor, studentId = kim.id) => {
			const event = {
				locals: { actor },
				params: { studentId },
				request: new Request('http://localhost/', { method: 'POST', body: form })
			};
			try {
				// eslint-disable-next-line @typescript-eslint/no-explicit-any
				return (await evidenceActions.default!(event as any)) as unknown;
			} catch (e) {
				return { thrown: (e as { status?: number }).status };
			}
		};
		const form = (fields: Record<string, string | File>) => {
			const f = new FormData();
			for (const [k, v] of Object.entries(fields)) f.set(k, v);
			return f;
		};
		await ensureDefaultSet(db, schoolId, teamId);
		await recordConsent(db, mentor, kim, 'given');
		const [leer] = await listSets(db, schoolId, teamId);
		const empty = new File([], 'leeg.png', { type: 'image/png' });
		expect(await post(form({ text: '  ', photo: empty }))).toMatchObject({
			status: 400,
			data: { evidenceError: 'empty', field: 'text' }
		});
		expect(await post(form({ text: 'x'.repeat(501) }))).toMatchObject({
			status: 400,
			data: { evidenceError: 'too_long', field: 'text', values: { text: 'x'.repeat(501) } }
		});
		expect(
			await post(
				form({ text: 'Werk', photo: new File(['<svg/>'], 'werk.jpg', { type: 'image/jpeg' }) })
			)
		).toMatchObject({ status: 400, data: { evidenceError: 'unsupported_type', field: 'photo' } });
		const huge = new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'groot.png', {
			type: 'image/png'
		});
		expect(await post(form({ text: 'Werk', photo: huge }))).toMatchObject({
			status: 400,
			data: { evidenceError: 'too_large', field: 'photo' }
		});
		for (const criterion of [
			`${leer!.set.id}:rekenen`,
			'geen-criterium',
			`nobody2222222222:plannen`
		]) {
			expect(await post(form({ text: 'Werk', criterion }))).toMatchObject({
				status: 400,
				data: { evidenceError: 'unknown_criterion', field: 'criterion' }
			});
		}
		// Staff who do not see the student, and another student: the same 404 as a missing one.
		expect(await post(form({ text: 'Werk' }), outsider)).toEqual({ thrown: 404 });
		expect(await post(form({ text: 'Werk' }), studentActor(noor))).toEqual({ thrown: 404 });
		expect(await post(form({ text: 'Werk' }), otherAdmin)).toEqual({ thrown: 404 });
		const before = (await listEvidence(db, schoolId, kim.id)).length;
		expect(
			await post(
				form({
					text: 'Mijn eigen planner',
					outsideSchool: 'on',
					criterion: `${leer!.set.id}:plannen`
				}),
				studentActor(kim)
			)
		).toEqual({ evidenceAdded: true });
		const [newest] = await listEvidence(db, schoolId, kim.id);
		expect(newest).toMatchObject({
			text: 'Mijn eigen planner',
			addedBy: 'student',
			outsideSchool: true,
			criterionTitle: 'Ik plan mijn werk'
		});
		expect((await listEvidence(db, schoolId, kim.id)).length).toBe(before + 1);
		// The student removes it again through the same URL.
		expect(
			await post(form({ intent: 'remove', evidenceId: newest!.id }), studentActor(kim))
		).toEqual({ evidenceRemoved: true });
		expect(await post(form({ intent: 'remove', evidenceId: newest!.id }), mentor)).toEqual({
			thrown: 404
		});
	});

	it('the demo seeds Leerhouding, Noor’s two perspectives, evidence and an agreed goal, once', async () => {
		const db = rt.database.db;
		await seedDemo(db);
		await seedDemo(db);
		const noorId = 'demostudenta2222';
		expect((await listSets(db, DEMO_SCHOOL_ID, DEMO_TEAM_ID)).map((s) => s.set.name)).toEqual([
			'Leerhouding'
		]);
		const [views] = await latestViews(db, DEMO_SCHOOL_ID, noorId);
		const byId = Object.fromEntries(views!.criteria.map((c) => [c.id, c]));
		expect(Object.keys(byId.plannen!.views).sort()).toEqual(['mentor', 'student']);
		expect(byId['hulp-vragen']!.differ).toBe(true);
		expect(byId.plannen!.differ).toBe(false);
		const ev = await listEvidence(db, DEMO_SCHOOL_ID, noorId);
		expect(ev.map((e) => [e.addedBy, e.outsideSchool])).toEqual([
			['student', true],
			['student', false]
		]);
		expect((await agreedGoals(db, DEMO_SCHOOL_ID, [noorId])).map((g) => g.text)).toEqual([
			'Ik plan elke maandag mijn weektaak'
		]);
	});

	describe('agreed goals', () => {
		it('is the one writer of a talk’s goals: each keeps its own writer and due date, and a raced fourth goal is kept', async () => {
			const db = rt.database.db;
			const goals = [
				{ text: 'Mijn eigen doel', writtenBy: 'student', dueDate: '2027-02-01' },
				{ text: 'Doel twee' },
				{ text: 'Doel drie' },
				// Two devices agreed one at once: the board held four, the talk's end keeps four.
				{ text: 'Doel vier' }
			];
			const ids = await db.transaction((tx) =>
				recordAgreedGoals(tx, {
					schoolId,
					studentId: noor.id,
					boardId: talkId,
					writtenBy: 'Mehmet',
					goals
				})
			);
			const rows = await db.select().from(studentGoal).where(inArray(studentGoal.id, ids));
			expect(
				rows
					.map((r) => [r.text, r.writtenBy, r.dueDate, r.boardId])
					.sort((a, b) => String(a[0]).localeCompare(String(b[0])))
			).toEqual([
				['Doel drie', 'Mehmet', null, talkId],
				['Doel twee', 'Mehmet', null, talkId],
				['Doel vier', 'Mehmet', null, talkId],
				['Mijn eigen doel', 'student', '2027-02-01', talkId]
			]);
			// A due date that is no calendar day is refused, and nothing of the batch is kept.
			const before = (await db.select().from(studentGoal)).length;
			await expect(
				db.transaction((tx) =>
					recordAgreedGoals(tx, {
						schoolId,
						studentId: noor.id,
						boardId: talkId,
						writtenBy: 'Mehmet',
						goals: [{ text: 'Goed' }, { text: 'Fout', dueDate: '2027-02-30' }]
					})
				)
			).rejects.toBeInstanceOf(GrowthInputError);
			expect((await db.select().from(studentGoal)).length).toBe(before);
			await db.delete(studentGoal).where(inArray(studentGoal.id, ids));
		});

		it('stores goals with actions from a talk and lists the open ones newest first', async () => {
			const db = rt.database.db;
			await db.transaction((tx) =>
				recordAgreedGoals(tx, {
					schoolId,
					studentId: kim.id,
					boardId: talkId,
					writtenBy: 'Mehmet',
					agreedAt: new Date('2026-10-01T10:00:00Z'),
					goals: [{ text: 'Ik plan elke maandag mijn week', actions: [] }]
				})
			);
			const ids = await db.transaction((tx) =>
				recordAgreedGoals(tx, {
					schoolId,
					studentId: kim.id,
					boardId: talkId,
					writtenBy: 'Mehmet',
					agreedAt: new Date('2026-11-20T10:00:00Z'),
					goals: [
						{
							text: 'Ik vraag op tijd om hulp',
							actions: [
								{ what: 'Vragenuur op dinsdag', who: 'Kim', due: '2026-12-01' },
								{ what: 'Thuis even navragen', who: 'Ouder' }
							]
						}
					]
				})
			);
			const goals = await agreedGoals(db, schoolId, [kim.id, noor.id]);
			expect(goals.map((g) => g.text)).toEqual([
				'Ik vraag op tijd om hulp',
				'Ik plan elke maandag mijn week'
			]);
			expect(goals[0]!.actions).toEqual([
				{ what: 'Vragenuur op dinsdag', who: 'Kim', due: '2026-12-01' },
				{ what: 'Thuis even navragen', who: 'Ouder', due: null }
			]);
			expect(goals[0]!.boardId).toBe(talkId);
			expect(await agreedGoals(db, otherSchoolId, [kim.id])).toEqual([]);

			expect(await markGoalDone(db, noor, ids[0]!)).toBe(false);
			expect(await markGoalDone(db, kim, ids[0]!)).toBe(true);
			expect(await markGoalDone(db, kim, ids[0]!)).toBe(false);
			expect((await agreedGoals(db, schoolId, [kim.id])).map((g) => g.text)).toEqual([
				'Ik plan elke maandag mijn week'
			]);
		});

		it('refuses no goals, more than a talk’s record holds, an empty text or another school’s student', async () => {
			const db = rt.database.db;
			const base = { schoolId, studentId: kim.id, boardId: talkId, writtenBy: 'Mehmet' };
			const goal = { text: 'Doel', actions: [] };
			for (const [input, code] of [
				[{ ...base, goals: [] }, 'invalid'],
				[{ ...base, goals: Array.from({ length: 21 }, () => goal) }, 'invalid'],
				[{ ...base, goals: [{ text: '  ', actions: [] }] }, 'invalid'],
				[
					{ ...base, goals: [{ text: 'x', actions: [{ what: 'y', due: '2026-13-01' }] }] },
					'invalid'
				],
				[{ ...base, studentId: foreign.id, goals: [goal] }, 'unknown_student']
			] as const) {
				await expect(
					db.transaction((tx) => recordAgreedGoals(tx, input as unknown as AgreedGoalsInput))
				).rejects.toMatchObject({
					code
				});
			}
		});
	});
});
