import {
    checkArabic,
    registerRoleTour,
    landingSteps,
    menuSteps,
    pickAutocomplete,
} from "@islah_beneficiary/../tests/tours/islah_tour_utils";

/**
 * The committee secretary, in Arabic, from the landing screen: plan a
 * meeting (members, chair, secretary, attendees), pull the requests waiting
 * for a decision onto its agenda, open the session and write the minutes.
 * Data: tests/test_tours.py (the committee users, a request before it).
 */
const CHAIR = "رئيس اللجنة";
const SECRETARY = "أمين اللجنة";
const MEMBER = "عضو اللجنة";
const ON_AGENDA = "ليلى اللجنة";

function addUser(field, name) {
    return [
        {trigger: `.o_field_widget[name=${field}] input`, run: `edit ${name}`},
        pickAutocomplete(name),
        // The tag, not the widget: the open dropdown also holds the name,
        // and typing the next one before the tag is there loses this one.
        {trigger: `.o_field_widget[name=${field}] .o_tag:contains(${name})`},
    ];
}

function setUser(field, name) {
    return [
        {trigger: `.o_field_widget[name=${field}] input`, run: `edit ${name}`},
        pickAutocomplete(name),
        {trigger: `.o_field_widget[name=${field}] input:value(${name})`},
    ];
}

registerRoleTour("islah_tour_committee_secretary", "/odoo", () => [
    ...landingSteps(),
    checkArabic("the secretary's landing"),
    ...menuSteps("islah_committee_meeting_menu", "islah_committee_menu"),
    {trigger: ".o_list_view"},
    checkArabic("committee meetings"),
    {content: "Plan a meeting", trigger: ".o_list_button_add", run: "click"},
    ...addUser("member_ids", CHAIR),
    ...addUser("member_ids", SECRETARY),
    ...addUser("member_ids", MEMBER),
    ...setUser("chair_id", CHAIR),
    ...setUser("secretary_id", SECRETARY),
    ...addUser("attendee_ids", CHAIR),
    ...addUser("attendee_ids", SECRETARY),
    ...addUser("attendee_ids", MEMBER),
    checkArabic("new meeting form"),
    {trigger: ".o_form_button_save", run: "click"},
    {trigger: ".o_form_saved"},
    {content: "The agenda", trigger: "button[name=action_pull_requests]", run: "click"},
    {
        content: "The waiting request is on the agenda",
        trigger: `.o_field_widget[name=decision_ids] .o_data_row:contains(${ON_AGENDA})`,
    },
    {content: "Open the session", trigger: "button[name=action_start_session]", run: "click"},
    {
        content: "In session",
        trigger: ".o_statusbar_status button.o_arrow_button_current:contains(قيد الانعقاد)",
    },
    checkArabic("meeting in session"),
    {trigger: ".o_notebook a.nav-link[name=minutes]", run: "click"},
    {
        content: "The minutes",
        trigger: ".o_field_widget[name=minutes] .odoo-editor-editable",
        run: "editor ناقشت اللجنة الطلبات المعروضة على جدول الأعمال.",
    },
    {trigger: ".o_form_button_save", run: "click"},
    {trigger: ".o_form_saved"},
]);
