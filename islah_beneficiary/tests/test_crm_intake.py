from ast import literal_eval

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import call_kw
from odoo.tests import Form, tagged

from .common import PDF_DOC, IslahCommon


@tagged("post_install", "-at_install", "islah_crm")
class TestCrmIntake(IslahCommon):
    """Inquiries (crm.lead) and their conversion to support requests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_men = cls.env.ref("islah_beneficiary.crm_team_islah_men")
        cls.team_women = cls.env.ref("islah_beneficiary.crm_team_islah_women")
        cls.channel_phone = cls.env.ref("islah_beneficiary.utm_medium_phone_call")
        cls.channel_letter = cls.env.ref("islah_beneficiary.utm_medium_letter")

    def _lead(self, user=None, **vals):
        defaults = {
            "name": "Needs family counselling",
            "type": "lead",
            "contact_name": "Ahmad Saleh",
            "email_from": "ahmad@example.com",
            "phone": "0553304342",
            "team_id": self.team_men.id,
            "medium_id": self.channel_phone.id,
            "islah_gender": "male",
            "islah_service_type_id": self.service_full.id,
        }
        defaults.update(vals)
        Lead = self.env["crm.lead"].with_user(user) if user else self.env["crm.lead"]
        return Lead.create(defaults)

    def _convert(self, lead, user=None, **vals):
        Wizard = self.env["crm.lead.convert.request"]
        if user:
            Wizard = Wizard.with_user(user)
        wizard = Wizard.create(dict({"lead_id": lead.id}, **vals))
        return wizard, wizard.action_convert()

    # ------------------------------------------------------------------
    # Teams
    # ------------------------------------------------------------------

    def test_teams_shipped_with_aliases(self):
        """Two teams, one per section, receive letters and e-mails as leads on
        the letter channel."""
        self.assertEqual(self.team_men.islah_section, "men")
        self.assertEqual(self.team_women.islah_section, "women")
        for team, alias in ((self.team_men, "islah-men"), (self.team_women, "islah-women")):
            self.assertTrue(team.use_leads)
            self.assertEqual(team.alias_name, alias)
            self.assertEqual(team.alias_model_id.model, "crm.lead")
            defaults = team._alias_get_creation_values()["alias_defaults"]
            self.assertEqual(defaults["type"], "lead")
            self.assertEqual(defaults["team_id"], team.id)
            self.assertEqual(defaults["medium_id"], self.channel_letter.id)

    def test_email_to_alias_creates_inquiry(self):
        """A letter e-mailed to the women's address becomes a lead of that team
        (what the mail gateway does with the alias defaults)."""
        alias = self.team_women.alias_id
        self.assertEqual(alias.alias_name, "islah-women")
        defaults = literal_eval(alias.alias_defaults)
        lead = self.env["crm.lead"].message_new(
            {
                "subject": "Help request",
                "email_from": "Fatimah <fatimah@example.com>",
                "body": "<p>Please help</p>",
            },
            custom_values=defaults,
        )
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.team_id, self.team_women)
        self.assertEqual(lead.medium_id, self.channel_letter)

    def test_officer_records_inquiry_by_hand(self):
        """From the Inquiries menu, an officer of one section gets their team."""
        Lead = (
            self.env["crm.lead"]
            .with_user(self.officer_women)
            .with_context(default_type="lead", islah_inquiry=True)
        )
        with Form(Lead, view="crm.crm_lead_view_form") as form:
            form.name = "Phone call about a dispute"
            form.contact_name = "Noura"
            form.islah_gender = "female"
            form.medium_id = self.channel_phone
        lead = form.record
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.team_id, self.team_women)
        self.assertEqual(lead.medium_id, self.channel_phone)

    def test_officer_sees_only_own_section_inquiries(self):
        lead_men = self._lead()
        lead_women = self._lead(team_id=self.team_women.id, islah_gender="female")
        visible = (
            self.env["crm.lead"]
            .with_user(self.officer_men)
            .search([("id", "in", (lead_men | lead_women).ids)])
        )
        self.assertEqual(visible, lead_men)
        with self.assertRaises(AccessError):
            lead_women.with_user(self.officer_men).read(["name"])

    def test_officer_cannot_move_an_inquiry_to_the_other_section(self):
        """Record rules are checked before a write: the gender that would hand
        a man's inquiry to the women's section is refused after it, through
        RPC too, and nothing changes."""
        lead = self._lead(islah_gender="male")
        with self.assertRaises(AccessError):
            call_kw(
                self.env["crm.lead"].with_user(self.officer_men),
                "write",
                [lead.ids, {"islah_gender": "female"}],
                {},
            )
        lead.invalidate_recordset()
        self.assertEqual(lead.islah_section, "men")
        self.assertEqual(lead.islah_gender, "male")
        lead.with_user(self.officer_men).write({"islah_gender": "male", "name": "Renamed"})
        self.assertEqual(lead.name, "Renamed")

    # ------------------------------------------------------------------
    # Conversion
    # ------------------------------------------------------------------

    def test_convert_creates_beneficiary(self):
        national_id = self._new_national_id()
        lead = self._lead(
            user=self.officer_men,
            islah_national_id=national_id,
            description="<p>Needs help with a family dispute</p>",
        )
        wizard = (
            self.env["crm.lead.convert.request"]
            .with_user(self.officer_men)
            .create({"lead_id": lead.id})
        )
        self.assertFalse(wizard.beneficiary_id, "no beneficiary existed before")
        self.assertEqual(wizard.national_id, national_id)
        action = wizard.action_convert()
        request = self.env["islah.support.request"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "islah.support.request")
        beneficiary = request.beneficiary_id
        self.assertEqual(beneficiary.national_id, national_id)
        self.assertEqual(beneficiary.name, "Ahmad Saleh")
        self.assertEqual(beneficiary.email, "ahmad@example.com")
        self.assertEqual(beneficiary.phone, "+966553304342")
        self.assertEqual(beneficiary.gender, "male")
        self.assertEqual(request.medium_id, self.channel_phone, "the lead's channel")
        self.assertEqual(request.service_type_id, self.service_full)
        self.assertEqual(request.lead_id, lead)
        self.assertEqual(request.description, "Needs help with a family dispute")
        self.assertEqual(request.officer_id, self.officer_men)
        self.assertEqual(lead.islah_request_ids, request)
        self.assertEqual(lead.islah_request_count, 1)
        self.assertEqual(lead.islah_beneficiary_id, beneficiary)

    def test_convert_reuses_beneficiary_found_by_national_id(self):
        beneficiary = self._create_beneficiary()
        lead = self._lead(islah_national_id=beneficiary.national_id, contact_name="Other spelling")
        wizard, action = self._convert(lead, user=self.officer_men)
        self.assertEqual(wizard.beneficiary_id, beneficiary)
        request = self.env["islah.support.request"].browse(action["res_id"])
        self.assertEqual(request.beneficiary_id, beneficiary)
        self.assertEqual(
            self.env["islah.beneficiary"].search_count(
                [("national_id", "=", beneficiary.national_id)]
            ),
            1,
        )

    def test_convert_uses_chosen_channel(self):
        lead = self._lead(islah_national_id=self._new_national_id())
        _wizard, action = self._convert(lead, medium_id=self.channel_letter.id)
        request = self.env["islah.support.request"].browse(action["res_id"])
        self.assertEqual(request.medium_id, self.channel_letter)

    def test_convert_channel_required(self):
        """A lead on a non-policy medium gives no default channel: required."""
        other_medium = self.env["utm.medium"].create({"name": "Test banner"})
        lead = self._lead(islah_national_id=self._new_national_id(), medium_id=other_medium.id)
        wizard = self.env["crm.lead.convert.request"].new({"lead_id": lead.id})
        self.assertFalse(wizard.medium_id)
        with self.assertRaises(UserError):
            self._convert(lead, medium_id=False)
        self.assertFalse(lead.islah_request_ids)

    def test_convert_without_national_id_refused(self):
        lead = self._lead()
        with self.assertRaises(UserError):
            self._convert(lead, user=self.officer_men)
        self.assertFalse(lead.islah_request_ids)

    def test_convert_invalid_national_id_same_error_as_back_office(self):
        lead = self._lead(islah_national_id="1012345673")
        with self.assertRaises(ValidationError) as wizard_error:
            self._convert(lead, user=self.officer_men)
        with self.assertRaises(ValidationError) as office_error:
            self.env["islah.beneficiary"].create(
                {"name": "X", "national_id": "1012345673", "gender": "male"}
            )
        self.assertEqual(wizard_error.exception.args[0], office_error.exception.args[0])
        self.assertFalse(lead.islah_request_ids)

    def test_convert_twice_refused_and_button_opens_existing(self):
        """Choice: a converted lead is never converted again. The button opens
        the existing request; a stale wizard is refused."""
        lead = self._lead(islah_national_id=self._new_national_id())
        stale = (
            self.env["crm.lead.convert.request"]
            .with_user(self.officer_men)
            .create({"lead_id": lead.id})
        )
        _wizard, action = self._convert(lead, user=self.officer_men)
        request = self.env["islah.support.request"].browse(action["res_id"])
        reopen = lead.with_user(self.officer_men).action_islah_convert_to_request()
        self.assertEqual(reopen["res_model"], "islah.support.request")
        self.assertEqual(reopen["res_id"], request.id)
        with self.assertRaises(UserError):
            stale.action_convert()
        self.assertEqual(lead.islah_request_ids, request)

    def test_button_opens_wizard_before_conversion(self):
        lead = self._lead()
        action = lead.with_user(self.officer_men).action_islah_convert_to_request()
        self.assertEqual(action["res_model"], "crm.lead.convert.request")
        self.assertEqual(action["context"]["default_lead_id"], lead.id)

    def test_beneficiary_of_other_section_clear_error(self):
        """The national ID belongs to a women's beneficiary the men's officer
        cannot see: a clear error, no duplicate, no data shown."""
        beneficiary = self._create_beneficiary(gender="female")
        lead = self._lead(islah_national_id=beneficiary.national_id)
        with self.assertRaises(UserError) as error:
            self._convert(lead, user=self.officer_men)
        self.assertIn("section you do not have access to", error.exception.args[0])
        self.assertEqual(
            self.env["islah.beneficiary"].search_count(
                [("national_id", "=", beneficiary.national_id)]
            ),
            1,
        )
        self.assertFalse(lead.islah_request_ids)

    def test_new_beneficiary_of_other_section_refused(self):
        lead = self._lead(islah_national_id=self._new_national_id(), islah_gender="female")
        with self.assertRaises(UserError):
            self._convert(lead, user=self.officer_men)
        self.assertFalse(lead.islah_request_ids)

    def test_women_officer_converts_women_inquiry(self):
        lead = self._lead(
            user=self.officer_women,
            team_id=self.team_women.id,
            islah_gender="female",
            islah_national_id=self._new_national_id("2"),
        )
        _wizard, action = self._convert(lead, user=self.officer_women)
        request = self.env["islah.support.request"].browse(action["res_id"])
        self.assertEqual(request.section, "women")

    def test_internal_user_without_group_cannot_convert(self):
        lead = self._lead(islah_national_id=self._new_national_id())
        with self.assertRaises(AccessError):
            self._convert(lead, user=self.internal_user)

    def test_officer_can_open_inquiries_menu(self):
        """The Inquiries action's views load for an officer without CRM rights,
        and every field they show is readable."""
        lead = self._lead(user=self.officer_men)
        action = self.env.ref("islah_beneficiary.crm_lead_action_islah_inquiries")
        Lead = (
            self.env["crm.lead"]
            .with_user(self.officer_men)
            .with_context(**literal_eval(action.context))
        )
        views = Lead.get_views(
            [(view.view_id.id, view.view_mode) for view in action.view_ids]
            + [(action.search_view_id.id, "search")]
        )
        shown = Lead.search(literal_eval(action.domain))
        self.assertIn(lead, shown)
        fields = views["models"]["crm.lead"]["fields"]
        shown.read([name for name in fields if name in Lead._fields])
        self.assertTrue(self.env.ref("islah_beneficiary.crm_lead_menu_islah_inquiries").action)


@tagged("post_install", "-at_install", "islah_crm")
class TestWebIntakeConversion(IslahCommon):
    """An officer of the intake's section checks the applicant's identity,
    then matches or registers them: the request gets the form's
    declaration, files and consent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.website = cls.env.ref("islah_beneficiary.utm_medium_website")

    def _intake(self, **overrides):
        need = overrides.pop("need", "We need <b>family</b> counselling.")
        values = self._web_form_values(need=need, **overrides)
        files = [
            (self.doc_type_id_copy.id, "id-copy.pdf", PDF_DOC),
            (self.doc_type_family.id, "family.pdf", PDF_DOC),
        ]
        # the public route runs the model method as superuser
        return self.env["crm.lead"].sudo()._islah_create_web_intake(values, files, self.company)

    def _wizard(self, lead, user, **vals):
        return (
            self.env["crm.lead.convert.request"]
            .with_user(user)
            .create(dict({"lead_id": lead.id}, **vals))
        )

    def test_identity_check_required(self):
        lead = self._intake()
        wizard = self._wizard(lead, self.officer_women)
        with self.assertRaises(UserError):
            wizard.action_convert()
        self.assertFalse(lead.islah_request_ids)
        self.assertEqual(lead.islah_identity_state, "unverified")

    def test_convert_registers_new_beneficiary(self):
        lead = self._intake()
        declared = lead.islah_declaration_date
        wizard = self._wizard(lead, self.officer_women, identity_check_method="documents")
        self.assertFalse(wizard.beneficiary_id)
        action = wizard.action_convert()
        request = self.env["islah.support.request"].browse(action["res_id"])
        beneficiary = request.beneficiary_id
        self.assertEqual(beneficiary.national_id, lead.islah_national_id)
        self.assertEqual(beneficiary.name, "Sara Abdullah")
        self.assertFalse(beneficiary.email, "the typed address was never confirmed")
        self.assertEqual(request.medium_id, self.website)
        self.assertEqual(request.description, "We need <b>family</b> counselling.")
        self.assertTrue(request.declaration_accepted)
        self.assertEqual(request.declaration_date, declared, "the applicant's date")
        # each file on its checklist line: received, not verified
        for line in request.document_ids:
            self.assertTrue(line.received)
            self.assertFalse(line.verified_on)
            self.assertEqual(len(line.attachment_ids), 1)
            self.assertEqual(line.attachment_ids.islah_document_type_id, line.document_type_id)
            self.assertEqual(line.attachment_ids.res_model, "islah.support.request")
        self.assertEqual(lead.islah_identity_state, "verified")
        self.assertEqual(lead.islah_identity_check_method, "documents")
        self.assertEqual(lead.islah_identity_checked_by_id, self.officer_women)
        self.assertTrue(lead.islah_identity_checked_on)
        self.assertIn(
            "By the documents", " ".join(str(body) for body in lead.message_ids.mapped("body"))
        )
        if hasattr(beneficiary, "consent_ids"):
            consent = beneficiary.consent_ids
            self.assertEqual(len(consent), 1)
            self.assertEqual(consent.channel_id, self.website)
            self.assertFalse(consent.recorded_by_id, "given online by the applicant")

    def test_typed_city_becomes_the_files_city(self):
        """The city typed on the form, in Arabic or English, any case,
        proposes the association's city; an unknown one proposes none."""
        self.env["res.lang"]._activate_lang("ar_001")
        city = self.env["islah.city"].create({"name": "Test Taif"})
        city.with_context(lang="ar_001").name = "الطائف التجريبية"
        for typed in ("  test TAIF ", "الطائف التجريبية"):
            with self.subTest(typed=typed):
                lead = self._intake(city=typed)
                wizard = self._wizard(lead, self.officer_women, identity_check_method="documents")
                self.assertEqual(wizard.city_id, city)
                request = self.env["islah.support.request"].browse(
                    wizard.action_convert()["res_id"]
                )
                self.assertEqual(request.beneficiary_id.city_id, city)
                # the next intake is a new applicant
                request.beneficiary_id.sudo().active = False
        lead = self._intake(city="Nowhere")
        wizard = self._wizard(lead, self.officer_women, identity_check_method="documents")
        self.assertFalse(wizard.city_id)

    def test_confirmed_email_copied_to_new_beneficiary(self):
        lead = self._intake()
        token = lead.sudo().islah_email_token
        self.assertEqual(self.env["crm.lead"]._islah_confirm_email(token), lead)
        _action = self._wizard(
            lead, self.officer_women, identity_check_method="in_person"
        ).action_convert()
        self.assertEqual(lead.islah_request_ids.beneficiary_id.email, "sara@example.com")

    def test_expired_or_unknown_token_confirms_nothing(self):
        lead = self._intake()
        lead.sudo().islah_email_token_expiry = "2020-01-01 00:00:00"
        Lead = self.env["crm.lead"]
        self.assertFalse(Lead._islah_confirm_email(lead.sudo().islah_email_token))
        self.assertFalse(Lead._islah_confirm_email("nothing"))
        self.assertFalse(lead.islah_email_confirmed)

    def test_match_existing_beneficiary_keeps_their_file(self):
        """The wizard proposes the beneficiary of the same national ID the
        officer sees; their name and e-mail stay those of the file."""
        beneficiary = self._create_beneficiary(
            gender="female", name="Sara Known", email="known@example.com"
        )
        lead = self._intake(national_id=beneficiary.national_id, name="Typed name")
        wizard = self._wizard(lead, self.officer_women, identity_check_method="phone_call")
        self.assertEqual(wizard.beneficiary_id, beneficiary)
        wizard.action_convert()
        self.assertEqual(lead.islah_request_ids.beneficiary_id, beneficiary)
        self.assertEqual(beneficiary.name, "Sara Known")
        self.assertEqual(beneficiary.email, "known@example.com")

    def test_officer_picks_another_beneficiary(self):
        beneficiary = self._create_beneficiary(gender="female", name="Sara Real")
        lead = self._intake()  # a mistyped national ID
        wizard = self._wizard(
            lead,
            self.officer_women,
            identity_check_method="in_person",
            beneficiary_id=beneficiary.id,
        )
        wizard.action_convert()
        self.assertEqual(lead.islah_request_ids.beneficiary_id, beneficiary)
        self.assertEqual(lead.islah_beneficiary_id, beneficiary)

    def test_officer_of_the_other_section_refused(self):
        """Server-side: through RPC the men's officer can neither open the
        wizard on a women's intake nor convert it."""
        lead = self._intake()
        Wizard = self.env["crm.lead.convert.request"].with_user(self.officer_men)
        with self.assertRaises(AccessError):
            call_kw(
                Wizard, "create", [{"lead_id": lead.id, "identity_check_method": "in_person"}], {}
            )
        # a wizard of the women's officer, run by the men's: refused too
        wizard = self._wizard(lead, self.officer_women, identity_check_method="in_person")
        with self.assertRaises(UserError):  # AccessError is a UserError
            call_kw(wizard.with_user(self.officer_men), "action_convert", [wizard.ids], {})
        self.assertFalse(lead.islah_request_ids)
        self.assertEqual(lead.islah_identity_state, "unverified")

    def test_check_section_officer_rule(self):
        lead = self._intake()
        with self.assertRaises(UserError):
            lead.with_user(self.officer_men)._islah_check_section_officer()
        lead.with_user(self.officer_women)._islah_check_section_officer()

    # what only the server's steps set ---------------------------------

    def test_intake_record_not_writable_by_rpc(self):
        """Identity, e-mail confirmation, declaration and consent of a web
        intake are set by the form, the link and the identity check only:
        "readonly" in the view does not stop an RPC write."""
        lead = self._intake()
        Lead = self.env["crm.lead"].with_user(self.officer_women)
        for vals in (
            {"islah_identity_state": False},
            {"islah_identity_state": "verified"},
            {"islah_identity_check_method": "in_person"},
            {"islah_identity_checked_by_id": self.officer_women.id},
            {"islah_identity_checked_on": "2026-01-01 00:00:00"},
            {"islah_email_confirmed": True},
            {"islah_declaration_date": "2020-01-01 00:00:00"},
            {"islah_consent_given": False},
            {"islah_need": "Something else"},
        ):
            with self.assertRaises(AccessError):
                call_kw(Lead, "write", [lead.ids, vals], {})
        self.env.invalidate_all()
        self.assertEqual(lead.islah_identity_state, "unverified")
        self.assertFalse(lead.islah_email_confirmed)
        self.assertFalse(lead.islah_identity_checked_by_id)
        # nor given at creation: an officer cannot forge an online consent
        with self.assertRaises(AccessError):
            call_kw(
                Lead,
                "create",
                [{"name": "Forged", "islah_consent_given": True, "islah_gender": "female"}],
                {},
            )
        # what the officer corrects stays theirs
        call_kw(Lead, "write", [lead.ids, {"phone": "0550000001", "islah_gender": "female"}], {})

    def test_intake_bound_to_a_file_only_by_the_conversion(self):
        beneficiary = self._create_beneficiary(gender="female")
        lead = self._intake(national_id=beneficiary.national_id)
        Lead = self.env["crm.lead"].with_user(self.officer_women)
        with self.assertRaises(UserError):
            call_kw(Lead, "write", [lead.ids, {"islah_beneficiary_id": beneficiary.id}], {})
        self.assertFalse(lead.islah_beneficiary_id)
        self._wizard(lead, self.officer_women, identity_check_method="in_person").action_convert()
        self.assertEqual(lead.islah_beneficiary_id, beneficiary)

    def test_copy_of_an_intake_carries_no_consent(self):
        lead = self._intake()
        copy = lead.with_user(self.officer_women).copy()
        self.assertFalse(copy.islah_consent_given)
        self.assertFalse(copy.islah_declaration_date)

    def test_other_section_cannot_read_an_intake_through_the_wizard(self):
        """A men's officer moves their own wizard to a women's intake, or
        asks the form's onchange for it: refused, nothing of it copied."""
        women_lead = self._intake()
        men_lead = self._intake(gender="male", national_id=self._new_national_id())
        Wizard = self.env["crm.lead.convert.request"].with_user(self.officer_men)
        wizard_id = call_kw(Wizard, "create", [{"lead_id": men_lead.id}], {})
        with self.assertRaises(AccessError):
            call_kw(Wizard, "write", [[wizard_id], {"lead_id": women_lead.id}], {})
        spec = {"national_id": {}, "gender": {}, "identity_state": {}, "company_id": {}}
        try:
            result = call_kw(
                Wizard, "onchange", [[], {"lead_id": women_lead.id}, ["lead_id"], spec], {}
            )
        except AccessError:
            result = {}
        self.assertNotIn(women_lead.islah_national_id, str(result))
        try:
            result = call_kw(
                Wizard.with_context(default_lead_id=women_lead.id),
                "onchange",
                [[], {}, [], spec],
                {},
            )
        except AccessError:
            result = {}
        self.assertNotIn(women_lead.islah_national_id, str(result))
