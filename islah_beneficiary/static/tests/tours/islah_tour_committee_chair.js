import {
    checkArabic,
    registerRoleTour,
    landingSteps,
    menuSteps,
} from "@islah_beneficiary/../tests/tours/islah_tour_utils";

/**
 * The committee chair, in Arabic, from the landing screen: open the meeting
 * in session, vote on the request of the agenda from its decision, close the
 * meeting (which applies the decisions), and send the decision letter.
 * Data: tests/test_tours.py (the other members have voted).
 */
const ON_AGENDA = "ليلى اللجنة";
const FORM_STEP = ".o_statusbar_status button.o_arrow_button_current";

registerRoleTour("islah_tour_committee_chair", "/odoo", () => [
    ...landingSteps(),
    checkArabic("the chair's landing"),
    ...menuSteps("islah_committee_meeting_menu", "islah_committee_menu"),
    {trigger: ".o_list_view .o_data_row .o_data_cell[name=name]", run: "click"},
    {trigger: `${FORM_STEP}:contains(قيد الانعقاد)`},
    checkArabic("meeting in session (chair)"),
    {
        content: "Open the decision on the request",
        trigger: `.o_field_widget[name=decision_ids] .o_data_row:contains(${ON_AGENDA}) button[name=get_formview_action]`,
        run: "click",
    },
    {trigger: ".o_notebook a.nav-link[name=votes]", run: "click"},
    checkArabic("decision votes (chair)"),
    {
        content: "The chair votes",
        trigger: ".o_field_widget[name=vote_ids] .o_data_row button[name=action_vote_approve]",
        run: "click",
    },
    {
        content: "The chair's vote is counted: every member approves",
        trigger: ".o_field_widget[name=approve_count]:contains(3)",
    },
    {content: "Back to the meeting", trigger: ".o_control_panel .o_back_button a", run: "click"},
    {content: "Close the meeting", trigger: "button[name=action_close]", run: "click"},
    checkArabic("closing confirmation"),
    {trigger: ".modal-footer .btn-primary", run: "click"},
    {content: "Closed", trigger: `${FORM_STEP}:contains(مغلق)`},
    checkArabic("closed meeting"),
    {
        content: "Open the decision from the closed agenda",
        trigger: `.o_field_widget[name=decision_ids] .o_data_row:contains(${ON_AGENDA}) button[name=get_formview_action]`,
        run: "click",
    },
    {content: "Approved", trigger: `${FORM_STEP}:contains(مقبول)`},
    checkArabic("final decision"),
    {
        // the shipped automation e-mails it on closing when the beneficiary has an address
        isActive: ["button[name=action_send_decision_letter]"],

        content: "Send the decision letter",
        trigger: "button[name=action_send_decision_letter]",
        run: "click",
    },
    {trigger: ".o_notebook a.nav-link[name=letter]", run: "click"},
    {
        content: "The letter is numbered and the notification recorded",
        trigger: ".o_field_widget[name=notified_on]:not(:empty)",
    },
    checkArabic("decision letter"),
]);
