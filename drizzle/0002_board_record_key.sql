ALTER TABLE "board_record" ADD COLUMN "key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "board_record_key_unique" ON "board_record" USING btree ("board_id","kind","key");--> statement-breakpoint
-- Until now every session archived every success on the board again (55 rows for 11 successes
-- after 5 sessions). Keep the first row of each success per board; later copies go.
DELETE FROM "board_record" AS "later" USING "board_record" AS "first"
WHERE "later"."kind" = 'success' AND "first"."kind" = 'success'
	AND "later"."key" IS NULL AND "first"."key" IS NULL
	AND "later"."board_id" = "first"."board_id"
	AND "later"."data"->>'title' IS NOT DISTINCT FROM "first"."data"->>'title'
	AND "later"."data"->>'who' IS NOT DISTINCT FROM "first"."data"->>'who'
	AND "later"."id" > "first"."id";
