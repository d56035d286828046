/**
 * The share page of a care meeting for siblings asks which child a child link is for, through
 * the real route module: the form lists the meeting's children, a link made for the second
 * child is hers and is listed with her name, and a child who is not on this meeting (another
 * family's, another school's) is a 400 that makes nothing. The form sends its choice with every
 * role: a parent link with a child still chosen is simply a parent link.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/actor';
import { boardInvite, student as studentTable } from '../../src/lib/server/db/schema';
import { addSibling } from '../../src/lib/server/zorgoverleg';
import {
	actions as shareActions,
	load as shareLoad
} from '../../src/routes/boards/[boardId=id]/share/+page.server';
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

describe.each(drivers)('the share page asks which child a child link is for (%s)', (driver) => {
	let rt: TestRuntime;

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
	});
	afterAll(async () => {
		await rt?.close();
	});

	/** Noor (first child) and Sem on one care meeting; Lisa of another family; Ada of school B. */
	async function world() {
		const db = rt.database.db;
		const school = await makeSchool(db);
		const mentor = await makeUser(db, school.id);
		const team = await makeTeam(db, school.id, [mentor.id]);
		const named = async (firstName: string, schoolId = school.id, teamId = team.id) => {
			const s = await makeStudent(db, schoolId, {
				teamId,
				...(schoolId === school.id ? { mentorId: mentor.id } : {})
			});
			await db
				.update(studentTable)
				.set({ firstName, lastName: 'Jansen' })
				.where(eq(studentTable.id, s.id));
			return s;
		};
		const noor = await named('Noor');
		const sem = await named('Sem');
		const lisa = await named('Lisa');
		const other = await makeSchool(db);
		const ada = await named('Ada', other.id, (await makeTeam(db, other.id, [])).id);
		const meeting = await makeBoard(db, school.id, {
			kind: 'zorgoverleg',
			studentId: noor.id,
			members: [[mentor.id, 'owner']]
		});
		expect(await addSibling(db, asUser(mentor), meeting, { studentId: sem.id })).toMatchObject({
			ok: true
		});
		return { db, mentor, noor, sem, lisa, ada, meeting };
	}

	async function createByForm(actor: Actor, boardId: string, fields: Record<string, string>) {
		const body = new FormData();
		body.set('expiresHours', '24');
		for (const [k, v] of Object.entries(fields)) body.set(k, v);
		const request = new Request(`http://school.test/boards/${boardId}/share?/createInvite`, {
			method: 'POST',
			body
		});
		return shareActions.createInvite!({
			locals: { actor },
			params: { boardId },
			request,
			url: new URL(request.url)
		} as AnyEvent) as Promise<Record<string, unknown>>;
	}

	const loadPage = async (actor: Actor, boardId: string) =>
		(await shareLoad({ locals: { actor }, params: { boardId } } as AnyEvent)) as {
			children: Array<{ id: string; name: string }>;
			invites: Array<{ role: string; childName: string | null }>;
		};

	const childLinks = (w: Awaited<ReturnType<typeof world>>) =>
		w.db
			.select({ studentId: boardInvite.studentId })
			.from(boardInvite)
			.where(and(eq(boardInvite.boardId, w.meeting.id), eq(boardInvite.role, 'child')));

	it('lists the meeting’s children; a link made for the second child is hers and names her', async () => {
		const w = await world();
		const actor = asUser(w.mentor);
		expect((await loadPage(actor, w.meeting.id)).children).toEqual([
			{ id: w.noor.id, name: 'Noor Jansen' },
			{ id: w.sem.id, name: 'Sem Jansen' }
		]);
		expect(
			await createByForm(actor, w.meeting.id, { role: 'child', studentId: w.noor.id })
		).toHaveProperty('created');
		expect(
			await createByForm(actor, w.meeting.id, { role: 'child', studentId: w.sem.id })
		).toHaveProperty('created');
		expect(
			(await childLinks(w)).map((r) => r.studentId).sort((a, b) => (a ?? '').localeCompare(b ?? ''))
		).toEqual([w.noor.id, w.sem.id].sort());
		const names = (await loadPage(actor, w.meeting.id)).invites.map((i) => i.childName).sort();
		expect(names).toEqual(['Noor Jansen', 'Sem Jansen']);
	});

	it('on a meeting for siblings a child link without a chosen child is a 400 on the child field, and nothing is made', async () => {
		const w = await world();
		for (const studentId of [undefined, '']) {
			const result = await createByForm(asUser(w.mentor), w.meeting.id, {
				role: 'child',
				...(studentId === undefined ? {} : { studentId })
			});
			expect(result).toMatchObject({
				status: 400,
				data: { errors: { studentId: 'choose_child' } }
			});
		}
		expect(await childLinks(w)).toEqual([]);
		// A parent link needs no child.
		expect(await createByForm(asUser(w.mentor), w.meeting.id, { role: 'parent' })).toHaveProperty(
			'created'
		);
	});

	it('a child of another family or another school is a 400 on the child field, and nothing is made', async () => {
		const w = await world();
		for (const stranger of [w.lisa, w.ada]) {
			for (const role of ['child', 'parent']) {
				const result = await createByForm(asUser(w.mentor), w.meeting.id, {
					role,
					studentId: stranger.id
				});
				expect(result).toMatchObject({
					status: 400,
					data: { errors: { studentId: 'not_a_child' } }
				});
			}
		}
		expect(
			await w.db.select().from(boardInvite).where(eq(boardInvite.boardId, w.meeting.id))
		).toEqual([]);
	});

	it('a parent link made with a child still chosen on the form is a parent link, bound to no child', async () => {
		const w = await world();
		const result = await createByForm(asUser(w.mentor), w.meeting.id, {
			role: 'parent',
			studentId: w.sem.id
		});
		expect(result).toHaveProperty('created');
		const [row] = await w.db
			.select({ role: boardInvite.role, studentId: boardInvite.studentId })
			.from(boardInvite)
			.where(eq(boardInvite.boardId, w.meeting.id));
		expect(row).toEqual({ role: 'parent', studentId: null });
		expect((await loadPage(asUser(w.mentor), w.meeting.id)).invites).toMatchObject([
			{ role: 'parent', childName: null }
		]);
	});
});
