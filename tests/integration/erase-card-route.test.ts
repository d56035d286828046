/**
 * `POST /boards/<id>/erase`, one entry erased from a board and its history: bad input is a 400
 * with a clear message, someone who cannot open the board gets a 404 (not whether the card
 * exists), a colleague who can but may not erase gets a 403, an admin erases it (audited).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCard, cardsMap } from '../../src/lib/board/verbeterbord';
import type { Actor } from '../../src/lib/server/auth/actor';
import { editBoardDoc } from '../../src/lib/server/board-edit';
import { loadBoardDoc } from '../../src/lib/server/board-store';
import { boardEraseScope } from '../../src/lib/server/privacy/erase';
import { auditLog, board } from '../../src/lib/server/db/schema';
import { POST } from '../../src/routes/boards/[boardId=id]/erase/+server';
import { drivers } from '../helpers/db';
import { asUser, makeBoard, makeSchool, makeStudent, makeUser } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEvent = any;

async function status(
	run: () => Response | Promise<Response>
): Promise<{ status: number; text: string }> {
	try {
		const res = await run();
		return { status: res.status, text: await res.text() };
	} catch (thrown) {
		const e = thrown as { status?: number; body?: { message?: string } };
		if (typeof e.status !== 'number') throw thrown;
		return { status: e.status, text: e.body?.message ?? '' };
	}
}

describe.each(drivers)('erasing one card through the route (%s)', (driver) => {
	let rt: TestRuntime;
	let admin: Actor, owner: Actor, outsider: Actor, otherAdmin: Actor, mentor: Actor;
	let boardId: string, talkId: string;

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		const db = rt.database.db;
		const s = await makeSchool(db);
		const other = await makeSchool(db, 'Andere school');
		const uOwner = await makeUser(db, s.id);
		admin = asUser(await makeUser(db, s.id, { role: 'admin' }));
		owner = asUser(uOwner);
		outsider = asUser(await makeUser(db, s.id));
		otherAdmin = asUser(await makeUser(db, other.id, { role: 'admin' }));
		const b = await makeBoard(db, s.id, { members: [[uOwner.id, 'owner']] });
		boardId = b.id;
		const uMentor = await makeUser(db, s.id);
		mentor = asUser(uMentor);
		const child = await makeStudent(db, s.id, { mentorId: uMentor.id });
		talkId = (await makeBoard(db, s.id, { kind: 'driehoeksgesprek', studentId: child.id })).id;
		await editBoardDoc(
			b.id,
			(doc) => addCard(doc, { type: 'ideas', title: 'Weg-via-route' }, null, { id: 'card1' }),
			{},
			rt.runtime
		);
	});
	afterAll(async () => {
		await rt.close();
	});

	const post = (actor: Actor, body: unknown, id = boardId) =>
		status(() =>
			POST({
				locals: { actor },
				params: { boardId: id },
				request: new Request('http://test/erase', {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: typeof body === 'string' ? body : JSON.stringify(body)
				})
			} as AnyEvent)
		);

	it('refuses bad input with a 400 that says what to send', async () => {
		for (const body of ['not json', { kind: 'card' }, { kind: 'nope', cardId: 'card1' }]) {
			const res = await post(admin, body);
			expect(res.status).toBe(400);
			expect(res.text).toContain('kind');
		}
	});

	it('a board of another school, or one the actor cannot open, is not found', async () => {
		expect((await post(otherAdmin, { kind: 'card', cardId: 'card1' })).status).toBe(404);
		expect((await post(outsider, { kind: 'card', cardId: 'card1' })).status).toBe(404);
		expect((await post(admin, { kind: 'card', cardId: 'nocard' })).status).toBe(404);
	});

	it('the board owner may not erase from history; an admin does, audited', async () => {
		expect((await post(owner, { kind: 'card', cardId: 'card1' })).status).toBe(403);
		const res = await post(admin, { kind: 'card', cardId: 'card1' });
		expect(res.status).toBe(200);
		const { doc } = await loadBoardDoc(rt.database.db, boardId);
		expect(cardsMap(doc).has('card1')).toBe(false);
		const audits = await rt.database.db
			.select()
			.from(auditLog)
			.where(eq(auditLog.action, 'card.erase'));
		expect(audits).toHaveLength(1);
	});

	it('the board page offers "Wis definitief" for exactly what the endpoint erases', async () => {
		const db = rt.database.db;
		const scope = async (actor: Actor, id: string) => {
			const [row] = await db.select().from(board).where(eq(board.id, id));
			return (await boardEraseScope(db, actor, row!)).scope;
		};
		expect(await scope(admin, boardId)).toBe('any');
		expect(await scope(owner, boardId)).toBe('none');
		expect(await scope(otherAdmin, boardId)).toBe('none');
		// The child's mentor: only the child's own words, on the child's own board.
		expect(await scope(mentor, talkId)).toBe('own-words');
		expect(await scope(mentor, boardId)).toBe('none');
		expect(await scope(owner, talkId)).toBe('none');
	});
});
