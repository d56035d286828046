CREATE TABLE "assessment" (
	"id" text PRIMARY KEY NOT NULL,
	"school_id" text NOT NULL,
	"student_id" text NOT NULL,
	"version_id" text NOT NULL,
	"criterion_id" text NOT NULL,
	"level_id" text NOT NULL,
	"perspective" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"evidence_id" text,
	"board_id" text,
	"author_user_id" text,
	"author_name" text NOT NULL,
	"assessed_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "criteria_set" (
	"id" text PRIMARY KEY NOT NULL,
	"school_id" text NOT NULL,
	"team_id" text,
	"name" text NOT NULL,
	"created_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "criteria_set_version" (
	"id" text PRIMARY KEY NOT NULL,
	"set_id" text NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"created_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evidence" (
	"id" text PRIMARY KEY NOT NULL,
	"school_id" text NOT NULL,
	"student_id" text NOT NULL,
	"set_id" text,
	"criterion_id" text,
	"goal_id" text,
	"text" text DEFAULT '' NOT NULL,
	"media_id" text,
	"outside_school" boolean DEFAULT false NOT NULL,
	"added_by" text NOT NULL,
	"author_user_id" text,
	"author_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "student_link" (
	"id" text PRIMARY KEY NOT NULL,
	"school_id" text NOT NULL,
	"student_id" text NOT NULL,
	"secret_hash" "bytea" NOT NULL,
	"created_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "board" ADD COLUMN "criteria_version_id" text;--> statement-breakpoint
ALTER TABLE "session" ADD COLUMN "student_id" text;--> statement-breakpoint
ALTER TABLE "session" ADD COLUMN "student_link_id" text;--> statement-breakpoint
ALTER TABLE "student" ADD COLUMN "family_share" text DEFAULT 'family' NOT NULL;--> statement-breakpoint
ALTER TABLE "student" ADD COLUMN "family_share_set_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "student_goal" ADD COLUMN "board_id" text;--> statement-breakpoint
ALTER TABLE "student_goal" ADD COLUMN "agreed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "student_goal" ADD COLUMN "actions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_school_id_school_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."school"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_student_id_student_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."student"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_version_id_criteria_set_version_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."criteria_set_version"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_evidence_id_evidence_id_fk" FOREIGN KEY ("evidence_id") REFERENCES "public"."evidence"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_board_id_board_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."board"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_author_user_id_user_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criteria_set" ADD CONSTRAINT "criteria_set_school_id_school_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."school"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criteria_set" ADD CONSTRAINT "criteria_set_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criteria_set" ADD CONSTRAINT "criteria_set_created_by_id_user_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criteria_set_version" ADD CONSTRAINT "criteria_set_version_set_id_criteria_set_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."criteria_set"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criteria_set_version" ADD CONSTRAINT "criteria_set_version_created_by_id_user_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_school_id_school_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."school"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_student_id_student_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."student"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_set_id_criteria_set_id_fk" FOREIGN KEY ("set_id") REFERENCES "public"."criteria_set"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_goal_id_student_goal_id_fk" FOREIGN KEY ("goal_id") REFERENCES "public"."student_goal"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_media_id_media_id_fk" FOREIGN KEY ("media_id") REFERENCES "public"."media"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_author_user_id_user_id_fk" FOREIGN KEY ("author_user_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_link" ADD CONSTRAINT "student_link_school_id_school_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."school"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_link" ADD CONSTRAINT "student_link_student_id_student_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."student"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_link" ADD CONSTRAINT "student_link_created_by_id_user_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessment_student_id_criterion_id_assessed_on_index" ON "assessment" USING btree ("student_id","criterion_id","assessed_on");--> statement-breakpoint
CREATE INDEX "assessment_board_id_index" ON "assessment" USING btree ("board_id");--> statement-breakpoint
CREATE INDEX "criteria_set_school_id_index" ON "criteria_set" USING btree ("school_id");--> statement-breakpoint
CREATE INDEX "criteria_set_team_id_index" ON "criteria_set" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "criteria_set_version_unique" ON "criteria_set_version" USING btree ("set_id","version");--> statement-breakpoint
CREATE INDEX "evidence_student_id_created_at_index" ON "evidence" USING btree ("student_id","created_at");--> statement-breakpoint
CREATE INDEX "student_link_student_id_index" ON "student_link" USING btree ("student_id");--> statement-breakpoint
ALTER TABLE "board" ADD CONSTRAINT "board_criteria_version_id_criteria_set_version_id_fk" FOREIGN KEY ("criteria_version_id") REFERENCES "public"."criteria_set_version"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_student_id_student_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."student"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_student_link_id_student_link_id_fk" FOREIGN KEY ("student_link_id") REFERENCES "public"."student_link"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_goal" ADD CONSTRAINT "student_goal_board_id_board_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."board"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "session_student_link_id_index" ON "session" USING btree ("student_link_id");--> statement-breakpoint
CREATE INDEX "student_goal_board_id_index" ON "student_goal" USING btree ("board_id");