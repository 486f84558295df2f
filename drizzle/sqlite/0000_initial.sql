CREATE TABLE `accounts` (
	`customer_id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`balance_cents` integer NOT NULL,
	`currency` text DEFAULT 'USD' NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`chat_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`state` text DEFAULT 'bot' NOT NULL,
	`locale` text DEFAULT 'en' NOT NULL,
	`summary` text,
	`summary_covers_to` integer,
	`personal` integer DEFAULT false NOT NULL,
	`unreachable` integer DEFAULT false NOT NULL,
	`last_inbound_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conversations_customer_id_idx` ON `conversations` (`customer_id`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`platform_user_id` text NOT NULL,
	`display_name` text,
	`locale` text DEFAULT 'en' NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` text NOT NULL,
	`direction` text NOT NULL,
	`channel` text NOT NULL,
	`platform_message_id` text,
	`author` text NOT NULL,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	`extra` text,
	`state` text NOT NULL,
	`outcome` text,
	`reply_to_id` integer,
	`sent_platform_ids` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_channel_platform_message_id_idx` ON `messages` (`channel`,`platform_message_id`) WHERE "messages"."platform_message_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `messages_conversation_id_id_idx` ON `messages` (`conversation_id`,`id`);--> statement-breakpoint
CREATE INDEX `messages_reply_to_id_idx` ON `messages` (`reply_to_id`);--> statement-breakpoint
CREATE INDEX `messages_open_state_idx` ON `messages` (`state`) WHERE "messages"."state" IN ('received', 'processing', 'pending');--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`status` text NOT NULL,
	`total_cents` integer NOT NULL,
	`currency` text DEFAULT 'USD' NOT NULL,
	`items` text NOT NULL,
	`created_at` integer NOT NULL,
	`estimated_delivery` text
);
--> statement-breakpoint
CREATE INDEX `orders_customer_id_idx` ON `orders` (`customer_id`);--> statement-breakpoint
CREATE TABLE `request_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` integer NOT NULL,
	`conversation_id` text NOT NULL,
	`channel` text NOT NULL,
	`customer_id` text NOT NULL,
	`received_at` integer NOT NULL,
	`finished_at` integer NOT NULL,
	`end_to_end_ms` real NOT NULL,
	`queue_wait_ms` real NOT NULL,
	`provider_ms` real,
	`provider` text,
	`model` text,
	`fallback_level` integer,
	`tokens_in` integer DEFAULT 0 NOT NULL,
	`tokens_out` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`cache_hit` integer DEFAULT false NOT NULL,
	`validator_outcome` text,
	`validator_reasons` text,
	`rate_limit_outcome` text,
	`outcome` text NOT NULL,
	`error_type` text
);
--> statement-breakpoint
CREATE INDEX `request_log_finished_at_idx` ON `request_log` (`finished_at`);--> statement-breakpoint
CREATE INDEX `request_log_customer_id_finished_at_idx` ON `request_log` (`customer_id`,`finished_at`);