CREATE TABLE `protected_set` (
	`address` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`note` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `bans` ADD `confidence` text DEFAULT 'verified' NOT NULL;