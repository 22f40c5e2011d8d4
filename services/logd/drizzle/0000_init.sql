CREATE TABLE `failures` (
	`jail` text NOT NULL,
	`address` text NOT NULL,
	`at` integer NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`jail`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `failures_jail_address` ON `failures` (`jail`,`address`,`at`);--> statement-breakpoint
CREATE TABLE `positions` (
	`path` text PRIMARY KEY NOT NULL,
	`inode` integer NOT NULL,
	`offset` integer NOT NULL,
	`last_line_hash` text NOT NULL,
	`updated_at` integer NOT NULL
);
