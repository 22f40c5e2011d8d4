CREATE TABLE `sessions` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`service` text NOT NULL,
	`src` text NOT NULL,
	`src_port` integer NOT NULL,
	`dst` text NOT NULL,
	`dst_port` integer NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer NOT NULL,
	`bytes_in` integer NOT NULL,
	`bytes_out` integer NOT NULL,
	`credentials` text NOT NULL,
	`commands` text NOT NULL,
	`payload` blob NOT NULL,
	`entropy` real NOT NULL,
	`meta` text NOT NULL,
	`end_reason` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_session_id_unique` ON `sessions` (`session_id`);--> statement-breakpoint
CREATE INDEX `sessions_ended_at` ON `sessions` (`ended_at`);--> statement-breakpoint
CREATE INDEX `sessions_src` ON `sessions` (`src`);