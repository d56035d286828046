CREATE TABLE "goal_step" (
	"id" text PRIMARY KEY NOT NULL,
	"school_id" text NOT NULL,
	"student_id" text NOT NULL,
	"goal_id" text NOT NULL,
	"week_of" date NOT NULL,
	"text" text NOT NULL,
	"done_at" timestamp with time zone,
	"added_by" text NOT NULL,
	"author_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "goal_step" ADD CONSTRAINT "goal_step_school_id_school_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."school"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_step" ADD CONSTRAINT "goal_step_student_id_student_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."student"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_step" ADD CONSTRAINT "goal_step_goal_id_student_goal_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."student_goal"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_step" ADD CONSTRAINT "goal_step_author_user_id_user_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "goal_step_goal_id_week_of_index" ON "goal_step" USING btree ("goal_id","week_of");--> statement-breakpoint
CREATE INDEX "goal_step_student_id_week_of_index" ON "goal_step" USING btree ("student_id","week_of");--> statement-breakpoint
CREATE INDEX "audit_log_school_id_actor_id_created_at_index" ON "audit_log" USING btree ("school_id","actor_id","created_at");