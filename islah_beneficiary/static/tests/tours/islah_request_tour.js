import { registry } from "@web/core/registry";

/**
 * Back office: a request from "received" to "Research Committee" through the
 * form (service without social research nor required documents).
 */
registry.category("web_tour.tours").add("islah_request_tour", {
    url: "/odoo/action-islah_beneficiary.islah_support_request_action",
    steps: () => [
        {
            content: "Create a request",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Choose the beneficiary",
            trigger: ".o_field_widget[name=beneficiary_id] input",
            run: "edit Tour Beneficiary",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour Beneficiary)",
            run: "click",
        },
        {
            content: "Choose the service",
            trigger: ".o_field_widget[name=service_type_id] input",
            run: "edit Tour Service",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour Service)",
            run: "click",
        },
        {
            content: "Choose the channel",
            trigger: ".o_field_widget[name=medium_id] input",
            run: "edit Tour Channel",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour Channel)",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Numbered on save",
            trigger: ".o_field_widget[name=name]:contains(REQ/)",
        },
        {
            content: "Start verification",
            trigger: "button[name=action_start_verification]",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Verification)",
        },
        {
            content: "The applicant's data are verified",
            trigger: "button[name=action_verify_data]",
            run: "click",
        },
        {
            content: "Data verified: the button is gone",
            trigger: ".o_form_statusbar:not(:has(button[name=action_verify_data]))",
        },
        {
            content: "Record the declaration of responsibility",
            trigger: "button[name=action_record_declaration]",
            run: "click",
        },
        {
            content: "Confirm the declaration",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Declaration recorded: the button is gone",
            trigger: ".o_form_statusbar:not(:has(button[name=action_record_declaration]))",
        },
        {
            content: "Complete verification: to the committee",
            trigger: "button[name=action_complete_verification]",
            run: "click",
        },
        {
            content: "The request is before the Research Committee",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains(Research Committee)",
        },
        {
            content: "The deadline is shown",
            trigger: ".o_field_widget[name=decision_deadline]:not(:empty)",
        },
    ],
});
