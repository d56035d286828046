/**
 * Demo growth: the demo team works with the default Leerhouding set, and Noor has a school
 * year of assessments from herself and her mentor in four talks (growth on two criteria, the
 * same words on feedback all year, and one criterion where they see it differently now), a goal
 * reached, two pieces of evidence (one from outside school) and one agreed goal, so the
 * student page and the progress-wall card show what growth looks like. Fictional, idempotent:
 * skips when the demo team already has a criteria set.
 */
import type { Database } from './db';
import { listSets, ensureDefaultSet } from './criteria';
import { markGoalDone, recordAgreedGoals, recordAssessments } from './growth';
import { evidence } from './db/schema';
import { newId } from './auth/tokens';
import type { Perspective } from '../board/criteria';
import { DAY_MS } from '../board/dates';

export interface DemoGrowth {
	schoolId: string;
	teamId: string;
	student: { id: string; firstName: string };
	mentor: { id: string; name: string };
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export async function seedDemoGrowth(db: Database, demo: DemoGrowth, now = new Date()) {
	if ((await listSets(db, demo.schoolId, demo.teamId)).length > 0) return;
	const [leerhouding] = await ensureDefaultSet(db, demo.schoolId, demo.teamId, demo.mentor.id);
	if (!leerhouding) return;
	const daysAgo = (n: number) => isoDay(new Date(now.getTime() - n * DAY_MS));
	const by = (p: Perspective) =>
		p === 'mentor'
			? { authorName: demo.mentor.name, authorUserId: demo.mentor.id }
			: { authorName: demo.student.firstName, authorUserId: null };
	const row = (
		perspective: Perspective,
		criterionId: string,
		levelId: string,
		days: number,
		note = ''
	) => ({
		schoolId: demo.schoolId,
		studentId: demo.student.id,
		versionId: leerhouding.versionId,
		criterionId,
		levelId,
		perspective,
		note,
		assessedOn: daysAgo(days),
		...by(perspective)
	});
	await db.transaction(async (tx) => {
		// A school year in four talks (about 30, 20 and 10 weeks ago, and last week): Noor grows
		// on asking for help and on planning, and stays at the same words on feedback since the
		// first talk, so the timeline shows both and a stagnation question appears for feedback.
		const talks = [210, 140, 70, 7] as const;
		const notes: Record<string, string> = {
			'student/plannen/7': 'Ik schrijf mijn huiswerk nu in mijn agenda',
			'student/hulp-vragen/7': 'Ik steek mijn vinger op als ik vastzit',
			'mentor/hulp-vragen/7': 'Vraagt vooral hulp na de uitleg, niet tijdens',
			'student/feedback/7': 'Ik lees het wel, maar ik doe er nog weinig mee'
		};
		const year = (criterionId: string, perspective: Perspective, levels: string[]) =>
			levels.map((levelId, i) => {
				const days = talks[i]!;
				const note = notes[`${perspective}/${criterionId}/${days}`] ?? '';
				return row(perspective, criterionId, levelId, days, note);
			});
		await recordAssessments(tx, [
			...year('plannen', 'student', ['begin', 'begin', 'soms', 'soms']),
			...year('plannen', 'mentor', ['begin', 'begin', 'begin', 'soms']),
			...year('hulp-vragen', 'student', ['begin', 'soms', 'soms', 'zelf']),
			...year('hulp-vragen', 'mentor', ['begin', 'begin', 'soms', 'soms']),
			...year('feedback', 'student', ['soms', 'soms', 'soms', 'soms']),
			...year('feedback', 'mentor', ['soms', 'soms', 'soms', 'soms'])
		]);
		// A goal from the second talk, reached before the third: a small step on the timeline.
		const [reached] = await recordAgreedGoals(tx, {
			schoolId: demo.schoolId,
			studentId: demo.student.id,
			boardId: null,
			writtenBy: demo.mentor.name,
			agreedAt: new Date(now.getTime() - talks[1] * DAY_MS),
			goals: [{ text: 'Ik schrijf mijn huiswerk elke dag in mijn agenda', actions: [] }]
		});
		await markGoalDone(tx, demo.student, reached!, new Date(now.getTime() - 84 * DAY_MS));
		await tx.insert(evidence).values([
			{
				id: newId(),
				schoolId: demo.schoolId,
				studentId: demo.student.id,
				setId: leerhouding.set.id,
				criterionId: 'plannen',
				text: 'Mijn weektaak zelf ingedeeld: elke dag staat erin wat ik ga doen.',
				addedBy: 'student',
				authorName: demo.student.firstName,
				createdAt: new Date(now.getTime() - 6 * DAY_MS)
			},
			{
				id: newId(),
				schoolId: demo.schoolId,
				studentId: demo.student.id,
				text: 'Bij de scouting de spelletjes voor de kleintjes voorbereid en uitgelegd.',
				outsideSchool: true,
				addedBy: 'student',
				authorName: demo.student.firstName,
				createdAt: new Date(now.getTime() - 3 * DAY_MS)
			}
		]);
		await recordAgreedGoals(tx, {
			schoolId: demo.schoolId,
			studentId: demo.student.id,
			boardId: null,
			writtenBy: demo.mentor.name,
			agreedAt: new Date(now.getTime() - 7 * DAY_MS),
			goals: [
				{
					text: 'Ik plan elke maandag mijn weektaak',
					actions: [
						{
							what: 'Weektaak samen doornemen op maandag',
							who: demo.mentor.name,
							due: daysAgo(-7)
						},
						{ what: 'Thuis samen in de agenda kijken', who: 'Ouders', due: null }
					]
				}
			]
		});
	});
}
