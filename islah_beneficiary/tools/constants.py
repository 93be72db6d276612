"""What the whole app agrees on, written once: the groups' XML ids, the two
sections and the genders that decide them. Fields use these selections;
code compares against these codes."""

GROUP_OFFICER = "islah_beneficiary.group_islah_beneficiary_officer"
GROUP_RESEARCHER = "islah_beneficiary.group_islah_beneficiary_researcher"
GROUP_COMMITTEE = "islah_beneficiary.group_islah_beneficiary_committee"
GROUP_MANAGER = "islah_beneficiary.group_islah_beneficiary_manager"

# the labels are translated through each field's selection (ir.model.fields.selection)
SECTION_SELECTION = [("men", "Men's section"), ("women", "Women's section")]
# a user or a contact may belong to both sections
SECTION_OR_BOTH_SELECTION = [*SECTION_SELECTION, ("both", "Both sections")]
SECTIONS = [code for code, _label in SECTION_SELECTION]

GENDER_SELECTION = [("male", "Male"), ("female", "Female")]
# the association keeps men's and women's files apart: the gender decides the section
GENDER_SECTION = {"male": "men", "female": "women"}


def section_for_gender(gender):
    """The section that serves a person of this gender (False when unknown)."""
    return GENDER_SECTION.get(gender, False)


# Requests: the states by stage
OPEN_STATES = ("received", "verification", "research", "committee")
DECIDED_STATES = ("approved", "rejected", "in_service", "done")
ALL_STATES = (*OPEN_STATES, *DECIDED_STATES, "cancelled")
