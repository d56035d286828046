import { describe, expect, it } from 'vitest';
import {
	boardRoles,
	canWrite,
	capabilitiesOf,
	mayChangeCard,
	mayChangeCheckIn
} from '../../src/lib/board/capabilities';

describe('board capabilities', () => {
	it('a viewer writes nothing, an owner everything, only an owner shares', () => {
		expect(canWrite('viewer')).toBe(false);
		expect(canWrite(null)).toBe(false);
		expect(Object.values(capabilitiesOf('owner')).every(Boolean)).toBe(true);
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

	it('staff editors change any card and any check-in, but do not share', () => {
		const caps = capabilitiesOf('editor');
		expect(mayChangeCard(caps, 'a', 'b')).toBe(true);
		expect(mayChangeCheckIn(caps, 'a', 'b')).toBe(true);
		expect(caps.share).toBe(false);
	});
});
