CREATE TABLE "known_device" (
	"id" text PRIMARY KEY NOT NULL,
	"secret_hash" "bytea" NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "login_notice" (
	"user_id" text PRIMARY KEY NOT NULL,
	"failed_since_login" integer DEFAULT 0 NOT NULL,
	"failed_before_login" integer DEFAULT 0 NOT NULL,
	"last_login_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "login_attempt" ADD COLUMN "client_key" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "login_attempt" ADD COLUMN "device_id" text;--> statement-breakpoint
ALTER TABLE "known_device" ADD CONSTRAINT "known_device_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "login_notice" ADD CONSTRAINT "login_notice_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "known_device_user_id_index" ON "known_device" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "login_attempt_email_key_client_key_created_at_index" ON "login_attempt" USING btree ("email_key","client_key","created_at");--> statement-breakpoint
CREATE INDEX "login_attempt_email_key_device_id_created_at_index" ON "login_attempt" USING btree ("email_key","device_id","created_at");