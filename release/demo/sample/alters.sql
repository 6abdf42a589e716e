BEGIN;

-- add by kchen 20230412 longer titles on accounts_profile
ALTER TABLE `accounts_profile` MODIFY COLUMN `title` varchar(40) COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT '';

# add by mpatel 20230503 index delivery logs by status for the retry job
ALTER TABLE `messaging_deliverylog` ADD INDEX `messaging_deliverylog_status` (`status`);

-- add by kchen 20230503 patients preferred language
ALTER TABLE `patients_patient` ADD COLUMN `language` varchar(20) COLLATE utf8mb4_unicode_ci DEFAULT NULL;

-- add by jlee 20230619 practice website, intake note and insurance id on patients
ALTER TABLE `clinics_practice` ADD COLUMN `website` varchar(200) COLLATE utf8mb4_unicode_ci DEFAULT NULL;
aLTER TABLE `clinics_practice` ADD COLUMN `intake_note` longtext COLLATE utf8mb4_unicode_ci DEFAULT NULL;
ALTER TABLE `patients_patient` ADD COLUMN `insurance_id` varchar(30) COLLATE utf8mb4_unicode_ci NOT NULL;

# add by mpatel 20230619 the plus plan was folded into team
UPDATE `billing_account` SET `plan` = 'team' WHERE `plan` = 'plus';

-- add by kchen 20230802 allow null on practice fax
ALTER TABLE `clinics_practice` MODIFY COLUMN `fax` varchar(20) COLLATE utf8mb4_unicode_ci DEFAULT NULL;

-- alter: 2025-11-provider-languages
-- author: jlee
-- ticket: PW-412
ALTER TABLE `accounts_provider` ADD COLUMN `languages` varchar(100) NOT NULL DEFAULT '', ALGORITHM=INSTANT;

-- alter: 2025-12-optout-source
-- author: mpatel
-- where an opt-out came from (an SMS keyword, the web form, a support call)
ALTER TABLE `messaging_optout` ADD COLUMN `source` varchar(12) DEFAULT NULL, ALGORITHM=INSTANT;

COMMIT;
