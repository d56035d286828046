/**
 * The complete export of one student (AVG art. 15 and 20): everything Groeibord holds about
 * them, as JSON and as a readable page to print.
 *
 * Boards are read as they are *now* (the live room's document when open, else the stored one),
 * not only the rows derived from them: the cards of the student's own conversation boards, and
 * their entry and agreed actions on every progress wall. Photos are listed with their metadata
 * and a link to the authorised media route (`/media/<id>`), not inlined: an export stays small
 * enough to mail, and the admin who downloads it can open each photo. Every query is scoped to
 * the school; the export itself is audited (`student.export`).
 */
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { rootMapsOf } from '../../board/update-rules';
import { actionsMap, studentsMap } from '../../board/voortgang';
import { formatDate } from '../../board/format-date';
import { m } from '../../paraglide/messages';
import type { Locale } from '../../paraglide/runtime';
import type { Actor } from '../auth/actor';
import { currentBoardDoc } from '../board-edit';
import { boardChildIds, boardsAbout } from '../auth/permissions';
import { eraseChildFromMeeting } from '../../board/erasure';
import { participantsMap } from '../../board/participants';
import { meetingRecordData, recordForChild, STUDENT_KEY_PREFIX } from '../../board/zorgoverleg';
import { MEETING_RECORD } from '../zorgoverleg';
import {
	assessment,
	auditLog,
	board,
	boardRecord,
	boardStudent,
	evidence,
	goalStep,
	media,
	photoConsent,
	reviewAction,
	reviewAdvice,
	reviewComment,
	reviewDecision,
	reviewRound,
	school,
	student,
	studentEvent,
	studentGoal,
	studentLink
} from '../db/schema';
import type { Runtime } from '../runtime';
import { recordAudit } from './audit';

type Json = Record<string, unknown>;

function docJson(doc: Y.Doc, roots: readonly string[]): Json {
	const out: Json = {};
	for (const root of roots) out[root] = doc.getMap(root).toJSON();
	return out;
}

async function gather(runtime: Runtime, schoolId: string, studentId: string) {
	const db = runtime.database.db;
	const [row] = await db
		.select()
		.from(student)
		.where(and(eq(student.id, studentId), eq(student.schoolId, schoolId)))
		.limit(1);
	if (!row) return null;
	const [schoolRow] = await db
		.select({ id: school.id, name: school.name })
		.from(school)
		.where(eq(school.id, schoolId));
	const boards = await db
		.select({
			id: board.id,
			kind: board.kind,
			title: board.title,
			createdAt: board.createdAt,
			archivedAt: board.archivedAt,
			schoolId: board.schoolId,
			studentId: board.studentId
		})
		.from(board)
		// A family part holds a copy of its board's visible entries: not a board of its own. A
		// care meeting shared with siblings is the student's too (only their part of it, below).
		.where(and(eq(board.schoolId, schoolId), boardsAbout(db, studentId), isNull(board.partOf)))
		.orderBy(asc(board.createdAt));
	const boardIds = boards.map((b) => b.id);
	/** Per care meeting shared with siblings: its children, first child first. */
	const siblingsOn = new Map<string, string[]>();
	for (const b of boards) {
		const children = await boardChildIds(db, b);
		if (children.length > 1) siblingsOn.set(b.id, children);
	}
	// Meetings held before the student was put on a sibling's board are not theirs.
	const joined = new Map(
		(
			await db
				.select({ boardId: boardStudent.boardId, at: boardStudent.createdAt })
				.from(boardStudent)
				.where(and(eq(boardStudent.studentId, studentId), eq(boardStudent.schoolId, schoolId)))
		).map((r) => [r.boardId, r.at])
	);
	const walls = (
		await db
			.select({ id: board.id, kind: board.kind, title: board.title })
			.from(board)
			.where(and(eq(board.schoolId, schoolId), isNull(board.partOf)))
	).filter((b) => rootMapsOf(b.kind).includes('students'));

	const [
		consents,
		photos,
		events,
		assessments,
		goals,
		steps,
		evidenceRows,
		advice,
		decisions,
		actions,
		links,
		audit
	] = await Promise.all([
		db
			.select()
			.from(photoConsent)
			.where(eq(photoConsent.studentId, row.id))
			.orderBy(asc(photoConsent.recordedAt)),
		db
			.select({
				id: media.id,
				purpose: media.purpose,
				mime: media.mime,
				width: media.width,
				height: media.height,
				boardId: media.boardId,
				createdAt: media.createdAt
			})
			.from(media)
			.where(
				and(
					eq(media.schoolId, schoolId),
					boardIds.length > 0
						? or(eq(media.studentId, row.id), inArray(media.boardId, boardIds))
						: eq(media.studentId, row.id)
				)
			),
		db
			.select()
			.from(studentEvent)
			.where(eq(studentEvent.studentId, row.id))
			.orderBy(asc(studentEvent.createdAt)),
		db
			.select()
			.from(assessment)
			.where(and(eq(assessment.studentId, row.id), eq(assessment.schoolId, schoolId)))
			.orderBy(asc(assessment.assessedOn)),
		db
			.select()
			.from(studentGoal)
			.where(eq(studentGoal.studentId, row.id))
			.orderBy(asc(studentGoal.createdAt)),
		db
			.select()
			.from(goalStep)
			.where(and(eq(goalStep.studentId, row.id), eq(goalStep.schoolId, schoolId)))
			.orderBy(asc(goalStep.weekOf)),
		db
			.select()
			.from(evidence)
			.where(and(eq(evidence.studentId, row.id), eq(evidence.schoolId, schoolId)))
			.orderBy(asc(evidence.createdAt)),
		db
			.select({
				id: reviewAdvice.id,
				round: reviewRound.title,
				subject: reviewAdvice.subject,
				stoplight: reviewAdvice.stoplight,
				advice: reviewAdvice.advice,
				teacherId: reviewAdvice.teacherId,
				createdAt: reviewAdvice.createdAt,
				updatedAt: reviewAdvice.updatedAt
			})
			.from(reviewAdvice)
			.innerJoin(reviewRound, eq(reviewRound.id, reviewAdvice.roundId))
			.where(and(eq(reviewAdvice.studentId, row.id), eq(reviewRound.schoolId, schoolId))),
		db
			.select({
				round: reviewRound.title,
				status: reviewDecision.status,
				question: reviewDecision.question,
				decidedAt: reviewDecision.decidedAt
			})
			.from(reviewDecision)
			.innerJoin(reviewRound, eq(reviewRound.id, reviewDecision.roundId))
			.where(and(eq(reviewDecision.studentId, row.id), eq(reviewRound.schoolId, schoolId))),
		db
			.select({
				round: reviewRound.title,
				outcome: reviewAction.outcome,
				dueDate: reviewAction.dueDate,
				createdAt: reviewAction.createdAt
			})
			.from(reviewAction)
			.innerJoin(reviewRound, eq(reviewRound.id, reviewAction.roundId))
			.where(and(eq(reviewAction.studentId, row.id), eq(reviewRound.schoolId, schoolId))),
		db
			// The link's secret is never exported, only that it exists and when it was used.
			.select({
				id: studentLink.id,
				createdAt: studentLink.createdAt,
				expiresAt: studentLink.expiresAt,
				lastUsedAt: studentLink.lastUsedAt,
				revokedAt: studentLink.revokedAt
			})
			.from(studentLink)
			.where(and(eq(studentLink.studentId, row.id), eq(studentLink.schoolId, schoolId))),
		db
			.select({
				id: auditLog.id,
				action: auditLog.action,
				actorKind: auditLog.actorKind,
				actorId: auditLog.actorId,
				subjectType: auditLog.subjectType,
				subjectId: auditLog.subjectId,
				meta: auditLog.meta,
				createdAt: auditLog.createdAt
			})
			.from(auditLog)
			.where(and(eq(auditLog.schoolId, schoolId), eq(auditLog.studentId, row.id)))
			.orderBy(asc(auditLog.createdAt))
	]);
	const comments =
		advice.length === 0
			? []
			: await db
					.select({
						adviceId: reviewComment.adviceId,
						authorName: reviewComment.authorName,
						body: reviewComment.body,
						createdAt: reviewComment.createdAt
					})
					.from(reviewComment)
					.where(
						inArray(
							reviewComment.adviceId,
							advice.map((a) => a.id)
						)
					)
					.orderBy(asc(reviewComment.createdAt));
	// Records on the student's own boards, and records elsewhere in the school naming their id.
	const records = await db
		.select({
			id: boardRecord.id,
			boardId: boardRecord.boardId,
			kind: boardRecord.kind,
			data: boardRecord.data,
			createdAt: boardRecord.createdAt
		})
		.from(boardRecord)
		.innerJoin(board, eq(board.id, boardRecord.boardId))
		.where(
			and(
				eq(board.schoolId, schoolId),
				boardIds.length > 0
					? or(
							inArray(boardRecord.boardId, boardIds),
							sql`${boardRecord.data}::text like ${'%' + row.id + '%'}`
						)
					: sql`${boardRecord.data}::text like ${'%' + row.id + '%'}`
			)
		)
		.orderBy(asc(boardRecord.createdAt));
	// A meeting shared with siblings: its record holds only this student's own words.
	const ownRecords = records
		.filter((r) => {
			const since = joined.get(r.boardId);
			return !since || r.kind !== MEETING_RECORD || r.createdAt >= since;
		})
		.map((r) => {
			const children = siblingsOn.get(r.boardId);
			const parsed =
				children && r.kind === MEETING_RECORD ? meetingRecordData.safeParse(r.data) : null;
			if (!parsed?.success) return r;
			return { ...r, data: recordForChild(parsed.data, row.id, children![0] ?? null) };
		});

	// The live state: the student's own boards whole (of a meeting shared with siblings, all but
	// the siblings' own words, check-ins and faces), their entry on each progress wall.
	const liveBoards = [];
	for (const { schoolId: _school, studentId: _first, ...b } of boards) {
		const doc = await currentBoardDoc(b.id, runtime);
		const children = siblingsOn.get(b.id) ?? [];
		for (const other of children.filter((c) => c !== row.id)) {
			// A copy of the document, read for this export only: nothing is written back.
			eraseChildFromMeeting(doc, other, children);
			participantsMap(doc).delete(`${STUDENT_KEY_PREFIX}${other}`);
		}
		liveBoards.push({ ...b, content: docJson(doc, rootMapsOf(b.kind)) });
		doc.destroy();
	}
	const wallEntries = [];
	for (const wall of walls) {
		const doc = await currentBoardDoc(wall.id, runtime);
		const entry = studentsMap(doc).get(row.id);
		const agreed = [...actionsMap(doc).values()]
			.map((a) => (a instanceof Y.Map ? (a.toJSON() as Json) : null))
			.filter((a): a is Json => a !== null && a.studentId === row.id);
		if (entry instanceof Y.Map || agreed.length > 0) {
			wallEntries.push({
				boardId: wall.id,
				title: wall.title,
				entry: entry instanceof Y.Map ? (entry.toJSON() as Json) : null,
				actions: agreed
			});
		}
		doc.destroy();
	}

	return {
		exportedAt: new Date().toISOString(),
		school: schoolRow ?? null,
		student: row,
		photoConsents: consents,
		photos: photos.map((p) => ({ ...p, url: `/media/${p.id}` })),
		boards: liveBoards,
		wallEntries,
		events,
		assessments,
		goals,
		goalSteps: steps,
		evidence: evidenceRows,
		review: { advice, comments, decisions, actions },
		boardRecords: ownRecords,
		studentLinks: links,
		auditEntries: audit
	};
}

export type StudentExport = NonNullable<Awaited<ReturnType<typeof gather>>>;

/**
 * Everything about one student; null when the student is not of this school. Audited, after
 * gathering, so the export lists the entries before this one.
 */
export async function exportStudent(
	runtime: Runtime,
	schoolId: string,
	studentId: string,
	actor: Actor,
	format: 'json' | 'html' = 'json'
): Promise<StudentExport | null> {
	const data = await gather(runtime, schoolId, studentId);
	if (!data) return null;
	await recordAudit(runtime.database.db, {
		schoolId,
		who: actor,
		action: 'student.export',
		subjectType: 'student',
		subjectId: studentId,
		studentId,
		meta: { format }
	});
	return data;
}

/* ------------------------------------------------------------------ the printable page */

function esc(value: unknown): string {
	const text =
		value instanceof Date
			? value.toISOString().slice(0, 16).replace('T', ' ')
			: typeof value === 'string'
				? value
				: value === null || value === undefined
					? ''
					: JSON.stringify(value);
	return text
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}

/** A table of rows, columns from the first row's keys; nested values as compact JSON. */
function table(rows: readonly object[], empty: string): string {
	if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
	const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
	const head = columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('');
	const body = rows
		.map(
			(r) =>
				`<tr>${columns.map((c) => `<td>${esc((r as Record<string, unknown>)[c])}</td>`).join('')}</tr>`
		)
		.join('\n');
	return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function section(title: string, inner: string): string {
	return `<section><h2>${esc(title)}</h2>${inner}</section>`;
}

/** Cards of a board as rows: one per entry of each root map. */
function boardRows(content: Json): object[] {
	const rows: object[] = [];
	for (const [root, entries] of Object.entries(content)) {
		for (const [key, value] of Object.entries((entries ?? {}) as Json)) {
			rows.push({ part: root, key, value });
		}
	}
	return rows;
}

/** The export as one self-contained HTML page (no scripts, no external files), to print. */
export function renderExportHtml(data: StudentExport, locale: Locale): string {
	const o = { locale };
	const s = data.student;
	const name = `${s.firstName} ${s.lastName}`.trim();
	const empty = m.er_export_empty({}, o);
	const boards = data.boards
		.map(
			(b) =>
				`<h3>${esc(b.title)} <small>(${esc(b.kind)}, ${esc(b.createdAt)})</small></h3>${table(boardRows(b.content), empty)}`
		)
		.join('');
	return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(m.er_export_title({ name }, o))}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1a1a1a;line-height:1.4}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #bbb;padding:.25rem .4rem;text-align:left;vertical-align:top;word-break:break-word}
.empty{color:#555;font-style:italic}
@media print{body{margin:0}section{break-inside:avoid-page}}
</style>
</head>
<body>
<h1>${esc(m.er_export_title({ name }, o))}</h1>
<p>${esc(m.er_export_intro({ school: data.school?.name ?? '', date: formatDate(data.exportedAt, 'long', locale) }, o))}</p>
${section(m.er_export_student({}, o), table([s], empty))}
${section(m.er_export_consents({}, o), table(data.photoConsents, empty))}
${section(m.er_export_photos({}, o), `<p>${esc(m.er_export_photos_note({}, o))}</p>${table(data.photos, empty)}`)}
${section(m.er_export_boards({}, o), boards || `<p class="empty">${esc(empty)}</p>`)}
${section(m.er_export_wall({}, o), table(data.wallEntries, empty))}
${section(m.er_export_events({}, o), table(data.events, empty))}
${section(m.er_export_assessments({}, o), table(data.assessments, empty))}
${section(m.er_export_goals({}, o), table(data.goals, empty) + table(data.goalSteps, empty))}
${section(m.er_export_evidence({}, o), table(data.evidence, empty))}
${section(m.er_export_review({}, o), table(data.review.advice, empty) + table(data.review.comments, empty) + table(data.review.decisions, empty) + table(data.review.actions, empty))}
${section(m.er_export_records({}, o), table(data.boardRecords, empty))}
${section(m.er_export_links({}, o), table(data.studentLinks, empty))}
${section(m.er_export_audit({}, o), table(data.auditEntries, empty))}
</body>
</html>`;
}
