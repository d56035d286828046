/**
 * Eight weeks of the demo team's past, so every history page shows what it is for: weekly
 * bordsessies on the verbeterbord and the zorgbord (check-ins, successes, last week's actions
 * reviewed, new actions and goals) and a student review (leerlingbespreking) with a question
 * for the plenary meeting.
 *
 * The past is replayed, not written: each session runs on the board's document through the same
 * operations a wall uses (startSession, setCheckIn, reviewAction, addCard) and ends through the
 * same code the server runs when a session ends (buildSessionRecord, endSession,
 * storeSessionRecord), so a record says exactly what the code would have derived. Deterministic
 * (a seeded generator, dates relative to now) and idempotent (a board with records is left alone).
 */
import { and, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { DAY_MS } from '../board/dates';
import type { BoardKind } from '../board/kinds';
import {
	addCard,
	buildSessionRecord,
	deleteCard,
	endSession,
	getSession,
	lastLeader,
	listCards,
	personKey,
	proposeLeader,
	reviewAction,
	setCheckIn,
	startSession,
	today,
	type CardInput,
	type ReviewOutcome
} from '../board/verbeterbord';
import { SESSION_RECORD, storeSessionRecord } from '../board/verbeterbord-records.server';
import { loadBoardDoc } from './board-store';
import type { Database, Queryable } from './db';
import { boardRecord, boardUpdate, type Board } from './db/schema';

export const DEMO_HISTORY_WEEKS = 8;

/** A small seeded generator (mulberry32): the same demo every time it is seeded. */
export function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Monday `weeksAgo` weeks before `now`'s week, at a quarter past eight (before school). */
export function sessionStart(now: Date, weeksAgo: number): Date {
	const at = new Date(now);
	at.setHours(8, 15, 0, 0);
	at.setDate(at.getDate() - ((at.getDay() + 6) % 7) - 7 * weeksAgo);
	return at;
}

export interface DemoPerson {
	id: string;
	name: string;
}

/** What a team wrote on its board, week by week (oldest first); one entry per week at most. */
interface Script {
	successes: string[];
	actions: string[];
	goals: Array<{ week: number; title: string; weeksToRun: number }>;
	concerns: Array<{ week: number; title: string }>;
	ideas: Array<{ week: number; title: string }>;
	tops: string[];
}

const scripts: Partial<Record<BoardKind, Script>> = {
	verbeterbord: {
		successes: [
			'Leesmaatjes groep 7 en groep 3 zijn gestart',
			'Alle oudergesprekken binnen twee weken gepland',
			'Instructietafel werkt: minder wachten op hulp',
			'Gezamenlijke rekenles groep 7/8 liep goed',
			'Spellenkist op het plein: minder ruzie in de pauze',
			'Groep 8 leidt zelf het kringgesprek',
			'Weekplanning op het bord: kinderen weten wat komt',
			'Gastles van de bibliotheek was een succes',
			'Toetsen binnen een week nagekeken en besproken',
			'Ouderavond goed bezocht',
			'Iedereen leverde de schrijfopdracht in',
			'Kijkje in elkaars klas: drie bezoeken gedaan'
		],
		actions: [
			'Rooster leesmaatjes maken',
			'Spellenkist voor het plein aanvullen',
			'Instructietafel bespreken in het bouwoverleg',
			'Mail aan ouders over de weektaak',
			'Nieuwe leesboeken bestellen',
			'Bij elkaar kijken tijdens de instructie',
			'Toetsanalyse rekenen delen met het team',
			'Planbord maken voor groep 7',
			'Afspraken pauze op papier zetten',
			'Bibliotheekbezoek groep 8 plannen',
			'Kringgesprek-kaartjes maken',
			'Terugblik ouderavond op de agenda'
		],
		goals: [
			{ week: 0, title: 'Begrijpend lezen: elke week één gezamenlijke les', weeksToRun: 10 },
			{ week: 4, title: 'Minder onderbrekingen tijdens de instructie', weeksToRun: 8 }
		],
		concerns: [],
		ideas: [
			{ week: 2, title: 'Tutorlezen met groep 8 voor groep 4' },
			{ week: 6, title: 'Ouders uitnodigen voor een kijkochtend' }
		],
		tops: [
			'Iedereen was op tijd',
			'Korte check-in, veel gedaan',
			'Binnen vijftien minuten klaar',
			'Goede vragen aan elkaar',
			'Veel successen gedeeld',
			'Acties waren echt af',
			'Helder wie wat doet',
			'Samen gelachen'
		]
	},
	zorgbord: {
		successes: [
			'Vaste plek bij de instructie helpt drie kinderen',
			'Leesachterstand groep 7: tempo gaat omhoog',
			'Minder kinderen te laat sinds de inloop',
			'Time-out-kaart wordt goed gebruikt',
			'Rekengroepje haalt de toets',
			'Kinderen vragen vaker zelf om hulp',
			'Sociogram besproken, maatjes gekoppeld',
			'Ouders denken mee over huiswerkafspraken'
		],
		actions: [
			'Observatie na de pauze in groep 8',
			'Gesprek met de IB’er over de leesgroep',
			'Inloop om half negen afspreken met ouders',
			'Time-out-kaart uitleggen aan de hele groep',
			'Rekengroepje twee keer per week',
			'Sociogram afnemen in groep 7',
			'Huiswerkafspraken op papier voor ouders',
			'Evaluatie zorgplan groep 7/8'
		],
		goals: [
			{ week: 1, title: 'Onrust na de pauze verminderen', weeksToRun: 9 },
			{ week: 5, title: 'Iedereen durft hulp te vragen', weeksToRun: 8 }
		],
		concerns: [
			{ week: 0, title: 'Onrust na de pauze in groep 8' },
			{ week: 2, title: 'Een paar kinderen vaak moe op maandag' },
			{ week: 5, title: 'Leesmotivatie in groep 7 zakt' }
		],
		ideas: [],
		tops: [
			'Veel gedeeld in weinig tijd',
			'Goed doorgevraagd bij elkaar',
			'IB’er sloot aan',
			'Duidelijke acties',
			'Sfeer was open',
			'Op tijd klaar',
			'Iedereen kwam aan het woord',
			'Goede voorbereiding'
		]
	}
};

/** Mostly a neutral or happy week, now and then a heavy one, never the same for everyone. */
function mood(random: () => number): number {
	const r = random();
	return r < 0.15 ? 1 : r < 0.55 ? 2 : 3;
}

/** What last week's open actions came to: mostly done, some carried on, rarely dropped. */
function outcome(random: () => number): ReviewOutcome {
	const r = random();
	return r < 0.7 ? 'done' : r < 0.92 ? 'carried' : 'dropped';
}

const hash = (text: string) =>
	[...text].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261);

/**
 * Replay `weeks` weekly sessions on a team board, oldest first, and keep their records.
 * Only a board without any session record is seeded.
 */
export async function seedDemoBoardHistory(
	db: Database,
	target: Pick<Board, 'id' | 'teamId' | 'kind'>,
	people: DemoPerson[],
	now = new Date(),
	weeks = DEMO_HISTORY_WEEKS,
	seed: string = target.id
): Promise<{ sessions: number }> {
	const script = scripts[target.kind];
	if (!script || (await hasSessionRecords(db, target.id))) return { sessions: 0 };
	const random = seeded(hash(seed));
	const { doc } = await loadBoardDoc(db, target.id);
	const before = Y.encodeStateVector(doc);
	const origin = 'demo';
	const names = people.map((p) => p.name);
	const kept: Array<{
		record: ReturnType<typeof buildSessionRecord>;
		successes: Array<{ cardId: string; title: string; who: string }>;
		by: string;
		at: Date;
	}> = [];
	const goalIds: string[] = [];

	for (let week = 0; week < weeks; week++) {
		const startedAt = sessionStart(now, weeks - week);
		const on = today(startedAt);
		const at = (minutes: number) => new Date(startedAt.getTime() + minutes * 60_000);
		const leaderName = proposeLeader(names, lastLeader(doc));
		const leader = people.find((p) => p.name === leaderName) ?? people[0]!;
		const by = (p: DemoPerson, minutes: number) => ({
			createdBy: p.id,
			createdByName: p.name,
			on,
			at: at(minutes)
		});
		const add = (input: CardInput, p: DemoPerson, minutes: number) => {
			const added = addCard(doc, input, origin, by(p, minutes));
			if (!added.ok) throw new Error(`demo history: ${JSON.stringify(added.errors)}`);
			return added.value;
		};

		startSession(doc, leader.name, origin, startedAt);
		for (const p of people) {
			setCheckIn(doc, personKey(p.name), { name: p.name, value: mood(random) }, origin);
		}
		// The successes of the week, said by whoever had one.
		for (const [i, title] of script.successes.entries()) {
			if (i % weeks !== week) continue;
			const p = people[Math.floor(random() * people.length)]!;
			add({ type: 'successes', title, who: p.name }, p, 2);
		}
		for (const id of getSession(doc).reviewIds) reviewAction(doc, id, outcome(random), origin);
		for (const g of script.goals.filter((g) => g.week === week)) {
			const targetDate = today(new Date(startedAt.getTime() + g.weeksToRun * 7 * DAY_MS));
			goalIds.push(add({ type: 'goals', title: g.title, targetDate }, leader, 6));
		}
		for (const c of script.concerns.filter((c) => c.week === week)) {
			add({ type: 'concerns', title: c.title }, leader, 5);
		}
		for (const idea of script.ideas.filter((i) => i.week === week)) {
			add({ type: 'ideas', title: idea.title }, people[(week + 1) % people.length]!, 9);
		}
		// This week's new actions: someone takes each on, due next week or the one after.
		for (const [i, title] of script.actions.entries()) {
			if (i % weeks !== week) continue;
			const owner = people[(week + i) % people.length]!;
			const due = today(new Date(startedAt.getTime() + (4 + Math.floor(random() * 8)) * DAY_MS));
			const goalId = goalIds.length && random() < 0.5 ? goalIds[goalIds.length - 1]! : '';
			add({ type: 'actions', title, who: owner.name, due, goalId }, leader, 11);
		}

		const endedAt = at(15);
		const record = buildSessionRecord(
			doc,
			{ top: script.tops[week % script.tops.length] },
			endedAt
		);
		const successes = listCards(doc, 'successes').map((card) => ({
			cardId: card.id,
			title: card.title,
			who: card.type === 'successes' ? card.who : ''
		}));
		endSession(doc, origin);
		kept.push({ record, successes, by: leader.id, at: endedAt });
		// The team clears the week's successes once they are archived, and the actions it has
		// done (the session's record keeps them as reviewed), but for the last week's: the board
		// shows what the last session did, not a pile of eight weeks of done actions.
		if (week < weeks - 1) {
			for (const s of successes) deleteCard(doc, s.cardId, origin);
			for (const a of listCards(doc, 'actions')) {
				if (a.type === 'actions' && a.status === 'done') deleteCard(doc, a.id, origin);
			}
		}
	}

	const update = Y.encodeStateAsUpdate(doc, before);
	doc.destroy();
	await db.transaction(async (tx) => {
		if (await hasSessionRecords(tx, target.id)) return;
		await tx.insert(boardUpdate).values({ boardId: target.id, data: update });
		for (const k of kept) {
			await storeSessionRecord(tx, target, k.record, k.successes, k.by, k.at);
		}
	});
	return { sessions: kept.length };
}

async function hasSessionRecords(db: Queryable, boardId: string) {
	const [row] = await db
		.select({ id: boardRecord.id })
		.from(boardRecord)
		.where(and(eq(boardRecord.boardId, boardId), eq(boardRecord.kind, SESSION_RECORD)))
		.limit(1);
	return row !== undefined;
}
