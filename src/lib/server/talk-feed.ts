/**
 * What a student adds through their own link outside a talk (a self-evaluation on the growth
 * page, a piece of evidence) reaches their open three-way talks at once: the server writes it
 * into each open talk's document (editBoardDoc), so everyone with the talk open sees it live and
 * the student finds it there as their own card (`createdBy` is their actor key), to change, to
 * remove, or to show at home. No browser writes it into the talk.
 *
 * Privacy: the growth page and the evidence page are for the student and staff only, so what
 * comes from there lands kept for school (`visibility: 'care'`): it reaches a parent only when
 * the student chooses so in the talk. A view the student already gave in the talk keeps the
 * visibility they chose there.
 *
 * A talk is open while it has no record (ending it keeps one, then closes the board). A talk
 * whose criteria version is not of the set the student evaluated, or lacks that criterion or
 * level, gets no view: its three columns speak about its own criteria only.
 */
import { and, eq, isNull, notExists } from 'drizzle-orm';
import * as Y from 'yjs';
import { findLevel } from '$lib/board/criteria';
import {
	addEvidence as addEvidenceCard,
	criterionExists,
	setView,
	talkEndedAt,
	viewIdsOf
} from '$lib/board/driehoeksgesprek';
import { cardsMap, deleteCard, TITLE_MAX } from '$lib/board/verbeterbord';
import type { Actor } from './auth/actor';
import { actorId } from './auth/actor';
import { editBoardDoc, SERVER_ORIGIN } from './board-edit';
import type { Queryable } from './db';
import { board, boardRecord, criteriaSet, criteriaSetVersion, type Student } from './db/schema';

const TALK_RECORD = 'talk_record';

type StudentActor = Extract<Actor, { kind: 'student' }>;

/** The student's talks that have not ended, with their criteria version's set and content. */
async function openTalksOf(db: Queryable, s: Pick<Student, 'id' | 'schoolId'>) {
	return db
		.select({
			id: board.id,
			// Null unless the version's set is of this school.
			setId: criteriaSet.id,
			content: criteriaSetVersion.content
		})
		.from(board)
		.leftJoin(criteriaSetVersion, eq(criteriaSetVersion.id, board.criteriaVersionId))
		.leftJoin(
			criteriaSet,
			and(eq(criteriaSet.id, criteriaSetVersion.setId), eq(criteriaSet.schoolId, s.schoolId))
		)
		.where(
			and(
				eq(board.schoolId, s.schoolId),
				eq(board.studentId, s.id),
				eq(board.kind, 'driehoeksgesprek'),
				isNull(board.archivedAt),
				isNull(board.partOf),
				notExists(
					db
						.select({ id: boardRecord.id })
						.from(boardRecord)
						.where(and(eq(boardRecord.boardId, board.id), eq(boardRecord.kind, TALK_RECORD)))
				)
			)
		);
}

/**
 * Runs `fn` on each open talk's document. A failure is logged, never thrown: what the student
 * recorded is stored already, and they can still give it in the talk itself.
 */
async function eachOpenTalk(
	talks: { id: string }[],
	fn: (doc: Y.Doc, talk: { id: string }) => void
): Promise<string[]> {
	const reached: string[] = [];
	for (const talk of talks) {
		try {
			const { changed } = await editBoardDoc(talk.id, (doc) => {
				if (!talkEndedAt(doc)) fn(doc, talk);
			});
			if (changed) reached.push(talk.id);
		} catch (e) {
			console.error(`talk ${talk.id}: could not show the student's addition`, e);
		}
	}
	return reached;
}

/** The student's self-evaluation on one criterion, as their view in each open talk. */
export async function showSelfEvaluationInTalks(
	db: Queryable,
	actor: StudentActor,
	s: Pick<Student, 'id' | 'schoolId'>,
	input: { setId: string; criterionId: string; levelId: string; note: string }
): Promise<string[]> {
	const talks = (await openTalksOf(db, s)).filter(
		(t) =>
			t.setId === input.setId &&
			t.content !== null &&
			findLevel(t.content, input.criterionId, input.levelId) !== null
	);
	const author = { createdBy: actorId(actor), createdByName: actor.displayName };
	return eachOpenTalk(talks, (doc) => {
		const given = viewIdsOf(doc, author.createdBy, input.criterionId).length > 0;
		setView(
			doc,
			{
				criterion: input.criterionId,
				level: input.levelId,
				note: input.note,
				...(given ? {} : { visibility: 'care' as const })
			},
			'student',
			SERVER_ORIGIN,
			author
		);
	});
}

/** A piece of the student's evidence, as their evidence card in each open talk (once). */
export async function showEvidenceInTalks(
	db: Queryable,
	actor: StudentActor,
	s: Pick<Student, 'id' | 'schoolId'>,
	item: {
		evidenceId: string;
		mediaId: string | null;
		title: string;
		criterion?: { setId: string; criterionId: string };
	}
): Promise<string[]> {
	const author = { createdBy: actorId(actor), createdByName: actor.displayName };
	const talks = await openTalksOf(db, s);
	return eachOpenTalk(talks, (doc, { id }) => {
		if (evidenceCardIds(doc, item.evidenceId).length > 0) return;
		// On its criterion where the talk's criteria version holds it (of the same set).
		const talk = talks.find((t) => t.id === id);
		const onCriterion =
			item.criterion &&
			talk?.setId === item.criterion.setId &&
			criterionExists(talk.content, item.criterion.criterionId);
		addEvidenceCard(
			doc,
			{
				title: item.title.slice(0, TITLE_MAX),
				evidenceId: item.evidenceId,
				...(item.mediaId ? { mediaId: item.mediaId } : {}),
				...(onCriterion ? { criterion: item.criterion!.criterionId } : {}),
				visibility: 'care'
			},
			SERVER_ORIGIN,
			author
		);
	});
}

/** Removed evidence (and its photo) leaves the open talks too. */
export async function removeEvidenceFromTalks(
	db: Queryable,
	s: Pick<Student, 'id' | 'schoolId'>,
	evidenceId: string
): Promise<string[]> {
	return eachOpenTalk(await openTalksOf(db, s), (doc) => {
		for (const id of evidenceCardIds(doc, evidenceId)) deleteCard(doc, id, SERVER_ORIGIN);
	});
}

function evidenceCardIds(doc: Y.Doc, evidenceId: string): string[] {
	const ids: string[] = [];
	for (const [id, map] of cardsMap(doc)) {
		if (map instanceof Y.Map && map.get('type') === 'evidence') {
			if (map.get('evidenceId') === evidenceId) ids.push(id);
		}
	}
	return ids;
}
