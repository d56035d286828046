ALTER TABLE "student_goal" ADD COLUMN "reached_at" timestamp with time zone;--> statement-breakpoint
UPDATE "student_goal" SET "reached_at" = "updated_at" WHERE "status" = 'done';