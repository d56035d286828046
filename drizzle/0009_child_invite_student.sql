ALTER TABLE "board_invite" ADD COLUMN "student_id" text;--> statement-breakpoint
ALTER TABLE "board_invite" ADD CONSTRAINT "board_invite_student_id_student_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."student"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "board_invite_student_id_index" ON "board_invite" USING btree ("student_id");--> statement-breakpoint
-- A child link made before links were bound was its board's first child's device: bind it to that child.
UPDATE "board_invite" SET "student_id" = "board"."student_id" FROM "board" WHERE "board"."id" = "board_invite"."board_id" AND "board_invite"."role" = 'child' AND "board_invite"."student_id" IS NULL;
