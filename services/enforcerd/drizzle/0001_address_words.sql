ALTER TABLE `bans` RENAME COLUMN `value` TO `address`;--> statement-breakpoint
ALTER TABLE `bans` RENAME COLUMN `target` TO `kind`;--> statement-breakpoint
ALTER TABLE `offences` RENAME COLUMN `value` TO `address`;--> statement-breakpoint
ALTER TABLE `tombstones` RENAME COLUMN `value` TO `address`;--> statement-breakpoint
ALTER TABLE `allowlist` RENAME COLUMN `cidr` TO `address`;--> statement-breakpoint
UPDATE `bans` SET `evidence` = (SELECT json_group_array(json_object('kind', 'other', 'summary', substr(j.value, 1, 256))) FROM json_each(`bans`.`evidence`) AS j) WHERE json_valid(`evidence`) AND json_type(`evidence`, '$[0]') = 'text';
