/** Minimal structured-enough logging; one line per event, never personal data. */
const stamp = () => new Date().toISOString();

export const log = {
	info: (message: string) => console.log(`${stamp()} ${message}`),
	warn: (message: string) => console.warn(`${stamp()} WARN ${message}`),
	error: (message: string) => console.error(`${stamp()} ERROR ${message}`)
};
