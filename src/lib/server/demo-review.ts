/**
 * The demo team's past meetings about its students, so /reviews and the progress wall's monthly
 * discussion show what they are for: a leerlingbespreking held after the autumn tests (advice
 * per subject, the mentors' read-through, two big questions and what the plenary meeting agreed)
 * and last month's discussion at the progress wall (its agreed actions, one already done).
 * Fictional, dates relative to the day it is seeded, idempotent (keyed by fixed ids).
 */
import { eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { DAY_MS } from '../board/dates';
import { actionsMap, addAction, type Stoplight } from '../board/voortgang';
import { loadBoardDoc } from './board-store';
import type { Database } from './db';
import {
	boardUpdate,
	reviewAction,
	reviewAdvice,
	reviewComment,
	reviewDecision,
	reviewRound,
	studentEvent
} from './db/schema';

export const DEMO_REVIEW_ROUND_ID = 'demoreviewround2';

interface DemoReviewInput {
	schoolId: string;
	teamId: string;
	wallBoardId: string;
	/** The team's students, in the demo's order. */
	students: Array<{ id: string; name: string }>;
	admin: { id: string; name: string };
	mentor: { id: string; name: string };
	teacher: { id: string; name: string };
}

const day = (d: Date) => d.toISOString().slice(0, 10);
// Ids in the app's alphabet (no 0, 1, l, o confusion), so the id matchers accept them.
const LETTERS = 'abcdefghijkmnpqrstuvwxyz';

export async function seedDemoReview(db: Database, input: DemoReviewInput, now = new Date()) {
	await seedReviewRound(db, input, now);
	await seedMonthlyDiscussion(db, input, now);
}

/** Advice per student from two teachers; the mentor's read-through; the plenary's outcomes. */
async function seedReviewRound(db: Database, input: DemoReviewInput, now: Date) {
	const [existing] = await db
		.select({ id: reviewRound.id })
		.from(reviewRound)
		.where(eq(reviewRound.id, DEMO_REVIEW_ROUND_ID));
	if (existing) return;
	const held = new Date(now.getTime() - 5 * 7 * DAY_MS);
	const at = (days: number) => new Date(held.getTime() + days * DAY_MS);
	const students = input.students.slice(0, 8);
	const advice: Array<[Stoplight, string, Stoplight, string]> = [
		[
			'green',
			'Blijf je sommen hardop uitleggen aan je maatje.',
			'green',
			'Lees elke dag een kwartier.'
		],
		[
			'orange',
			'Oefen de tafels van 6 tot 9 met de app.',
			'green',
			'Kies een boek op je eigen niveau.'
		],
		[
			'red',
			'Werk elke dag tien minuten aan breuken met juf.',
			'orange',
			'Schrijf eerst een kladversie.'
		],
		['green', 'Probeer de plusopdrachten.', 'green', 'Help een klasgenoot met begrijpend lezen.'],
		[
			'orange',
			'Vraag hulp als je vastloopt, niet pas aan het eind.',
			'orange',
			'Lees de vraag twee keer.'
		],
		['green', 'Laat je tussenstappen zien.', 'red', 'Oefen spelling met de woordkaartjes.'],
		['green', 'Je mag de verrijkingsmap pakken.', 'green', 'Houd je leesdagboek bij.'],
		['orange', 'Schrijf eerst op wat je al weet.', 'green', 'Lees thuis voor aan je broertje.']
	];
	const questions: Record<number, string> = {
		2: 'Heeft hij extra ondersteuning nodig voor rekenen, of eerst een gesprek met ouders?',
		5: 'Past een onderzoek naar dyslexie, of eerst een periode extra oefenen?'
	};
	const outcomes: Record<number, string> = {
		2: 'IB’er plant een gesprek met ouders en start een rekengroepje van zes weken.',
		5: 'Zes weken intensief spellen met de RT’er; daarna besluiten over onderzoek.'
	};

	await db.transaction(async (tx) => {
		await tx.insert(reviewRound).values({
			id: DEMO_REVIEW_ROUND_ID,
			schoolId: input.schoolId,
			teamId: input.teamId,
			title: 'Na de herfsttoetsen',
			createdById: input.admin.id,
			createdAt: held,
			closedAt: at(9)
		});
		for (const [i, s] of students.entries()) {
			const [mathLight, mathAdvice, langLight, langAdvice] = advice[i % advice.length]!;
			const given = [
				{ teacher: input.teacher, subject: 'Rekenen', stoplight: mathLight, text: mathAdvice },
				{ teacher: input.mentor, subject: 'Taal en lezen', stoplight: langLight, text: langAdvice }
			];
			for (const [j, g] of given.entries()) {
				const id = `demoadvice${LETTERS[i * 2 + j]}22222`;
				await tx.insert(reviewAdvice).values({
					id,
					roundId: DEMO_REVIEW_ROUND_ID,
					studentId: s.id,
					teacherId: g.teacher.id,
					subject: g.subject,
					stoplight: g.stoplight,
					advice: g.text,
					createdAt: at(1),
					updatedAt: at(1)
				});
				await tx.insert(studentEvent).values({
					studentId: s.id,
					kind: 'review_advice',
					data: {
						roundId: DEMO_REVIEW_ROUND_ID,
						subject: g.subject,
						stoplight: g.stoplight,
						advice: g.text
					},
					actorId: g.teacher.id,
					actorName: g.teacher.name,
					createdAt: at(1)
				});
				// The mentor asked once what a red light meant, and the teacher answered.
				if (g.stoplight === 'red' && g.teacher.id === input.teacher.id) {
					await tx.insert(reviewComment).values([
						{
							adviceId: id,
							authorId: input.mentor.id,
							authorName: input.mentor.name,
							body: 'Gaat het om alle breuken, of vooral om vergelijken?',
							createdAt: at(2)
						},
						{
							adviceId: id,
							authorId: input.teacher.id,
							authorName: input.teacher.name,
							body: 'Vooral vergelijken en vereenvoudigen; optellen lukt.',
							createdAt: at(3)
						}
					]);
				}
			}
			const question = questions[i];
			await tx.insert(reviewDecision).values({
				roundId: DEMO_REVIEW_ROUND_ID,
				studentId: s.id,
				status: question ? 'question' : 'clear',
				question: question ?? '',
				decidedById: input.mentor.id,
				decidedAt: at(4)
			});
			const outcome = outcomes[i];
			if (outcome) {
				await tx.insert(reviewAction).values({
					id: `demoreviewact${LETTERS[i]}2`,
					roundId: DEMO_REVIEW_ROUND_ID,
					studentId: s.id,
					outcome,
					ownerId: input.admin.id,
					dueDate: day(at(9 + 6 * 7)),
					createdById: input.admin.id,
					createdAt: at(8)
				});
			}
		}
	});
}

/** What the team agreed at the progress wall a month ago; one action is already done. */
async function seedMonthlyDiscussion(db: Database, input: DemoReviewInput, now: Date) {
	const { doc } = await loadBoardDoc(db, input.wallBoardId);
	try {
		if (actionsMap(doc).size > 0) return;
		const before = Y.encodeStateVector(doc);
		const held = new Date(now.getTime() - 4 * 7 * DAY_MS);
		const when = (days: number) => day(new Date(held.getTime() + days * DAY_MS));
		const agreed = [
			{
				i: 1,
				who: input.mentor.name,
				what: 'Ouders bellen over het slapen',
				when: when(3),
				done: true
			},
			{ i: 3, who: input.admin.name, what: 'Meekijken in de klas op dinsdag', when: when(14) },
			{ i: 4, who: input.mentor.name, what: 'Weekplanner samen invullen', when: when(35) }
		];
		for (const [n, a] of agreed.entries()) {
			const s = input.students[a.i];
			if (!s) continue;
			addAction(
				doc,
				{
					id: `demomonth${LETTERS[n]}`,
					studentId: s.id,
					who: a.who,
					what: a.what,
					when: a.when,
					done: a.done ?? false
				},
				'seed'
			);
		}
		await db.insert(boardUpdate).values({
			boardId: input.wallBoardId,
			data: Y.encodeStateAsUpdate(doc, before)
		});
	} finally {
		doc.destroy();
	}
}
