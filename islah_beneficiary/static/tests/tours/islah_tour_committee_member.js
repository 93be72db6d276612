import {
    checkArabic,
    registerRoleTour,
    selectSteps,
    landingSteps,
    menuSteps,
} from "@islah_beneficiary/../tests/tours/islah_tour_utils";

/**
 * A committee member, in Arabic, from the landing screen: read the request
 * on the agenda of the meeting in session, and cast their own vote with a
 * comment from "My votes". Data: tests/test_tours.py.
 */
const ON_AGENDA = "ليلى اللجنة";

registerRoleTour("islah_tour_committee_member", "/odoo", () => [
    ...landingSteps(),
    checkArabic("the member's landing"),
    ...menuSteps("islah_committee_meeting_menu", "islah_committee_menu"),
    {trigger: ".o_list_view .o_data_row .o_data_cell[name=name]", run: "click"},
    {
        content: "The request on the agenda",
        trigger: `.o_field_widget[name=decision_ids] .o_data_row:contains(${ON_AGENDA})`,
    },
    {
        content: "A member does not organise the meeting",
        trigger:
            ".o_form_statusbar:not(:has(button[name=action_close], button[name=action_pull_requests]))",
    },
    checkArabic("meeting form (member)"),
    {
        content: "Read the request's file",
        trigger: `.o_field_widget[name=decision_ids] .o_data_row:contains(${ON_AGENDA}) button[name=get_formview_action]`,
        run: "click",
    },
    {trigger: `.o_form_view .o_field_widget[name=beneficiary_id]:contains(${ON_AGENDA})`},
    checkArabic("decision form (member)"),
    ...menuSteps("islah_committee_vote_menu", "islah_committee_menu"),
    {trigger: `.o_list_view .o_data_row:contains(${ON_AGENDA})`},
    checkArabic("my votes"),
    {
        content: "Cast my vote",
        trigger: `.o_list_view .o_data_row:contains(${ON_AGENDA}) .o_data_cell[name=vote]`,
        run: "click",
    },
    ...selectSteps("vote", "موافقة", ".o_data_row.o_selected_row"),
    {
        trigger: ".o_data_row.o_selected_row .o_field_widget[name=comment] textarea",
        run: "edit الأسرة مستحقة للدعم.",
    },
    {trigger: ".o_list_button_save", run: "click"},
    {
        content: "The vote is recorded",
        trigger:
            ".o_list_view:not(:has(.o_selected_row)) .o_data_row .o_data_cell[name=voted_on]:not(:empty)",
    },
]);
