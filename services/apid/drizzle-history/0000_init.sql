CREATE TABLE `history_minutes` (
	`minute` integer PRIMARY KEY NOT NULL,
	`bans_added` integer NOT NULL,
	`bans_ended` integer NOT NULL,
	`bans_active` integer NOT NULL,
	`decisions` integer NOT NULL,
	`hits` integer NOT NULL,
	`sessions` integer NOT NULL,
	`xdp_dropped` integer NOT NULL,
	`xdp_passed` integer NOT NULL
);
