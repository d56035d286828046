import { describe, expect, it } from 'vitest';
import {
	boardRoles,
	canWrite,
	capabilitiesOf,
	mayChangeCard,
	mayChangeCheckIn
} from '../../src/lib/board/capabilities';

describe('board capabilities', () => {
	it('a viewer writes nothing, an owner everything but the child’s own words, only an owner shares', () => {
		expect(canWrite('viewer')).toBe(false);
		expect(canWrite(null)).toBe(false);
		const { ownWords, ...owner } = capabilitiesOf('owner');
		expect(Object.values(owner).every(Boolean)).toBe(true);
		expect(ownWords).toBe(false);
		for (const role of boardRoles) expect(capabilitiesOf(role).share).toBe(role === 'owner');
	});

	it('a child and a parent change only their own cards and their own check-in', () => {
		for (const role of ['child', 'parent'] as const) {
			const caps = capabilitiesOf(role);
			expect(caps.addCards).toBe(true);
			expect(mayChangeCard(caps, 'guest-1', 'guest-1')).toBe(true);
			expect(mayChangeCard(caps, 'guest-1', 'mentor-7')).toBe(false);
			expect(mayChangeCard(caps, 'guest-1', '')).toBe(false);
			expect(mayChangeCheckIn(caps, 'guest-1', 'guest-1')).toBe(true);
			expect(mayChangeCheckIn(caps, 'guest-1', 'mentor-7')).toBe(false);
			expect(caps.settings || caps.runSession || caps.studentEntries).toBe(false);
		}
	});

	it('on a care meeting the child checks in anyone and moves the meeting on; on a talk it only moves it on; elsewhere neither', () => {
		const kid = capabilitiesOf('child', 'zorgoverleg');
		expect(mayChangeCheckIn(kid, 'kid', 'mum')).toBe(true);
		expect(kid.stepMeeting && kid.setVisibility && kid.ownWords).toBe(true);
		expect(kid.runSession || kid.settings || kid.editOthersCards).toBe(false);
		const talk = capabilitiesOf('child', 'driehoeksgesprek');
		expect(talk.stepMeeting).toBe(true);
		expect(mayChangeCheckIn(talk, 'kid', 'mum')).toBe(false);
		for (const kind of ['zorgbord', 'verbeterbord'] as const) {
			const elsewhere = capabilitiesOf('child', kind);
			expect(mayChangeCheckIn(elsewhere, 'kid', 'mum')).toBe(false);
			expect(elsewhere.stepMeeting).toBe(false);
		}
		for (const role of ['parent', 'partner'] as const) {
			const caps = capabilitiesOf(role, 'zorgoverleg');
			expect(mayChangeCheckIn(caps, 'me', 'kid')).toBe(false);
			expect(caps.stepMeeting || caps.setVisibility || caps.ownWords).toBe(false);
			expect(capabilitiesOf(role, 'driehoeksgesprek').stepMeeting).toBe(false);
		}
	});

	it('staff editors change any card and any check-in, but do not share', () => {
		const caps = capabilitiesOf('editor');
		expect(mayChangeCard(caps, 'a', 'b')).toBe(true);
		expect(mayChangeCheckIn(caps, 'a', 'b')).toBe(true);
		expect(caps.share).toBe(false);
	});
});
