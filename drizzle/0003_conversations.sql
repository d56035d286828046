ALTER TABLE "board" ADD COLUMN "part_of" text;--> statement-breakpoint
ALTER TABLE "session" ADD COLUMN "participant_label" text;--> statement-breakpoint
ALTER TABLE "board" ADD CONSTRAINT "board_part_of_board_id_fk" FOREIGN KEY ("part_of") REFERENCES "public"."board"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "board_part_of_unique" ON "board" USING btree ("part_of");