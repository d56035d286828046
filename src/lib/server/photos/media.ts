/** Storing and serving images from the `media` table, always through an access check. */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor';
import { actorSchool, canSeeStudent, maySeeGrowth } from '../auth/permissions';
import { newId } from '../auth/tokens';
import type { Queryable } from '../db';
import { media, photoConsent, student, type Media, type Student } from '../db/schema';
import { processImage } from './pipeline';

export interface StoreImageInput {
	schoolId: string;
	studentId?: string | null;
	boardId?: string | null;
	purpose: Media['purpose'];
	createdById?: string | null;
}

/** Runs the pipeline and stores the result: nothing the client sent is kept as is. */
export async function storeImage(db: Queryable, bytes: Uint8Array, input: StoreImageInput) {
	const image = await processImage(bytes);
	const [row] = await db
		.insert(media)
		.values({
			id: newId(),
			schoolId: input.schoolId,
			studentId: input.studentId ?? null,
			boardId: input.boardId ?? null,
			purpose: input.purpose,
			mime: image.mime,
			width: image.width,
			height: image.height,
			data: image.data,
			thumbMime: image.thumbMime,
			thumb: image.thumb,
			createdById: input.createdById ?? null
		})
		.returning({ id: media.id });
	return row!.id;
}

/** A new passport photo replaces the old one; the old image is deleted, not kept around. */
export async function setStudentPhoto(
	db: Queryable,
	actor: Actor & { kind: 'user' },
	s: Student,
	bytes: Uint8Array
) {
	const id = await storeImage(db, bytes, {
		schoolId: s.schoolId,
		studentId: s.id,
		purpose: 'student_photo',
		createdById: actor.user.id
	});
	await db
		.update(student)
		.set({ photoId: id, updatedAt: new Date() })
		.where(and(eq(student.id, s.id), eq(student.schoolId, s.schoolId)));
	if (s.photoId && s.photoId !== id) {
		await db.delete(media).where(and(eq(media.id, s.photoId), eq(media.studentId, s.id)));
	}
	return id;
}

export type MediaSize = 'display' | 'thumb';

/**
 * The image bytes when this actor may see them, else null (the route answers 404 either
 * way). An image of a student needs that student's consent in force, whoever asks.
 * One query fetches the image (only the size asked for), its student and the consent in
 * force: a wall loads 40 of these at once.
 */
export async function readMediaFor(
	db: Queryable,
	actor: Actor | null,
	mediaId: string,
	size: MediaSize
): Promise<{
	mime: string;
	bytes: Uint8Array;
	/** Whose image it is, and what for: the route audits the read (privacy/audit.ts). */
	student: { id: string; schoolId: string };
	purpose: 'student_photo' | 'evidence';
} | null> {
	if (!actor) return null;
	const consent = db
		.select({ status: photoConsent.status })
		.from(photoConsent)
		.where(eq(photoConsent.studentId, media.studentId))
		.orderBy(desc(photoConsent.recordedAt), desc(photoConsent.id))
		.limit(1);
	const [row] = await db
		.select({
			mime: size === 'thumb' ? media.thumbMime : media.mime,
			bytes: size === 'thumb' ? media.thumb : media.data,
			purpose: media.purpose,
			student,
			consent: sql<string | null>`(${consent})`
		})
		.from(media)
		// Images not tied to a student (none yet) stay closed until a feature defines who sees them.
		.innerJoin(student, and(eq(student.id, media.studentId), eq(student.schoolId, media.schoolId)))
		.where(and(eq(media.id, mediaId), eq(media.schoolId, actorSchool(actor))))
		.limit(1);
	if (!row || row.consent !== 'given') return null;
	// Evidence of a child's work is seen by fewer people than the passport photo on a wall.
	const allowed =
		row.purpose === 'evidence'
			? await maySeeGrowth(db, actor, row.student)
			: await canSeeStudent(db, actor, row.student);
	if (!allowed) return null;
	return {
		mime: row.mime,
		bytes: row.bytes,
		student: { id: row.student.id, schoolId: row.student.schoolId },
		purpose: row.purpose
	};
}
