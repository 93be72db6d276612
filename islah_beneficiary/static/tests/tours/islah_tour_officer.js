import {
    checkArabic,
    landingSteps,
    menuSteps,
    pickAutocomplete,
    registerRoleTour,
    selectSteps,
    setInputFile,
} from "@islah_beneficiary/../tests/tours/islah_tour_utils";

/**
 * The beneficiary relations officer's day, in Arabic, from the landing
 * screen: register a beneficiary, open their request, receive and verify the
 * required document, record the data check and the declaration, send the
 * request to the committee; then, on an approved request, complete the
 * registration, start the service, record a delivery and close it.
 *
 * One tour per section; the names are the test data's (tests/test_tours.py).
 */
const SECTIONS = {
    men: {
        newBeneficiary: "سالم جولة الرجال",
        nationalId: "1965000019",
        genderLabel: "ذكر",
        approvedBeneficiary: "خالد المقبول",
    },
    women: {
        newBeneficiary: "سلمى جولة النساء",
        nationalId: "1965000027",
        genderLabel: "أنثى",
        approvedBeneficiary: "هند المقبولة",
    },
};
const SERVICE = "خدمة الجولة";
const CHANNEL = "قناة الجولة";
const FORM_STEP = ".o_statusbar_status button.o_arrow_button_current";

function officerSteps(data) {
    return [
        ...landingSteps(),
        checkArabic("the officer's landing"),

        // 1. the beneficiary
        ...menuSteps("islah_beneficiary_menu", "islah_beneficiary_menu_beneficiaries"),
        {trigger: ".o_list_view, .o_kanban_view"},
        checkArabic("beneficiaries"),
        {
            content: "New beneficiary",
            trigger: ".o_control_panel_main_buttons button.o-kanban-button-new, .o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] input",
            run: `edit ${data.newBeneficiary}`,
        },
        {
            trigger: ".o_field_widget[name=national_id] input",
            run: `edit ${data.nationalId}`,
        },
        ...selectSteps("gender", data.genderLabel),
        {content: "Consent tab", trigger: ".o_notebook a.nav-link[name=consent]", run: "click"},
        {trigger: ".o_field_widget[name=consent] input", run: "check"},
        checkArabic("new beneficiary form"),
        {trigger: ".o_form_button_save", run: "click"},
        {content: "Saved", trigger: ".o_form_view .o_form_saved"},

        // 2. the request
        ...menuSteps("islah_support_request_menu"),
        {trigger: ".o_list_view"},
        checkArabic("support requests"),
        {content: "New request", trigger: ".o_list_button_add", run: "click"},
        {
            trigger: ".o_field_widget[name=beneficiary_id] input",
            run: `edit ${data.newBeneficiary}`,
        },
        pickAutocomplete(data.newBeneficiary),
        {trigger: ".o_field_widget[name=service_type_id] input", run: `edit ${SERVICE}`},
        pickAutocomplete(SERVICE),
        {trigger: ".o_field_widget[name=medium_id] input", run: `edit ${CHANNEL}`},
        pickAutocomplete(CHANNEL),
        checkArabic("new request form"),
        {trigger: ".o_form_button_save", run: "click"},
        {content: "Numbered on save", trigger: ".o_field_widget[name=name]:contains(REQ/)"},
        {content: "Received", trigger: `${FORM_STEP}:contains(تم الاستلام)`},

        // 3. documents and verification
        {trigger: "button[name=action_start_verification]", run: "click"},
        {content: "In verification", trigger: `${FORM_STEP}:contains(التحقق)`},
        {
            content: "Verification tab",
            trigger: ".o_notebook a.nav-link[name=verification]",
            run: "click",
        },
        checkArabic("request in verification"),
        {
            content: "Edit the required document's line",
            trigger:
                ".o_field_widget[name=document_ids] .o_data_row .o_data_cell[name=attachment_ids]",
            run: "click",
        },
        {
            content: "Attach the scan",
            trigger: ".o_field_widget[name=document_ids] .o_selected_row .o_attach",
            run() {
                const input = this.anchor
                    .closest(".oe_fileupload")
                    .querySelector("input.o_input_file");
                setInputFile(input, "national-id.pdf");
            },
        },
        {
            content: "The scan is attached",
            trigger:
                ".o_field_widget[name=document_ids] .o_data_row .o_attachment:contains(national-id)",
        },
        {trigger: ".o_form_button_save", run: "click"},
        {trigger: ".o_form_view .o_form_saved"},
        {
            content: "Verify the document against the original",
            trigger: ".o_field_widget[name=document_ids] .o_data_row button[name=action_verify]",
            run: "click",
        },
        {
            content: "The document is verified",
            trigger: ".o_field_widget[name=document_ids] .o_data_row button[name=action_unverify]",
        },
        {content: "Data verified", trigger: "button[name=action_verify_data]", run: "click"},
        {trigger: ".o_form_statusbar:not(:has(button[name=action_verify_data]))"},

        // 4. the declaration of responsibility
        {trigger: "button[name=action_record_declaration]", run: "click"},
        checkArabic("declaration confirmation"),
        {content: "Confirm the declaration", trigger: ".modal-footer .btn-primary", run: "click"},
        {trigger: ".o_form_statusbar:not(:has(button[name=action_record_declaration]))"},

        // 5. to the committee
        {trigger: "button[name=action_complete_verification]", run: "click"},
        {content: "Before the committee", trigger: `${FORM_STEP}:contains(لجنة البحث)`},
        checkArabic("request before the committee"),

        // 6. registration of an approved request's beneficiary
        ...menuSteps("islah_beneficiary_menu", "islah_beneficiary_menu_beneficiaries"),
        {trigger: ".o_list_view, .o_kanban_view"},
        {
            content: "Switch to the list",
            isActive: [".o_kanban_view"],
            trigger: ".o_cp_switch_buttons .o_list",
            run: "click",
        },
        {
            content: "Open the approved beneficiary",
            trigger: `.o_list_view .o_data_row:contains(${data.approvedBeneficiary}) .o_data_cell[name=name]`,
            run: "click",
        },
        checkArabic("beneficiary form"),
        {
            content: "Complete the registration",
            trigger: "button[name=action_register]",
            run: "click",
        },
        {content: "Registered", trigger: `${FORM_STEP}:contains(مسجل)`},

        // 7. the service, its delivery and closing
        {content: "Their requests", trigger: "button[name=action_view_requests]", run: "click"},
        {
            trigger: ".o_list_view .o_data_row .o_data_cell[name=name]",
            run: "click",
        },
        {content: "Approved", trigger: `${FORM_STEP}:contains(مقبول)`},
        {content: "Start the service", trigger: "button[name=action_start_service]", run: "click"},
        {content: "In service", trigger: `${FORM_STEP}:contains(قيد تقديم الخدمة)`},
        {trigger: ".o_notebook a.nav-link[name=deliveries]", run: "click"},
        checkArabic("request in service"),
        {
            content: "Record a delivery",
            trigger: ".o_field_widget[name=delivery_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=delivery_ids] .o_data_row [name=description] input, .o_field_widget[name=delivery_ids] .o_data_row [name=description] textarea",
            run: "edit تسليم سلة غذائية",
        },
        {trigger: ".o_form_button_save", run: "click"},
        {trigger: ".o_form_view .o_form_saved"},
        {content: "Close as delivered", trigger: "button[name=action_done]", run: "click"},
        {content: "Done", trigger: `${FORM_STEP}:contains(مكتمل)`},
        checkArabic("request done"),
    ];
}

for (const [section, data] of Object.entries(SECTIONS)) {
    registerRoleTour(`islah_tour_officer_${section}`, "/odoo", () => officerSteps(data));
}
