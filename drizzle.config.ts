import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the one schema file and applied at start-up by both drivers.
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema.ts',
	out: './drizzle',
	casing: 'snake_case',
	strict: true,
	verbose: true
});
