CREATE TABLE `facts` (
	`key` text PRIMARY KEY NOT NULL,
	`cluster` text NOT NULL,
	`value` text NOT NULL,
	`kind` text NOT NULL,
	`origin_peer` text NOT NULL,
	`at` integer NOT NULL,
	`keep_until` integer NOT NULL,
	`wire` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `facts_cluster` ON `facts` (`cluster`);--> statement-breakpoint
CREATE INDEX `facts_keep_until` ON `facts` (`keep_until`);--> statement-breakpoint
CREATE TABLE `peers` (
	`peer_id` text PRIMARY KEY NOT NULL,
	`cluster` text NOT NULL,
	`node_id` text,
	`trust` text NOT NULL,
	`address` text,
	`connected` integer NOT NULL,
	`first_seen` integer NOT NULL,
	`last_seen` integer NOT NULL,
	`msgs_in` integer NOT NULL,
	`msgs_out` integer NOT NULL,
	`rejected` integer NOT NULL,
	`rate_limited` integer NOT NULL,
	`penalties` integer NOT NULL,
	`score` real NOT NULL,
	`last_reject` text
);
