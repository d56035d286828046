/**
 * The access policy beyond one school: which boards guests may ever open, what a guest's
 * board page gets, and copying a board without widening who reads it. The HTTP side of the
 * same rules is in access-matrix.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { addCard, listCards } from '../../src/lib/board/verbeterbord';
import type { Actor } from '../../src/lib/server/auth/actor';
import {
	boardForViewer,
	boardRole,
	canManage,
	mayInviteGuests
} from '../../src/lib/server/auth/permissions';
import { validateSessionToken } from '../../src/lib/server/auth/session';
import {
	checkBoardInvite,
	createBoardInvite,
	joinWithInvite,
	UnshareableBoardError
} from '../../src/lib/server/access/sharing';
import { copyBoardAsTemplate } from '../../src/lib/server/board-copy';
import { appendUpdates, loadBoardDoc } from '../../src/lib/server/board-store';
import { board, boardMember } from '../../src/lib/server/db/schema';
import { drivers } from '../helpers/db';
import {
	asUser,
	fakeSession,
	makeBoard,
	makeSchool,
	makeTeam,
	makeUser,
	testPolicy
} from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

const link = { role: 'viewer', expiresHours: 24, singleUse: false, label: '' } as const;

describe.each(drivers)('access policy (%s)', (driver) => {
	let rt: TestRuntime;
	let schoolId: string;
	let teamId: string;
	let owner: Actor & { kind: 'user' };
	let editor: Actor & { kind: 'user' };
	let colleague: Actor & { kind: 'user' };

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		const db = rt.database.db;
		schoolId = (await makeSchool(db)).id;
		const e = await makeUser(db, schoolId, { name: 'Editor' });
		const o = await makeUser(db, schoolId, { name: 'Owner' });
		const c = await makeUser(db, schoolId, { name: 'Collega' });
		teamId = (await makeTeam(db, schoolId, [e.id])).id;
		owner = asUser(o);
		editor = asUser(e);
		colleague = asUser(c);
	});
	afterAll(async () => {
		await rt?.close();
	});

	it("team progress walls, reviews, class boards and a class's zorgbord never get a guest link", async () => {
		const db = rt.database.db;
		for (const kind of [
			'voortgangsbord',
			'leerlingbespreking',
			'klassenbord',
			'zorgbord'
		] as const) {
			const b = await makeBoard(db, schoolId, { teamId, kind });
			expect(mayInviteGuests('owner', b)).toBe(false);
			await expect(createBoardInvite(db, b.id, link, owner.user.id)).rejects.toBeInstanceOf(
				UnshareableBoardError
			);
		}
		for (const kind of ['verbeterbord', 'zorgoverleg', 'driehoeksgesprek'] as const) {
			expect(mayInviteGuests('owner', { kind })).toBe(true);
		}
	});

	it('a guest link made before its board became unshareable opens nothing', async () => {
		const db = rt.database.db;
		const b = await makeBoard(db, schoolId, { teamId });
		const inv = await createBoardInvite(db, b.id, link, owner.user.id);
		const joined = await joinWithInvite(db, inv.token, 'Ouder');
		if (!joined.ok) throw new Error('join');
		const before = await validateSessionToken(db, joined.session.token, testPolicy);
		expect(await boardRole(db, before, b.id)).toBe('viewer');
		// As on a database from before this rule: an existing link on a progress wall.
		await db.execute(sql`update board set kind = 'voortgangsbord' where id = ${b.id}`);
		const after = await validateSessionToken(db, joined.session.token, testPolicy);
		expect(await boardRole(db, after, b.id)).toBeNull();
		expect(await checkBoardInvite(db, inv.token)).toEqual({ ok: false, reason: 'invalid' });
	});

	it("a guest's board page gets no team id; staff do", async () => {
		const db = rt.database.db;
		const b = await makeBoard(db, schoolId, { teamId });
		const guest = {
			kind: 'guest',
			session: fakeSession,
			schoolId,
			boardId: b.id,
			role: 'child',
			displayName: 'Kim'
		} as Actor;
		expect(boardForViewer(b, guest)).toEqual({
			id: b.id,
			kind: b.kind,
			title: b.title,
			teamId: null
		});
		expect(boardForViewer(b, editor).teamId).toBe(teamId);
	});

	it('a copy keeps the sharing rules; an editor copies no concerns and cannot share the copy', async () => {
		const db = rt.database.db;
		const source = await makeBoard(db, schoolId, {
			teamId,
			kind: 'zorgbord',
			members: [
				[owner.user.id, 'owner'],
				[colleague.user.id, 'viewer']
			]
		});
		const doc = new Y.Doc();
		addCard(doc, { type: 'concerns', title: 'Kim slaapt slecht sinds de scheiding' });
		addCard(doc, { type: 'goals', title: 'Rustiger begin van de dag', targetDate: '2099-01-31' });
		await appendUpdates(db, source.id, [Y.encodeStateAsUpdate(doc)]);
		// The editor is on the team (so an editor of the zorgbord) but may not share it.
		expect(await boardRole(db, editor, source)).toBe('editor');

		const copy = await copyBoardAsTemplate(db, editor, source, {
			title: 'Kopie',
			withCards: true
		});
		const [copied] = await db.select().from(board).where(eq(board.id, copy.id));
		expect(await boardRole(db, editor, copied!)).toBe('editor');
		expect(canManage(await boardRole(db, editor, copied!))).toBe(false);
		expect(await boardRole(db, owner, copied!)).toBe('owner');
		expect(await boardRole(db, colleague, copied!)).toBe('viewer');
		const { doc: copiedDoc } = await loadBoardDoc(db, copy.id);
		expect(listCards(copiedDoc).map((c) => c.type)).toEqual(['goals']);

		// The owner may share the original, so concerns come along with them.
		const ownCopy = await copyBoardAsTemplate(db, owner, source, {
			title: 'Kopie 2',
			withCards: true
		});
		const { doc: ownDoc } = await loadBoardDoc(db, ownCopy.id);
		expect(listCards(ownDoc, 'concerns')).toHaveLength(1);
		const members = await db.select().from(boardMember).where(eq(boardMember.boardId, ownCopy.id));
		expect(Object.fromEntries(members.map((m) => [m.userId, m.role]))).toEqual({
			[owner.user.id]: 'owner',
			[colleague.user.id]: 'viewer'
		});
	});
});
