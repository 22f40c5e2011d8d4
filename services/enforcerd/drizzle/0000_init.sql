CREATE TABLE `allowlist` (
	`cidr` text PRIMARY KEY NOT NULL,
	`note` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `bans` (
	`value` text PRIMARY KEY NOT NULL,
	`target` text NOT NULL,
	`reasons` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`origin` text NOT NULL,
	`source` text NOT NULL,
	`offence` integer NOT NULL,
	`evidence` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `bans_expires_at` ON `bans` (`expires_at`);--> statement-breakpoint
CREATE TABLE `offences` (
	`value` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	`last_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tombstones` (
	`value` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`origin` text NOT NULL
);
