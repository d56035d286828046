/**
 * The "according to whom" of a stagnation question, in the reader's words: the student reads
 * "jou en je mentor", staff read the student's name and "de mentor".
 */
import type { Perspective } from '$lib/board/criteria';
import { m } from '$lib/paraglide/messages';

export function signalWho(
	perspectives: readonly Perspective[],
	viewer: 'student' | 'staff',
	studentName: string
): string {
	const words = perspectives.map((p) =>
		p === 'parent'
			? m.gr_sig_home()
			: viewer === 'student'
				? p === 'student'
					? m.gr_sig_you()
					: m.gr_sig_your_mentor()
				: p === 'student'
					? studentName
					: m.gr_sig_the_mentor()
	);
	if (words.length <= 1) return words[0] ?? '';
	return m.gr_sig_and({ a: words.slice(0, -1).join(', '), b: words[words.length - 1]! });
}
