/**
 * Demo history for the progress wall: eight weeks of weekly updates for the demo students, so
 * the 8-week strips, "changed this week" and the signals have something to show. Fictional,
 * deterministic, idempotent (skips when the demo students already have history).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { DAY_MS, WEEK_MS } from '../board/dates';
import type { Stoplight } from '../board/voortgang';
import type { Database } from './db';
import { student, studentEvent, studentGoal, team } from './db/schema';

const DEMO_TEAM_ID = 'demoteam2222222a';
const DEMO_BOARD_ID = 'demoboardvoor22a';

const notes = [
	'',
	'Spreekbeurt goed voorbereid',
	'Twee toetsen ingehaald',
	'Vaak te laat in de ochtend',
	'Gesprek met ouders gepland',
	''
];

export async function seedDemoVoortgang(db: Database, now = new Date()) {
	const students = await db
		.select({ id: student.id, mentorId: student.mentorId })
		.from(student)
		.where(eq(student.teamId, DEMO_TEAM_ID))
		.orderBy(student.id);
	if (students.length === 0) return;
	const ids = students.map((s) => s.id);
	const [existing] = await db
		.select({ id: studentEvent.id })
		.from(studentEvent)
		.where(and(inArray(studentEvent.studentId, ids), eq(studentEvent.kind, 'update')))
		.limit(1);
	if (existing) return;

	const rows: Array<typeof studentEvent.$inferInsert> = [];
	students.forEach((s, i) => {
		// A few patterns: steady green, a slide to orange, red that recovers, gone quiet.
		const pattern = i % 5;
		for (let week = 7; week >= 0; week--) {
			if (pattern === 3 && week < 4) continue; // no updates for the last 4 weeks
			if (pattern === 4 && week % 2 === 1) continue; // every other week
			let light: Stoplight = 'green';
			if (pattern === 1 && week < 5) light = 'orange';
			if (pattern === 2) light = week > 3 ? 'red' : week > 1 ? 'orange' : 'green';
			if (pattern === 3) light = 'orange';
			const flags: string[] = [];
			if (i % 7 === 0 && week % 3 !== 1) flags.push('verzuim');
			if (i % 3 === 0 && week < 3) flags.push('leerlijn');
			if (i % 4 === 1) flags.push('welbevinden');
			rows.push({
				studentId: s.id,
				boardId: DEMO_BOARD_ID,
				kind: 'update',
				data: { stoplight: light, flags: flags.sort(), note: notes[(i + week) % notes.length]! },
				actorId: s.mentorId,
				actorName: s.mentorId === 'demouserd2222222' ? 'Daan de Vries' : 'Mehmet Yilmaz',
				createdAt: new Date(now.getTime() - week * WEEK_MS - (i % 3) * 3_600_000 - 3_600_000)
			});
		}
	});
	const due = new Date(now.getTime() - 10 * DAY_MS).toISOString().slice(0, 10);
	await db.transaction(async (tx) => {
		await tx.insert(studentEvent).values(rows);
		await tx
			.insert(studentGoal)
			.values({
				id: 'demogoal22222222',
				studentId: ids[0]!,
				text: 'Elke week mijn planner bijhouden',
				dueDate: due,
				writtenBy: 'student'
			})
			.onConflictDoNothing();
		const [t] = await tx.select().from(team).where(eq(team.id, DEMO_TEAM_ID));
		if (t && !t.settings.voortgang) {
			await tx
				.update(team)
				.set({
					settings: {
						...t.settings,
						// No flags of its own: the wall shows the defaults for a primary school.
						voortgang: {
							thresholds: { streakWeeks: 4, silentWeeks: 3, concernCount: 3, lookbackWeeks: 8 }
						}
					}
				})
				.where(eq(team.id, DEMO_TEAM_ID));
		}
	});
}
