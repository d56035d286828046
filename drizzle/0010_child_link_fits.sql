-- A child link fits its board only while the child it was made for is one of the board's children,
-- or, bound to no child, when the board is about no child (permissions.ts `childLinkFits`). A link
-- that does not fit (bound to nobody on a board about a child, or to a child taken off the meeting
-- while the link was being made) is revoked here and its sessions end, so the share page no longer
-- lists it as live. It is not bound to a child instead: whose device it is cannot be known now.
UPDATE "board_invite" SET "revoked_at" = now() FROM "board" WHERE "board"."id" = "board_invite"."board_id" AND "board_invite"."role" = 'child' AND "board_invite"."revoked_at" IS NULL AND "board"."student_id" IS NOT NULL AND ("board_invite"."student_id" IS NULL OR ("board_invite"."student_id" <> "board"."student_id" AND NOT EXISTS (SELECT 1 FROM "board_student" WHERE "board_student"."board_id" = "board"."id" AND "board_student"."student_id" = "board_invite"."student_id")));--> statement-breakpoint
DELETE FROM "session" USING "board_invite" WHERE "session"."invite_id" = "board_invite"."id" AND "session"."kind" = 'guest' AND "board_invite"."role" = 'child' AND "board_invite"."revoked_at" IS NOT NULL;
