/**
 * The photo pipeline and the authorised photo route, against a real database: metadata is
 * stripped, and without consent in force nobody gets the image, whatever their role.
 */
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/actor';
import type { Session } from '../../src/lib/server/db/schema';
import { auditLog, board } from '../../src/lib/server/db/schema';
import { newId } from '../../src/lib/server/auth/tokens';
import { recordConsent, consentGiver } from '../../src/lib/server/photos/consent';
import { readMediaFor, setStudentPhoto } from '../../src/lib/server/photos/media';
import {
	detectImageType,
	ImageRejectedError,
	processImage
} from '../../src/lib/server/photos/pipeline';
import { GET } from '../../src/routes/media/[mediaId=id]/+server';
import { actions as studentActions } from '../../src/routes/students/[studentId=id]/+page.server';
import { drivers } from '../helpers/db';
import { makeSchool, makeStudent, makeTeam, makeUser } from '../helpers/factories';
import { startTestRuntime, type TestRuntime } from '../helpers/runtime';

async function jpegWithGps() {
	return sharp({ create: { width: 900, height: 600, channels: 3, background: '#c0392b' } })
		.jpeg()
		.withExif({
			IFD0: { Make: 'SpyCam', Model: 'Leaky 3000', Artist: 'Secret Person' },
			IFD3: {
				GPSLatitudeRef: 'N',
				GPSLatitude: '52/1 5/1 30/1',
				GPSLongitudeRef: 'E',
				GPSLongitude: '4/1 18/1 12/1'
			}
		})
		.toBuffer();
}

const fakeSession = { id: 'sessionfake22222' } as Session;
const userActor = (u: { id: string; schoolId: string; role: 'admin' | 'staff' }): Actor => ({
	kind: 'user',
	session: fakeSession,
	user: { id: u.id, schoolId: u.schoolId, email: 'x@y.z', name: 'X', role: u.role, locale: null }
});

describe('image pipeline (pure)', () => {
	it('detects types by magic bytes, not by name', async () => {
		const png = await sharp({
			create: { width: 4, height: 4, channels: 3, background: '#fff' }
		})
			.png()
			.toBuffer();
		expect(detectImageType(png)).toBe('png');
		expect(detectImageType(await jpegWithGps())).toBe('jpeg');
		expect(
			detectImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))
		).toBe(null);
	});

	it('refuses an SVG or a script renamed to .jpg', async () => {
		await expect(
			processImage(new TextEncoder().encode('<script>alert(1)</script>'))
		).rejects.toEqual(new ImageRejectedError('unsupported_type'));
	});

	it('refuses a truncated JPEG as corrupt', async () => {
		const jpeg = await jpegWithGps();
		await expect(processImage(jpeg.subarray(0, 200))).rejects.toBeInstanceOf(ImageRejectedError);
	});

	it('strips EXIF and GPS and re-encodes to WebP display + thumbnail', async () => {
		const input = await jpegWithGps();
		const inputMeta = await sharp(input).metadata();
		expect(inputMeta.exif).toBeDefined(); // the fixture really carries EXIF
		expect(Buffer.from(input).includes('SpyCam')).toBe(true);

		const out = await processImage(input);
		for (const bytes of [out.data, out.thumb]) {
			const meta = await sharp(bytes).metadata();
			expect(meta.format).toBe('webp');
			expect(meta.exif).toBeUndefined();
			expect(meta.xmp).toBeUndefined();
			expect(meta.icc).toBeUndefined();
			expect(Buffer.from(bytes).includes('SpyCam')).toBe(false);
			expect(Buffer.from(bytes).includes('Exif')).toBe(false);
		}
		expect((await sharp(out.data).metadata()).width).toBe(512);
		expect((await sharp(out.thumb).metadata()).width).toBe(160);
	});

	it('decides who gives consent from the birth date only', () => {
		const now = new Date('2026-11-23T12:00:00Z');
		expect(consentGiver('2010-11-24', now)).toBe('parent'); // 16 tomorrow
		expect(consentGiver('2010-11-23', now)).toBe('student'); // 16 today
		expect(consentGiver(null, now)).toBe('parent');
	});
});

describe.each(drivers)('authorised photo route (%s)', (driver) => {
	let rt: TestRuntime;
	let admin: Actor, mentor: Actor, teamMate: Actor, outsider: Actor, otherSchool: Actor;
	let wall: Actor, otherWall: Actor, guestOnStudent: Actor, guestElsewhere: Actor;
	let studentRow: Awaited<ReturnType<typeof makeStudent>>;
	let mentorActor: Actor & { kind: 'user' };
	let photoId: string;

	const fetchPhoto = async (actor: Actor | null, size?: 'thumb') => {
		const url = new URL(`http://localhost/media/${photoId}${size ? '?size=thumb' : ''}`);
		try {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			return await GET({ locals: { actor }, params: { mediaId: photoId }, url } as any);
		} catch (e) {
			return new Response(null, { status: (e as { status?: number }).status ?? 500 });
		}
	};

	beforeAll(async () => {
		rt = await startTestRuntime(driver);
		const db = rt.database.db;
		const school = await makeSchool(db);
		const school2 = await makeSchool(db, 'Other');
		const uAdmin = await makeUser(db, school.id, { role: 'admin' });
		const uMentor = await makeUser(db, school.id);
		const uMate = await makeUser(db, school.id);
		const uOut = await makeUser(db, school.id);
		const uOther = await makeUser(db, school2.id, { role: 'admin' });
		const t = await makeTeam(db, school.id, [uMate.id]);
		const t2 = await makeTeam(db, school.id, [uOut.id]);
		studentRow = await makeStudent(db, school.id, { teamId: t.id, mentorId: uMentor.id });
		const other = await makeStudent(db, school.id, { teamId: t.id });
		const [aboutStudent] = await db
			.insert(board)
			.values({
				id: newId(),
				schoolId: school.id,
				studentId: studentRow.id,
				kind: 'driehoeksgesprek',
				title: 'Gesprek'
			})
			.returning();
		const [aboutOther] = await db
			.insert(board)
			.values({
				id: newId(),
				schoolId: school.id,
				studentId: other.id,
				kind: 'driehoeksgesprek',
				title: 'Ander'
			})
			.returning();
		admin = userActor(uAdmin);
		mentorActor = userActor(uMentor) as Actor & { kind: 'user' };
		mentor = mentorActor;
		teamMate = userActor(uMate);
		outsider = userActor(uOut);
		otherSchool = userActor(uOther);
		const device = (teamId: string): Actor => ({
			kind: 'device',
			session: fakeSession,
			schoolId: school.id,
			teamId,
			wallPairingId: 'pairing'
		});
		wall = device(t.id);
		otherWall = device(t2.id);
		const guest = (boardId: string): Actor => ({
			kind: 'guest',
			session: fakeSession,
			schoolId: school.id,
			boardId,
			role: 'viewer',
			displayName: 'Ouder'
		});
		guestOnStudent = guest(aboutStudent!.id);
		guestElsewhere = guest(aboutOther!.id);
		photoId = await setStudentPhoto(db, mentorActor, studentRow, await jpegWithGps());
	});
	afterAll(async () => {
		await rt?.close();
	});

	it('gives 404 to every role while there is no consent', async () => {
		for (const actor of [admin, mentor, teamMate, wall, guestOnStudent, outsider, null]) {
			expect((await fetchPhoto(actor)).status).toBe(404);
			expect((await fetchPhoto(actor, 'thumb')).status).toBe(404);
		}
	});

	it('with consent: serves to those who may see the student, metadata-free and private', async () => {
		const db = rt.database.db;
		const row = await recordConsent(db, mentorActor, studentRow, 'given');
		expect(row.givenBy).toBe('parent');
		for (const actor of [admin, mentor, teamMate, wall, guestOnStudent]) {
			const res = await fetchPhoto(actor);
			expect(res.status).toBe(200);
			expect(res.headers.get('cache-control')).toBe('private, no-store');
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
			expect(res.headers.get('content-type')).toBe('image/webp');
			const bytes = new Uint8Array(await res.arrayBuffer());
			const meta = await sharp(bytes).metadata();
			expect(meta.exif).toBeUndefined();
			expect(Buffer.from(bytes).includes('SpyCam')).toBe(false);
		}
		const thumb = await fetchPhoto(mentor, 'thumb');
		expect((await sharp(new Uint8Array(await thumb.arrayBuffer())).metadata()).width).toBe(160);
		for (const actor of [outsider, otherSchool, otherWall, guestElsewhere, null]) {
			expect((await fetchPhoto(actor)).status).toBe(404);
		}
	});

	it('a served photo is audited as a read of the child, once per person within the read window; a refused one writes nothing', async () => {
		const db = rt.database.db;
		// Served once more to the mentor and the wall (and their thumbs): the same reads.
		for (const actor of [mentor, wall]) {
			expect((await fetchPhoto(actor)).status).toBe(200);
			expect((await fetchPhoto(actor, 'thumb')).status).toBe(200);
		}
		const rows = await db
			.select()
			.from(auditLog)
			.where(and(eq(auditLog.action, 'student.photo.view'), eq(auditLog.studentId, studentRow.id)));
		const perActor = (id: string) => rows.filter((r) => r.actorId === id);
		expect(perActor(mentorActor.user.id)).toHaveLength(1);
		expect(perActor('pairing')).toHaveLength(1);
		expect(perActor('pairing')[0]).toMatchObject({
			actorKind: 'device',
			subjectType: 'student',
			subjectId: studentRow.id,
			meta: { image: true }
		});
		// Refused (no right to see the child): no read, no row.
		for (const actor of [outsider, otherSchool]) {
			if (actor.kind !== 'user') continue;
			expect(perActor(actor.user.id)).toEqual([]);
		}
	});

	it('withdrawing consent hides the photo at once, for every role', async () => {
		const db = rt.database.db;
		await recordConsent(db, mentorActor, studentRow, 'withdrawn');
		for (const actor of [admin, mentor, teamMate, wall, guestOnStudent]) {
			expect((await fetchPhoto(actor)).status).toBe(404);
			expect(await readMediaFor(db, actor, photoId, 'thumb')).toBeNull();
		}
		await recordConsent(db, mentorActor, studentRow, 'given');
		expect((await fetchPhoto(mentor)).status).toBe(200);
	});

	it('replacing the photo deletes the old image', async () => {
		const db = rt.database.db;
		const fresh = { ...studentRow, photoId };
		const next = await setStudentPhoto(db, mentorActor, fresh, await jpegWithGps());
		expect(next).not.toBe(photoId);
		expect(await readMediaFor(db, admin, photoId, 'display')).toBeNull();
		expect(await readMediaFor(db, admin, next, 'display')).not.toBeNull();
	});

	it('the upload form checks the bytes, not the name; consent is recorded by the form', async () => {
		const db = rt.database.db;
		const post = async (action: 'photo' | 'consent', form: FormData, actor: Actor = mentor) => {
			const event = {
				locals: { actor },
				params: { studentId: studentRow.id },
				request: new Request('http://localhost/', { method: 'POST', body: form })
			};
			try {
				// eslint-disable-next-line @typescript-eslint/no-explicit-any
				return (await studentActions[action]!(event as any)) as unknown;
			} catch (e) {
				return { thrown: (e as { status?: number }).status };
			}
		};
		const fake = new FormData();
		fake.set(
			'photo',
			new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'me.jpg', { type: 'image/jpeg' })
		);
		expect(await post('photo', fake)).toMatchObject({
			status: 400,
			data: { photoError: 'unsupported_type' }
		});
		const empty = new FormData();
		expect(await post('photo', empty)).toMatchObject({
			status: 400,
			data: { photoError: 'empty' }
		});
		const real = new FormData();
		real.set(
			'photo',
			new File([new Uint8Array(await jpegWithGps())], 'IMG_0001.JPG', { type: 'image/jpeg' })
		);
		expect(await post('photo', real)).toEqual({ photoSaved: true });
		// A wall or a guest never uploads or records consent.
		expect(await post('photo', real, wall)).toEqual({ thrown: 404 });
		const withdraw = new FormData();
		withdraw.set('status', 'withdrawn');
		expect(await post('consent', withdraw, guestOnStudent)).toEqual({ thrown: 404 });
		expect(await post('consent', withdraw)).toEqual({ consentSaved: 'withdrawn' });
		const { photoId: current } = (await db.query.student.findFirst({
			where: (t, { eq }) => eq(t.id, studentRow.id)
		}))!;
		expect(await readMediaFor(db, mentor, current!, 'thumb')).toBeNull();
	});
});
