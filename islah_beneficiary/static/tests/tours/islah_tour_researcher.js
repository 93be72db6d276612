import {
    checkArabic,
    registerRoleTour,
    landingSteps,
    menuSteps,
} from "@islah_beneficiary/../tests/tours/islah_tour_utils";

/**
 * The social researcher's day, in Arabic, from the landing screen: open a
 * request assigned to them, record the visit and the report, submit it to
 * the committee; send another one back to verification, saying why.
 * Data: tests/test_tours.py (two requests in social research).
 */
const TO_SUBMIT = "فاطمة البحث";
const TO_RETURN = "عمر الإعادة";
const FORM_STEP = ".o_statusbar_status button.o_arrow_button_current";

registerRoleTour("islah_tour_researcher", "/odoo", () => [
    ...landingSteps(),
    checkArabic("the researcher's landing"),
    ...menuSteps("islah_support_request_menu"),
    {trigger: `.o_list_view .o_data_row:contains(${TO_SUBMIT})`},
    checkArabic("the researcher's requests"),
    {
        content: "Open the request to study",
        trigger: `.o_list_view .o_data_row:contains(${TO_SUBMIT}) .o_data_cell[name=name]`,
        run: "click",
    },
    {content: "In social research", trigger: `${FORM_STEP}:contains(البحث الاجتماعي)`},
    {trigger: ".o_notebook a.nav-link[name=research]", run: "click"},
    checkArabic("request in social research"),
    {content: "The visit date", trigger: ".o_field_widget[name=visit_date] input", run: "click"},
    {trigger: ".o_datetime_picker .o_date_item_cell.o_today", run: "click"},
    {
        content: "The research report",
        trigger: ".o_field_widget[name=research_report] .odoo-editor-editable",
        run: "editor زارت الباحثة الأسرة وتوصي بتقديم الدعم.",
    },
    {trigger: ".o_form_button_save", run: "click"},
    {trigger: ".o_form_saved"},
    {
        content: "Submit to the committee",
        trigger: "button[name=action_submit_research]",
        run: "click",
    },
    {content: "Before the committee", trigger: `${FORM_STEP}:contains(لجنة البحث)`},

    // the other request goes back to the officer
    {content: "Back to the list", trigger: ".o_control_panel .o_back_button a", run: "click"},
    {
        trigger: `.o_list_view .o_data_row:contains(${TO_RETURN}) .o_data_cell[name=name]`,
        run: "click",
    },
    {trigger: `${FORM_STEP}:contains(البحث الاجتماعي)`},
    {content: "Send back", trigger: "button[name=action_open_return_wizard]", run: "click"},
    {
        trigger: ".modal .o_field_widget[name=reason] textarea",
        run: "edit صورة الهوية غير واضحة، يرجى طلب نسخة أخرى.",
    },
    checkArabic("send back dialog"),
    {trigger: ".modal-footer .btn-primary", run: "click"},
    {
        content: "Back in verification",
        trigger: `.o_form_view:not(:has(.modal)) ${FORM_STEP}:contains(التحقق)`,
    },
    checkArabic("request sent back"),
]);
