/** Minimal structured-enough logging; one line per event, never personal data. */
const stamp = () => new Date().toISOString();

const levels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof levels)[number];

// Until boot applies LOG_LEVEL from the validated config, the environment decides.
let threshold = Math.max(0, levels.indexOf((process.env.LOG_LEVEL ?? 'info') as LogLevel));

/** Messages below this level are not printed. */
export function setLogLevel(level: LogLevel): void {
	threshold = levels.indexOf(level);
}

const enabled = (level: LogLevel) => levels.indexOf(level) >= threshold;

export const log = {
	debug: (message: string) => enabled('debug') && console.log(`${stamp()} DEBUG ${message}`),
	info: (message: string) => enabled('info') && console.log(`${stamp()} ${message}`),
	warn: (message: string) => enabled('warn') && console.warn(`${stamp()} WARN ${message}`),
	error: (message: string) => enabled('error') && console.error(`${stamp()} ERROR ${message}`)
};
