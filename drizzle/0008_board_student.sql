CREATE TABLE "board_student" (
	"board_id" text NOT NULL,
	"student_id" text NOT NULL,
	"school_id" text NOT NULL,
	"added_by_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "board_student_board_id_student_id_pk" PRIMARY KEY("board_id","student_id")
);
--> statement-breakpoint
ALTER TABLE "board_student" ADD CONSTRAINT "board_student_board_id_board_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."board"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_student" ADD CONSTRAINT "board_student_student_id_student_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."student"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_student" ADD CONSTRAINT "board_student_school_id_school_id_fk" FOREIGN KEY ("school_id") REFERENCES "public"."school"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_student" ADD CONSTRAINT "board_student_added_by_id_user_id_fk" FOREIGN KEY ("added_by_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "board_student_student_id_index" ON "board_student" USING btree ("student_id");