CREATE TABLE "board_client" (
	"board_id" text NOT NULL,
	"client_id" bigint NOT NULL,
	"actor_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "board_client_board_id_client_id_pk" PRIMARY KEY("board_id","client_id")
);
--> statement-breakpoint
ALTER TABLE "board_client" ADD CONSTRAINT "board_client_board_id_board_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."board"("id") ON DELETE cascade ON UPDATE no action;