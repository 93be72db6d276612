import {
    checkArabic,
    registerRoleTour,
    setInputFile,
} from "@islah_beneficiary/../tests/tours/islah_tour_utils";

/**
 * The beneficiary on the portal, in Arabic, from their landing (/my): follow
 * the request in service, then send the document still missing on the
 * request being verified. (The satisfaction survey: islah_survey_ext.)
 * Data: tests/test_tours.py.
 */
registerRoleTour("islah_tour_portal", "/my", () => [
    {content: "The portal home", trigger: ".o_portal_my_home"},
    checkArabic("portal home"),
    {
        content: "My requests",
        trigger: 'a[href="/my/requests"]',
        run: "click",
        expectUnloadPage: true,
    },
    {trigger: ".o_portal_my_doc_table tbody tr:nth-child(2)"},
    checkArabic("my requests"),
    {
        content: "Follow the request in service",
        trigger: ".o_portal_my_doc_table tr:contains(قيد تقديم الخدمة) a",
        run: "click",
        expectUnloadPage: true,
    },
    {content: "Its status", trigger: ".o_islah_request_state:contains(قيد تقديم الخدمة)"},
    {content: "Its progress", trigger: ".o_islah_timeline li"},
    checkArabic("request in service (portal)"),
    {trigger: '.breadcrumb a[href="/my/requests"]', run: "click", expectUnloadPage: true},
    {
        content: "Open the request waiting for a document",
        trigger: ".o_portal_my_doc_table tr:contains(التحقق) a",
        run: "click",
        expectUnloadPage: true,
    },
    {trigger: ".o_islah_documents .badge.text-bg-warning"},
    checkArabic("request with a missing document (portal)"),
    {
        content: "Choose the scan",
        trigger: ".o_islah_documents input[type=file][name=file]",
        run() {
            setInputFile(this.anchor, "family-record.pdf");
        },
    },
    {
        content: "Send it",
        trigger: ".o_islah_documents form button[type=submit]",
        run: "click",
        expectUnloadPage: true,
    },
    {content: "Received", trigger: ".alert-success"},
    {trigger: ".o_islah_documents .badge.text-bg-info"},
    checkArabic("document received (portal)"),
]);
