/**
 * The complete export of one student: with one item of every kind seeded for two students of
 * the same school, the export of one holds all of its own and nothing of the other's, including
 * the live board state (cards on their own board, their entry on the shared progress wall).
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCard } from '../../src/lib/board/verbeterbord';
import { addAction, applyStudentUpdate } from '../../src/lib/board/voortgang';
import { newId } from '../../src/lib/server/auth/tokens';
import { editBoardDoc } from '../../src/lib/server/board-edit';
import {
	assessment,
	auditLog,
	boardRecord,
	criteriaSet,
	criteriaSetVersion,
	evidence,
	goalStep,
	media,
	photoConsent,
	reviewAction,
	reviewAdvice,
	reviewComment,
	reviewDecision,
	reviewRound,
	studentEvent,
	studentGoal,
	studentLink
} from '../../src/lib/server/db/schema';
import { exportStudent, renderExportHtml } from '../../src/lib/server/privacy/export';
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

describe.each(drivers)('complete export of a student (%s)', (driver) => {
	let rt: TestRuntime;

	beforeEach(async () => {
		rt = await startTestRuntime(driver);
	});
	afterEach(async () => {
		await rt.close();
	});

	/** One item of every kind for `studentId`; returns the texts and ids that mark them. */
	async function seed(
		ctx: { schoolId: string; mentorId: string; teamId: string; wallId: string; versionId: string },
		studentId: string,
		tag: string
	) {
		const db = rt.database.db;
		const marks: string[] = [];
		const mark = (what: string) => {
			const text = `${tag}-${what}-${newId().slice(0, 6)}`;
			marks.push(text);
			return text;
		};
		await db.insert(photoConsent).values({ studentId, status: 'given', givenBy: 'parent' });
		const mediaId = newId();
		marks.push(mediaId);
		await db.insert(media).values({
			id: mediaId,
			schoolId: ctx.schoolId,
			studentId,
			purpose: 'evidence',
			mime: 'image/jpeg',
			width: 1,
			height: 1,
			data: new Uint8Array([1]),
			thumbMime: 'image/jpeg',
			thumb: new Uint8Array([1])
		});
		// Their own care meeting, with a card in their own words (live board state only).
		const own = await makeBoard(db, ctx.schoolId, {
			kind: 'zorgoverleg',
			studentId,
			members: [[ctx.mentorId, 'owner']]
		});
		const words = mark('wish');
		await editBoardDoc(
			own.id,
			(doc) => addCard(doc, { type: 'wishes', title: words }),
			{},
			rt.runtime
		);
		await db.insert(boardRecord).values({
			boardId: own.id,
			kind: 'meeting',
			key: newId(),
			data: { words: [{ title: mark('record') }] }
		});
		// Their entry and an agreed action on the shared wall (live state).
		const note = mark('note');
		const action = mark('action');
		await editBoardDoc(
			ctx.wallId,
			(doc) => {
				applyStudentUpdate(
					doc,
					studentId,
					{ stoplight: 'orange', flags: [], note },
					{ name: 'Mo', at: new Date() },
					[]
				);
				addAction(doc, {
					id: newId(),
					studentId,
					who: 'Mo',
					what: action,
					when: '2026-12-01',
					done: false
				});
			},
			{},
			rt.runtime
		);
		await db.insert(studentEvent).values({
			studentId,
			boardId: ctx.wallId,
			kind: 'update',
			data: { stoplight: 'orange', note: mark('event') },
			actorName: 'Mo'
		});
		await db.insert(assessment).values({
			id: newId(),
			schoolId: ctx.schoolId,
			studentId,
			versionId: ctx.versionId,
			criterionId: 'plannen',
			levelId: 'soms',
			perspective: 'mentor',
			note: mark('assessment'),
			authorName: 'Mo',
			assessedOn: '2026-11-01'
		});
		const goalId = newId();
		await db
			.insert(studentGoal)
			.values({ id: goalId, studentId, text: mark('goal'), writtenBy: 'student' });
		await db.insert(goalStep).values({
			id: newId(),
			schoolId: ctx.schoolId,
			studentId,
			goalId,
			weekOf: '2026-11-30',
			text: mark('step'),
			addedBy: 'student'
		});
		await db.insert(evidence).values({
			id: newId(),
			schoolId: ctx.schoolId,
			studentId,
			text: mark('evidence'),
			addedBy: 'student',
			authorName: 'Kim'
		});
		const roundId = newId();
		await db.insert(reviewRound).values({
			id: roundId,
			schoolId: ctx.schoolId,
			teamId: ctx.teamId,
			title: `Ronde ${tag}`
		});
		const adviceId = newId();
		await db.insert(reviewAdvice).values({
			id: adviceId,
			roundId,
			studentId,
			teacherId: ctx.mentorId,
			subject: 'wiskunde',
			stoplight: 'red',
			advice: mark('advice')
		});
		await db.insert(reviewComment).values({ adviceId, authorName: 'Mo', body: mark('comment') });
		await db
			.insert(reviewDecision)
			.values({ roundId, studentId, status: 'question', question: mark('question') });
		await db.insert(reviewAction).values({
			id: newId(),
			roundId,
			studentId,
			outcome: mark('outcome'),
			dueDate: '2026-12-20'
		});
		const linkId = newId();
		marks.push(linkId);
		await db.insert(studentLink).values({
			id: linkId,
			schoolId: ctx.schoolId,
			studentId,
			secretHash: new Uint8Array([9]),
			expiresAt: new Date(Date.now() + 86_400_000)
		});
		const auditSubject = newId();
		marks.push(auditSubject);
		await db.insert(auditLog).values({
			schoolId: ctx.schoolId,
			actorKind: 'user',
			actorId: ctx.mentorId,
			action: 'student.view',
			subjectType: 'student',
			subjectId: auditSubject,
			studentId
		});
		return marks;
	}

	it('holds every item of the student and nothing of another student', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const admin = await makeUser(db, school.id, { role: 'admin', name: 'IB' });
		const mentor = await makeUser(db, school.id, { name: 'Mo' });
		const team = await makeTeam(db, school.id, [mentor.id]);
		const wall = await makeBoard(db, school.id, { kind: 'voortgangsbord', teamId: team.id });
		const setId = newId();
		await db.insert(criteriaSet).values({ id: setId, schoolId: school.id, name: 'Leerhouding' });
		const versionId = newId();
		await db.insert(criteriaSetVersion).values({
			id: versionId,
			setId,
			version: 1,
			content: { criteria: [] } as never
		});
		const ctx = {
			schoolId: school.id,
			mentorId: mentor.id,
			teamId: team.id,
			wallId: wall.id,
			versionId
		};
		const a = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		const b = await makeStudent(db, school.id, { teamId: team.id, mentorId: mentor.id });
		const mine = await seed(ctx, a.id, 'AAA');
		const theirs = await seed(ctx, b.id, 'BBB');

		const data = await exportStudent(rt.runtime, school.id, a.id, asUser(admin));
		expect(data).not.toBeNull();
		const text = JSON.stringify(data);
		for (const m of mine) expect(text, m).toContain(m);
		for (const t of [...theirs, b.id]) expect(text, t).not.toContain(t);
		// Kinds without a text of their own are counted.
		expect(data!.photoConsents).toHaveLength(1);
		expect(data!.photos).toHaveLength(1);
		expect(data!.photos[0]!.url).toBe(`/media/${data!.photos[0]!.id}`);
		expect(data!.review.decisions).toHaveLength(1);
		expect(data!.boards).toHaveLength(1);
		expect(data!.wallEntries).toHaveLength(1);
		// The export itself is audited, without content.
		const audits = await db.select().from(auditLog).where(eq(auditLog.action, 'student.export'));
		expect(audits).toHaveLength(1);
		expect(audits[0]!.studentId).toBe(a.id);

		// The printable page names the same items, escaped, and runs nothing.
		const html = renderExportHtml(data!, 'nl');
		for (const m of mine) expect(html, m).toContain(m);
		for (const t of theirs) expect(html, t).not.toContain(t);
		expect(html).not.toContain('<script');
	});

	it('another school cannot export the student', async () => {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const other = await makeSchool(db, 'Andere school');
		const otherAdmin = await makeUser(db, other.id, { role: 'admin' });
		const s = await makeStudent(db, school.id);
		expect(await exportStudent(rt.runtime, other.id, s.id, asUser(otherAdmin))).toBeNull();
	});
});
