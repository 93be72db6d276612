"""What the retention (PDPL) anonymisation of a beneficiary's file keeps and
clears: request states, the placeholder ID, and the personal fields of each
model it overwrites. Plain data, read by ``islah.beneficiary.retention.mixin``."""

# A request still being handled keeps the file: anything but these states,
# unless it is archived.
CLOSED_REQUEST_STATES = ("done", "cancelled", "rejected")
APPROVED_REQUEST_STATES = ("approved", "in_service", "done")
# The national ID is required and unique per company: an anonymised file
# holds this prefix and its own id instead (never a valid 10-digit number).
ANONYMISED_ID_PREFIX = "ANON-"
# beneficiaries anonymised per committed batch of the scheduled action
RETENTION_BATCH_SIZE = 50
# Tracked fields whose history (old and new values) reveals who the person
# is or what they told the association; a many2one to these models also
# stores the record's name in the tracking value.
SENSITIVE_TRACKED_FIELDS = frozenset(
    {
        "name",
        "national_id",
        "iban",
        "phone",
        "email",
        "email_from",
        "email_cc",
        "contact_name",
        "partner_name",
        "street",
        "street2",
        "zip",
        "district",
        "birth_date",
        "monthly_income",
        "research_report",
        "description",
        "islah_national_id",
        "islah_need",
        "website",
        "function",
        "comment",
    }
)
NAMED_MODELS = frozenset({"islah.beneficiary", "res.partner", "crm.lead", "islah.support.request"})
# What a lead (the intake, or an inquiry) copied of the person.
LEAD_PERSONAL_FIELDS = (
    "contact_name",
    "partner_name",
    "email_from",
    "email_cc",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "function",
    "website",
    "description",
    "islah_national_id",
    "islah_need",
    "islah_submit_ip",
    "islah_email_token",
)
# The contact's fields cleared (city, region, country and language are kept:
# the lists group files by city, and alone they identify no one).
PARTNER_PERSONAL_FIELDS = (
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "vat",
    "website",
    "function",
    "comment",
    "ref",
    "company_name",
    "image_1920",
)
