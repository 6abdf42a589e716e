"""The sample application's schema: "Pagewell", a fictional Django clinic messaging and paging
product on MariaDB. Pure text, in the order a mysqldump would create it.

Shaped like a real one: Django's own tables (auth_user, django_session, django_site), app
tables named app_model, foreign keys, a unique email, tables keyed by two columns, a table with
no integer key (messaging_optout, keyed by the phone number itself), a trigger and a view.
"""

from __future__ import annotations

OPTIONS = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"
_ID = "`id` int(11) NOT NULL AUTO_INCREMENT"

TABLES: dict[str, str] = {
    "django_site": f"""{_ID},
  `domain` varchar(100) NOT NULL,
  `name` varchar(50) NOT NULL,
  PRIMARY KEY (`id`)""",
    "django_migrations": f"""{_ID},
  `app` varchar(255) NOT NULL,
  `name` varchar(255) NOT NULL,
  `applied` datetime(6) NOT NULL,
  PRIMARY KEY (`id`)""",
    "auth_user": f"""{_ID},
  `password` varchar(128) NOT NULL,
  `last_login` datetime DEFAULT NULL,
  `is_superuser` tinyint(1) NOT NULL DEFAULT 0,
  `username` varchar(150) NOT NULL,
  `first_name` varchar(150) NOT NULL,
  `last_name` varchar(150) NOT NULL,
  `email` varchar(254) NOT NULL,
  `is_staff` tinyint(1) NOT NULL DEFAULT 0,
  `is_active` tinyint(1) NOT NULL DEFAULT 1,
  `date_joined` datetime NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `auth_user_username_uniq` (`username`),
  UNIQUE KEY `auth_user_email_uniq` (`email`)""",
    "django_session": """`session_key` varchar(40) NOT NULL,
  `session_data` longtext NOT NULL,
  `expire_date` datetime NOT NULL,
  PRIMARY KEY (`session_key`),
  KEY `django_session_expire_date` (`expire_date`)""",
    "accounts_profile": """`user_id` int(11) NOT NULL,
  `title` varchar(30) NOT NULL DEFAULT '',
  `phone` varchar(20) NOT NULL DEFAULT '',
  `mobile_phone` varchar(20) NOT NULL DEFAULT '',
  `address1` varchar(200) NOT NULL DEFAULT '',
  `address2` varchar(200) NOT NULL DEFAULT '',
  `city` varchar(60) NOT NULL DEFAULT '',
  `state` varchar(2) NOT NULL DEFAULT '',
  `zip` varchar(10) NOT NULL DEFAULT '',
  `updated_at` datetime DEFAULT NULL,
  PRIMARY KEY (`user_id`),
  CONSTRAINT `accounts_profile_user_fk` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`)""",
    "clinics_answeringservice": f"""{_ID},
  `name` varchar(100) NOT NULL,
  `phone` varchar(20) NOT NULL,
  `after_hours_line` varchar(20) NOT NULL,
  `contact_email` varchar(100) NOT NULL,
  `street` varchar(200) NOT NULL,
  `postal_code` varchar(10) NOT NULL,
  PRIMARY KEY (`id`)""",
    "clinics_practice": f"""{_ID},
  `name` varchar(100) NOT NULL,
  `address1` varchar(200) NOT NULL,
  `address2` varchar(200) NOT NULL DEFAULT '',
  `city` varchar(60) NOT NULL,
  `state` varchar(2) NOT NULL,
  `zip` varchar(10) NOT NULL,
  `phone` varchar(20) NOT NULL,
  `fax` varchar(20) NOT NULL DEFAULT '',
  `answering_service_id` int(11) DEFAULT NULL,
  `time_zone` varchar(64) NOT NULL,
  PRIMARY KEY (`id`),
  KEY `clinics_practice_service` (`answering_service_id`),
  CONSTRAINT `clinics_practice_service_fk` FOREIGN KEY (`answering_service_id`)
    REFERENCES `clinics_answeringservice` (`id`)""",
    "clinics_practice_members": """`practice_id` int(11) NOT NULL,
  `user_id` int(11) NOT NULL,
  `role` varchar(20) NOT NULL,
  `joined` date NOT NULL,
  PRIMARY KEY (`practice_id`, `user_id`),
  KEY `clinics_practice_members_user` (`user_id`),
  CONSTRAINT `clinics_practice_members_practice_fk` FOREIGN KEY (`practice_id`)
    REFERENCES `clinics_practice` (`id`),
  CONSTRAINT `clinics_practice_members_user_fk` FOREIGN KEY (`user_id`)
    REFERENCES `auth_user` (`id`)""",
    "accounts_provider": f"""{_ID},
  `user_id` int(11) NOT NULL,
  `npi` varchar(10) NOT NULL,
  `specialty` varchar(60) NOT NULL,
  `office_phone` varchar(20) NOT NULL DEFAULT '',
  `pager` varchar(20) NOT NULL DEFAULT '',
  `fax` varchar(20) NOT NULL DEFAULT '',
  `office_address` varchar(200) NOT NULL DEFAULT '',
  `twilio_number` varchar(20) NOT NULL DEFAULT '',
  `twilio_number_sid` varchar(34) NOT NULL DEFAULT '',
  `forward_voicemail` varchar(2) NOT NULL DEFAULT 'MO',
  PRIMARY KEY (`id`),
  UNIQUE KEY `accounts_provider_user` (`user_id`),
  CONSTRAINT `accounts_provider_user_fk` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`)""",
    "clinics_staff": f"""{_ID},
  `user_id` int(11) NOT NULL,
  `practice_id` int(11) NOT NULL,
  `position` varchar(40) NOT NULL,
  `extension` varchar(6) NOT NULL DEFAULT '',
  `desk_phone` varchar(20) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  KEY `clinics_staff_practice` (`practice_id`),
  CONSTRAINT `clinics_staff_user_fk` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`),
  CONSTRAINT `clinics_staff_practice_fk` FOREIGN KEY (`practice_id`)
    REFERENCES `clinics_practice` (`id`)""",
    "patients_patient": f"""{_ID},
  `practice_id` int(11) NOT NULL,
  `mrn` varchar(20) NOT NULL,
  `first_name` varchar(60) NOT NULL,
  `last_name` varchar(60) NOT NULL,
  `birth_date` date NOT NULL,
  `phone` varchar(20) NOT NULL DEFAULT '',
  `email` varchar(120) NOT NULL DEFAULT '',
  `address1` varchar(200) NOT NULL DEFAULT '',
  `zip` varchar(10) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  KEY `patients_patient_practice` (`practice_id`),
  CONSTRAINT `patients_patient_practice_fk` FOREIGN KEY (`practice_id`)
    REFERENCES `clinics_practice` (`id`)""",
    "messaging_message": f"""{_ID},
  `sender_id` int(11) NOT NULL,
  `practice_id` int(11) NOT NULL,
  `patient_id` int(11) DEFAULT NULL,
  `subject` varchar(120) NOT NULL,
  `body` longtext NOT NULL,
  `urgent` tinyint(1) NOT NULL DEFAULT 0,
  `sent_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  KEY `messaging_message_sender` (`sender_id`),
  KEY `messaging_message_practice` (`practice_id`),
  CONSTRAINT `messaging_message_sender_fk` FOREIGN KEY (`sender_id`) REFERENCES `auth_user` (`id`),
  CONSTRAINT `messaging_message_practice_fk` FOREIGN KEY (`practice_id`)
    REFERENCES `clinics_practice` (`id`)""",
    "messaging_messagerecipient": """`message_id` int(11) NOT NULL,
  `user_id` int(11) NOT NULL,
  `read_at` datetime DEFAULT NULL,
  PRIMARY KEY (`message_id`, `user_id`),
  KEY `messaging_messagerecipient_user` (`user_id`),
  CONSTRAINT `messaging_messagerecipient_message_fk` FOREIGN KEY (`message_id`)
    REFERENCES `messaging_message` (`id`),
  CONSTRAINT `messaging_messagerecipient_user_fk` FOREIGN KEY (`user_id`)
    REFERENCES `auth_user` (`id`)""",
    "messaging_deliverylog": f"""{_ID},
  `message_id` int(11) NOT NULL,
  `channel` varchar(8) NOT NULL,
  `tx_number` varchar(20) NOT NULL,
  `confirmation` varchar(40) NOT NULL DEFAULT '',
  `status` varchar(12) NOT NULL,
  `created` datetime NOT NULL,
  PRIMARY KEY (`id`),
  KEY `messaging_deliverylog_message` (`message_id`),
  CONSTRAINT `messaging_deliverylog_message_fk` FOREIGN KEY (`message_id`)
    REFERENCES `messaging_message` (`id`)""",
    "messaging_optout": """`number` varchar(20) NOT NULL,
  `keyword` varchar(12) NOT NULL,
  `created` datetime NOT NULL,
  PRIMARY KEY (`number`)""",
    "paging_pagerlog": f"""{_ID},
  `provider_id` int(11) NOT NULL,
  `pager_number` varchar(20) NOT NULL,
  `callback` varchar(20) NOT NULL,
  `page_text` varchar(255) NOT NULL DEFAULT '',
  `sent_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  KEY `paging_pagerlog_provider` (`provider_id`),
  CONSTRAINT `paging_pagerlog_provider_fk` FOREIGN KEY (`provider_id`)
    REFERENCES `accounts_provider` (`id`)""",
    "callcenter_calllog": f"""{_ID},
  `call_sid` varchar(34) NOT NULL,
  `caller` varchar(20) NOT NULL,
  `called` varchar(20) NOT NULL,
  `provider_id` int(11) DEFAULT NULL,
  `duration` int(11) NOT NULL DEFAULT 0,
  `started_at` datetime NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `callcenter_calllog_sid` (`call_sid`),
  CONSTRAINT `callcenter_calllog_provider_fk` FOREIGN KEY (`provider_id`)
    REFERENCES `accounts_provider` (`id`)""",
    "invites_invitation": f"""{_ID},
  `sender_id` int(11) NOT NULL,
  `practice_id` int(11) NOT NULL,
  `recipient` varchar(254) NOT NULL,
  `code` varchar(32) NOT NULL,
  `accepted` tinyint(1) NOT NULL DEFAULT 0,
  `created` datetime NOT NULL,
  PRIMARY KEY (`id`),
  CONSTRAINT `invites_invitation_sender_fk` FOREIGN KEY (`sender_id`) REFERENCES `auth_user` (`id`),
  CONSTRAINT `invites_invitation_practice_fk` FOREIGN KEY (`practice_id`)
    REFERENCES `clinics_practice` (`id`)""",
    "billing_account": f"""{_ID},
  `practice_id` int(11) NOT NULL,
  `plan` varchar(20) NOT NULL,
  `card_last4` varchar(4) NOT NULL DEFAULT '',
  `billing_email` varchar(254) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  UNIQUE KEY `billing_account_practice` (`practice_id`),
  CONSTRAINT `billing_account_practice_fk` FOREIGN KEY (`practice_id`)
    REFERENCES `clinics_practice` (`id`)""",
    "billing_invoice": f"""{_ID},
  `account_id` int(11) NOT NULL,
  `amount_cents` int(11) NOT NULL,
  `issued_on` date NOT NULL,
  `remit_note` varchar(200) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  CONSTRAINT `billing_invoice_account_fk` FOREIGN KEY (`account_id`)
    REFERENCES `billing_account` (`id`)""",
    "schedules_oncallshift": f"""{_ID},
  `practice_id` int(11) NOT NULL,
  `provider_id` int(11) NOT NULL,
  `starts_at` datetime NOT NULL,
  `ends_at` datetime NOT NULL,
  `notes` varchar(200) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  CONSTRAINT `schedules_oncallshift_practice_fk` FOREIGN KEY (`practice_id`)
    REFERENCES `clinics_practice` (`id`),
  CONSTRAINT `schedules_oncallshift_provider_fk` FOREIGN KEY (`provider_id`)
    REFERENCES `accounts_provider` (`id`)""",
}

# Keeps `updated_at` honest whatever writes the row (the application, an alter, a scrub).
TRIGGER = """DELIMITER ;;
CREATE TRIGGER `accounts_profile_touch` BEFORE UPDATE ON `accounts_profile`
FOR EACH ROW BEGIN
  SET NEW.updated_at = NOW();
END;;
DELIMITER ;
"""

# Who is on call now, as the answering service's console reads it.
VIEW = """CREATE VIEW `schedules_oncall_now` AS
SELECT s.id AS shift_id, p.name AS practice, u.last_name AS provider, pr.pager AS pager
FROM schedules_oncallshift s
JOIN clinics_practice p ON p.id = s.practice_id
JOIN accounts_provider pr ON pr.id = s.provider_id
JOIN auth_user u ON u.id = pr.user_id
WHERE NOW() BETWEEN s.starts_at AND s.ends_at;
"""


def create_tables_sql(names: list[str] | None = None) -> str:
    """CREATE TABLE statements for `names` (default: all), in dependency order."""
    chosen = [name for name in TABLES if names is None or name in names]
    return "".join(f"CREATE TABLE `{name}` (\n  {TABLES[name]}\n) {OPTIONS};\n\n"
                   for name in chosen)
