"""Whether a `name` column holds people's names (pure): by what its table holds, or by what
its values look like.

A bare `name` is a clinic's, a product's, a group's as often as a person's, so the column's own
name cannot say (`personal.name_reason` leaves it alone). Two things can:

- the table: Django names a table `<app>_<model>`, and a model called patient, user, customer,
  member, person, contact, provider, physician, staff, employee, client, guardian (and the like)
  holds people. The model's last word decides (`physiciangroup` is a group, `mhluser` a user).
- the values: most of them shaped like a person's name (two to four capitalised words, or
  `Last, First`, no word of an organisation or a product) and a good share starting with a
  common given name. Both patterns are PCRE for the server's REGEXP, which the collation makes
  case-insensitive (`(?-i:...)` keeps a capital a capital); Python's `re` reads them too.
"""

from __future__ import annotations

import re

from release.db.clones.personal import words

NAME_COLUMNS = frozenset({("name",), ("full", "name"), ("fullname",), ("display", "name"),
                          ("displayname",)})
PEOPLE = frozenset({
    "patient", "user", "customer", "member", "person", "people", "contact", "provider",
    "physician", "doctor", "nurse", "staff", "employee", "client", "guardian", "parent",
    "caregiver", "caretaker", "student", "teacher", "owner", "resident", "subscriber",
    "recipient", "sender", "caller", "profile", "practitioner", "clinician", "attendee",
    "applicant", "candidate", "volunteer", "visitor", "guest", "driver", "spouse", "dependent",
    "relative", "beneficiary", "therapist", "dentist", "surgeon", "pharmacist", "referrer",
    "householder", "tenant", "agent", "representative", "author", "signer", "kin", "child",
    "worker", "consultant", "manager", "emergencycontact"})
# a model named for a thing holds no people even when a word of it is one (`patient_type`)
THINGS = frozenset({
    "product", "practice", "clinic", "organization", "organisation", "company", "group",
    "plan", "item", "category", "service", "site", "team", "department", "location",
    "facility", "hospital", "pharmacy", "office", "store", "brand", "vendor", "supplier",
    "feature", "tag", "template", "report", "project", "device", "app", "application", "role",
    "permission", "type", "kind", "status", "config", "setting", "specialty", "holiday",
    "filter", "file", "log", "message", "event", "queue", "job", "task", "option", "choice",
    "language", "country", "city", "region", "model", "version", "release", "migration"})

_HONORIFIC = r"(?:(?:dr|mr|mrs|ms|miss|mx|prof|rev)\.? +)"
_WORD = r"(?-i:[A-ZÀ-Ý][A-Za-zÀ-ÿ'-]+)"
_INITIAL = r"(?:(?-i:[A-Z])\.? +)"
_SUFFIX = r"(?:,? +(?:jr|sr|ii|iii|iv|md|do|rn|np|pa|phd)\.?)"
_ORGANISATIONS = (
    "clinic", "practice", "medical", "medicine", "health", "healthcare", "care", "center",
    "centre", "group", "associates", "partners", "pediatrics", "family", "services", "service",
    "pharmacy", "hospital", "lab", "labs", "laboratory", "dental", "inc", "llc", "ltd", "corp",
    "company", "co", "foundation", "institute", "university", "school", "network", "systems",
    "solutions", "answering", "office", "department", "team", "plan", "pro", "plus", "premium",
    "basic", "standard", "edition", "suite", "app", "the", "and", "of", "for", "&")
_NO_ORGANISATION = r"(?!.*(?<![\w'])(?:" + "|".join(re.escape(w) for w in _ORGANISATIONS) + \
    r")(?![\w']))"
# the whole value: "Maria Lopez", "Dr. Maria J. Lopez", "Lopez, Maria", "Lopez-Diaz, Maria J."
PERSON_NAME = (rf"^{_NO_ORGANISATION} *(?:{_HONORIFIC}?{_WORD}(?: +{_INITIAL}?{_WORD}){{1,3}}"
               rf"{_SUFFIX}?|{_WORD}(?: +{_WORD})?, +{_WORD}(?: +{_INITIAL}?{_WORD})?) *$")
GIVEN_NAMES = (
    "aaron", "abdul", "adam", "adrian", "ahmed", "aisha", "alan", "albert", "alex",
    "alexander", "alexandra", "alice", "alicia", "alison", "amanda", "amber", "amir", "amy",
    "ana", "andrea", "andrew", "angela", "anita", "ann", "anna", "anne", "anthony", "antonio",
    "arjun", "arthur", "ashley", "barbara", "benjamin", "beth", "betty", "bill", "bob",
    "brandon", "brenda", "brian", "bruce", "carl", "carlos", "carmen", "carol", "caroline",
    "catherine", "charles", "charlotte", "chen", "cheryl", "chloe", "chris", "christina",
    "christine", "christopher", "claire", "cynthia", "daniel", "david", "deborah", "debra",
    "denise", "dennis", "diana", "diane", "donald", "donna", "dorothy", "douglas", "dylan",
    "edward", "elena", "elizabeth", "ella", "emily", "emma", "eric", "ethan", "eugene",
    "fatima", "frances", "francisco", "frank", "gabriel", "gary", "george", "gloria", "grace",
    "gregory", "hannah", "harold", "hassan", "heather", "helen", "henry", "hiroshi", "hui",
    "ian", "isabel", "isabella", "jack", "jacob", "james", "jamal", "jan", "jane", "janet",
    "jason", "javier", "jean", "jeffrey", "jennifer", "jeremy", "jerry", "jesse", "jessica",
    "jin", "joan", "joe", "john", "jonathan", "jorge", "jose", "joseph", "joshua", "joyce",
    "juan", "judith", "judy", "julia", "julie", "justin", "karen", "katherine", "kathleen",
    "kathryn", "kayla", "keith", "kelly", "kenneth", "kevin", "kim", "kimberly", "kyle",
    "larry", "laura", "lauren", "lawrence", "li", "lily", "linda", "lisa", "louis", "lucas",
    "luis", "madison", "maria", "marie", "marilyn", "mark", "martha", "martin", "mary",
    "matthew", "megan", "melissa", "michael", "michelle", "miguel", "mohammed", "muhammad",
    "nancy", "natalie", "nathan", "nicholas", "nicole", "noah", "olivia", "omar", "pamela",
    "patricia", "patrick", "paul", "peter", "philip", "priya", "rachel", "rahul", "raj",
    "ralph", "randy", "raymond", "rebecca", "richard", "robert", "roger", "ronald", "rose",
    "roy", "russell", "ruth", "ryan", "samantha", "samuel", "sandra", "sara", "sarah", "scott",
    "sean", "sharon", "shirley", "sofia", "sophia", "stephanie", "stephen", "steven", "susan",
    "teresa", "terry", "thomas", "timothy", "tyler", "victoria", "vincent", "virginia",
    "walter", "wayne", "wei", "william", "yan", "yusuf", "zachary", "zhang", "josé", "maría",
    "andrés", "jesús", "raúl", "sofía", "lucía", "rené", "zoë", "chloé")
_GIVEN = "(?:" + "|".join(GIVEN_NAMES) + r")(?![\w'])"
# a value that starts with a given name (after a title), or has one after `Last, `
GIVEN_NAME = rf"^ *(?:{_HONORIFIC}?{_GIVEN}|[^,]+, +{_GIVEN})"
MOST = 0.5        # more than this share of the values shaped like a name ...
GIVEN_SHARE = 0.2  # ... and at least this share starting with a common given name


def _model_head(table: str) -> str:
    """The last word of a table's model: `patient` of `patients_patient`, `mhluser` of
    `MHLUsers_mhluser` (a table without `_` is all model)."""
    parts = words(table.split("_", 1)[-1])
    return parts[-1] if parts else ""


def people_table(table: str) -> str | None:
    """The word that says a table holds people (`patient` for `patients_patient`), or None."""
    head = _model_head(table)
    singular = {head, head.removesuffix("s"), head.removesuffix("es")}
    if found := sorted(singular & PEOPLE):
        return found[0]
    if singular & THINGS or any(head.endswith(t) for t in THINGS if len(t) >= 4):
        return None
    return next((p for p in sorted(PEOPLE) if len(p) >= 4 and head.endswith(p)), None)


def table_reason(table: str, column: str) -> str | None:
    """Why a `name`-like column of this table holds people's names, by the table; None when
    the table does not say (or the column is no name column)."""
    if tuple(words(column)) not in NAME_COLUMNS:
        return None
    who = people_table(table)
    return f"name says a person's name ({table} holds people: {who})" if who else None


def names_a_thing(table: str) -> bool:
    """Whether the table's model is a thing (a product, a practice, a group...)."""
    head = _model_head(table)
    return people_table(table) is None and (
        head.removesuffix("s") in THINGS or any(head.endswith(t) for t in THINGS if len(t) >= 4))


def may_hold_names(column: str) -> bool:
    """A column whose values are worth asking whether they are people's names."""
    return any(part.endswith("name") for part in words(column))


def looks_like_people(values: int, shaped: int, given: int) -> bool:
    """Most of the non-empty values are shaped like people's names, many start with one."""
    return values > 0 and shaped > MOST * values and given >= max(1.0, GIVEN_SHARE * values)


def initials(value: str) -> str:
    """A name masked for a report: `M*** L***`."""
    return " ".join(f"{part[0]}***" for part in value.replace(",", " ").split()) or "***"
