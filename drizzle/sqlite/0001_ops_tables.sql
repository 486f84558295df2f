CREATE TABLE `customer_daily_usage` (
	`customer_id` text NOT NULL,
	`day` text NOT NULL,
	`tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`customer_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `feedback` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`message_id` integer,
	`kind` text NOT NULL,
	`value` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `feedback_created_at_idx` ON `feedback` (`created_at`);--> statement-breakpoint
CREATE TABLE `guard_allowlist` (
	`sender` text PRIMARY KEY NOT NULL,
	`allowed_by` text NOT NULL,
	`allowed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `guard_audit` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`by` text NOT NULL,
	`action` text NOT NULL,
	`sender` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `guard_audit_sender_id_idx` ON `guard_audit` (`sender`,`id`);--> statement-breakpoint
CREATE TABLE `guard_blocks` (
	`sender` text PRIMARY KEY NOT NULL,
	`blocked_by` text NOT NULL,
	`reason` text NOT NULL,
	`blocked_at` integer NOT NULL,
	`notice_sent` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE `guard_limit_overrides` (
	`sender` text PRIMARY KEY NOT NULL,
	`points` text NOT NULL,
	`set_by` text NOT NULL,
	`set_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `handoffs` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`customer_name` text NOT NULL,
	`locale` text NOT NULL,
	`reason` text NOT NULL,
	`state` text NOT NULL,
	`staff_channel` text,
	`staff_thread_ts` text,
	`claimed_by_id` text,
	`claimed_by_name` text,
	`resolved_by_id` text,
	`resolved_by_name` text,
	`opened_at` integer NOT NULL,
	`claimed_at` integer,
	`resolved_at` integer,
	`reminder_sent_at` integer
);
--> statement-breakpoint
CREATE INDEX `handoffs_conversation_id_state_idx` ON `handoffs` (`conversation_id`,`state`);--> statement-breakpoint
CREATE INDEX `handoffs_staff_channel_staff_thread_ts_idx` ON `handoffs` (`staff_channel`,`staff_thread_ts`);--> statement-breakpoint
CREATE TABLE `telegram_chat_aliases` (
	`old_chat_id` text PRIMARY KEY NOT NULL,
	`new_chat_id` text NOT NULL,
	`migrated_at` integer NOT NULL
);
