import {checkArabic, registerRoleTour} from "@islah_beneficiary/../tests/tours/islah_tour_utils";

/**
 * The beneficiary answers the satisfaction survey from the personal link of
 * their invitation, in Arabic: the highest mark on every scale, "yes" to the
 * need being met, a suggestion; then the thank-you page, without "take it
 * again". Started at the invitation's link (tests/test_tour_portal_survey.py).
 */
registerRoleTour("islah_tour_survey", "", () => [
    {
        content: "The survey's introduction",
        trigger: ".o_survey_start button[type=submit][value=start]:enabled",
    },
    checkArabic("survey introduction"),
    {trigger: ".o_survey_start button[type=submit][value=start]", run: "click"},
    {content: "The questions", trigger: ".o_survey_form .js_question-wrapper"},
    checkArabic("survey questions"),
    {
        content: "Answer every question",
        trigger: ".o_survey_form",
        async run({click, edit}) {
            for (const group of document.querySelectorAll(
                ".o_survey_answer_wrapper[data-question-type=scale]"
            )) {
                const inputs = group.querySelectorAll("input[type=radio]");
                await click(`label[for="${inputs[inputs.length - 1].id}"]`);
            }
            for (const group of document.querySelectorAll(
                ".o_survey_answer_wrapper[data-question-type=simple_choice_radio]"
            )) {
                await click(group.querySelector("label.o_survey_choice_btn"));
            }
            await edit("الموظفون متعاونون جدا.", ".o_survey_form textarea");
        },
    },
    {content: "Submit", trigger: ".o_survey_form button[type=submit][value=finish]", run: "click"},
    {content: "Confirm", trigger: ".modal-footer button.btn-primary", run: "click"},
    {content: "The thank-you page", trigger: ".o_survey_finished"},
    {
        content: "No second attempt is offered",
        trigger: ".o_survey_finished:not(:has(a[href*='retry'], .o_survey_retry))",
    },
    checkArabic("survey thank-you page"),
]);
