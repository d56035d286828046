/** The `depends` key of a page's data that shows this student's growth (LiveGrowth.svelte). */
export const growthDependency = (studentId: string) => `growth:${studentId}` as const;
