ALTER TABLE `offence_history` RENAME COLUMN `value` TO `address`;
