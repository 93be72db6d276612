import json

from odoo import http
from odoo.exceptions import AccessError
from odoo.service.model import call_kw
from odoo.tests import HttpCase, tagged

from .common import IslahCommon


class IslahAccessLogCase(IslahCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["islah.access.log"].sudo()
        cls.beneficiary = cls._create_beneficiary(
            iban="SA0380000000608010167519", monthly_income=3000
        )
        cls.request = cls._create_request(cls.beneficiary, researcher_id=cls.researcher.id)
        cls.request.sudo().research_report = "<p>Visit report</p>"
        # the web client's Export needs the export right
        export_group = cls.env.ref("base.group_allow_export")
        (cls.manager | cls.officer_men).write({"group_ids": [(4, export_group.id)]})

    def _call(self, user, model, method, *args, **kwargs):
        return call_kw(self.env[model].with_user(user), method, list(args), kwargs)

    def _new_logs(self, since):
        return self.Log.search([("id", ">", since)], order="id")

    def _last_id(self):
        return self.Log.search([], limit=1, order="id desc").id or 0


@tagged("post_install", "-at_install")
class TestAccessLogReads(IslahAccessLogCase):
    """The form's reads of sensitive fields leave one line each."""

    def test_form_read_of_national_id_is_logged(self):
        start = self._last_id()
        spec = {"name": {}, "national_id": {}, "iban": {}, "monthly_income": {}, "phone": {}}
        values = self._call(
            self.officer_men, "islah.beneficiary", "web_read", self.beneficiary.ids, spec
        )
        self.assertEqual(values[0]["national_id"], self.beneficiary.sudo().national_id)
        log = self._new_logs(start)
        self.assertEqual(len(log), 1)
        self.assertEqual(log.kind, "read")
        self.assertEqual(log.user_id, self.officer_men)
        self.assertEqual(log.model, "islah.beneficiary")
        self.assertEqual(log.model_id.model, "islah.beneficiary")
        self.assertEqual(log.res_ids, str(self.beneficiary.id))
        self.assertEqual(log.record_count, 1)
        self.assertEqual(log.field_names, "national_id, iban, monthly_income")
        self.assertTrue(log.create_date)

    def test_read_without_sensitive_fields_is_not_logged(self):
        start = self._last_id()
        self._call(
            self.officer_men,
            "islah.beneficiary",
            "web_read",
            self.beneficiary.ids,
            {"name": {}, "phone": {}},
        )
        self.assertFalse(self._new_logs(start))

    def test_list_of_national_ids_is_one_line(self):
        other = self._create_beneficiary()
        start = self._last_id()
        self._call(
            self.officer_men,
            "islah.beneficiary",
            "web_search_read",
            [("id", "in", (self.beneficiary | other).ids)],
            {"name": {}, "national_id": {}},
        )
        log = self._new_logs(start)
        self.assertEqual(len(log), 1)
        self.assertEqual(log.record_count, 2)
        self.assertEqual(set(log.res_ids.split(",")), {str(self.beneficiary.id), str(other.id)})
        self.assertEqual(log.field_names, "national_id")

    def test_research_report_read_is_logged(self):
        start = self._last_id()
        values = self._call(
            self.researcher,
            "islah.support.request",
            "web_read",
            self.request.ids,
            {"name": {}, "research_report": {}},
        )
        self.assertIn("Visit report", values[0]["research_report"])
        log = self._new_logs(start)
        self.assertEqual(len(log), 1)
        self.assertEqual(
            (log.user_id, log.model, log.field_names),
            (self.researcher, "islah.support.request", "research_report"),
        )

    def test_refused_read_leaves_no_line(self):
        # a committee member may not read national IDs: refused, nothing logged
        start = self._last_id()
        with self.assertRaises(AccessError):
            self._call(
                self.committee_member,
                "islah.beneficiary",
                "web_read",
                self.beneficiary.ids,
                {"national_id": {}},
            )
        self.assertFalse(self._new_logs(start))

    def test_internal_reads_are_not_logged(self):
        # Odoo's own reads (no RPC call of ``read`` on the model) leave no line
        start = self._last_id()
        beneficiary = self.beneficiary.with_user(self.officer_men)
        beneficiary.read(["national_id", "iban"])
        _national_id = beneficiary.national_id
        self.assertFalse(self._new_logs(start))

    def test_logged_calls_use_a_read_write_cursor(self):
        # the line is written during the call: the web client's call_kw must
        # not serve it from a read-only replica (as DataSet._call_kw_readonly
        # decides, from the method the model's class resolves)
        for model in ("islah.beneficiary", "islah.support.request", "crm.lead"):
            for method in ("web_read", "web_search_read", "read"):
                with self.subTest(model=model, method=method):
                    self.assertIs(getattr(type(self.env[model]), method)._readonly, False)

    def test_web_read_adds_at_most_two_queries(self):
        Beneficiary = self.env["islah.beneficiary"].with_user(self.officer_men)
        record = Beneficiary.browse(self.beneficiary.id)
        plain = {"name": {}, "phone": {}, "email": {}, "gender": {}}
        sensitive = dict(plain, national_id={}, iban={}, monthly_income={})

        def queries(spec):
            record.invalidate_recordset()
            self.env.flush_all()
            start = self.env.cr.sql_log_count
            record.web_read(spec)
            self.env.flush_all()
            return self.env.cr.sql_log_count - start

        # warm the caches (rules, ir.model ids) once
        queries(plain)
        queries(sensitive)
        self.assertLessEqual(queries(sensitive) - queries(plain), 2)


@tagged("post_install", "-at_install")
class TestAccessLogExports(IslahAccessLogCase):
    """The web client's Export (``export_data``) of the three models."""

    def test_beneficiary_export_with_identifiers(self):
        start = self._last_id()
        result = self._call(
            self.officer_men,
            "islah.beneficiary",
            "export_data",
            self.beneficiary.ids,
            ["name", "national_id", "section"],
        )
        self.assertEqual(len(result["datas"]), 1)
        log = self._new_logs(start)
        self.assertEqual(len(log), 1)
        self.assertEqual(log.kind, "export")
        self.assertEqual(log.user_id, self.officer_men)
        self.assertEqual(log.field_names, "name, national_id, section")
        self.assertEqual((log.row_count, log.record_count), (1, 1))
        self.assertTrue(log.with_identifiers)

    def test_request_export_without_identifiers(self):
        start = self._last_id()
        self._call(
            self.manager,
            "islah.support.request",
            "export_data",
            self.request.ids,
            ["state", "service_type_id"],
        )
        log = self._new_logs(start)
        self.assertEqual(
            (log.kind, log.model, log.row_count), ("export", "islah.support.request", 1)
        )
        self.assertFalse(log.with_identifiers)
        # a national ID reached through the beneficiary counts
        start = self._last_id()
        self._call(
            self.manager,
            "islah.support.request",
            "export_data",
            self.request.ids,
            ["state", "beneficiary_id/national_id"],
        )
        self.assertTrue(self._new_logs(start).with_identifiers)
        # so does the beneficiary's name
        start = self._last_id()
        self._call(
            self.manager,
            "islah.support.request",
            "export_data",
            self.request.ids,
            ["beneficiary_id/name"],
        )
        self.assertTrue(self._new_logs(start).with_identifiers)

    def test_lead_export(self):
        lead = self.env["crm.lead"].create(
            # no team: with demo data the default would be a sales team outside the sections
            {"name": "Inquiry", "contact_name": "Applicant", "type": "lead", "team_id": False}
        )
        start = self._last_id()
        self._call(self.manager, "crm.lead", "export_data", lead.ids, ["contact_name", "stage_id"])
        log = self._new_logs(start)
        self.assertEqual((log.kind, log.model, log.row_count), ("export", "crm.lead", 1))
        self.assertTrue(log.with_identifiers)
        start = self._last_id()
        self._call(self.manager, "crm.lead", "export_data", lead.ids, ["stage_id", "medium_id"])
        self.assertFalse(self._new_logs(start).with_identifiers)


@tagged("post_install", "-at_install")
class TestAccessLogSecurity(IslahAccessLogCase):
    """Managers read the log; nobody writes, deletes or creates lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.log = cls.env["islah.access.log"]._islah_log(
            "read", cls.beneficiary, field_names=["national_id"]
        )

    def test_managers_read_the_log(self):
        for manager in (self.manager, self.manager_men):
            rows = self._call(
                manager,
                "islah.access.log",
                "search_read",
                [("id", "=", self.log.id)],
                ["user_id", "kind"],
            )
            self.assertEqual(rows[0]["kind"], "read")

    def test_a_sections_manager_sees_only_that_sections_lines(self):
        """The log names files and what was read of them: need-to-know holds
        for it too. A women's file read: not for the men's manager."""
        women_file = self._create_beneficiary(gender="female")
        women_log = self.env["islah.access.log"]._islah_log(
            "read", women_file, field_names=["national_id"]
        )
        both_log = self.env["islah.access.log"]._islah_log(
            "read", women_file | self.beneficiary, field_names=["national_id"]
        )
        self.assertEqual(
            (self.log.section, women_log.section, both_log.section), ("men", "women", "both")
        )
        logs = [self.log.id, women_log.id, both_log.id]
        seen = self._call(
            self.manager_men, "islah.access.log", "search_read", [("id", "in", logs)], ["id"]
        )
        self.assertEqual([row["id"] for row in seen], [self.log.id])
        groups = self._call(
            self.manager_men,
            "islah.access.log",
            "formatted_read_group",
            [("id", "in", logs)],
            ["section"],
            ["__count"],
        )
        self.assertEqual([(group["section"], group["__count"]) for group in groups], [("men", 1)])
        with self.assertRaises(AccessError):
            self._call(self.manager_men, "islah.access.log", "read", [women_log.id], ["res_ids"])
        seen = self._call(
            self.manager, "islah.access.log", "search_read", [("id", "in", logs)], ["id"]
        )
        self.assertEqual(len(seen), 3)

    def test_others_may_not_read_the_log(self):
        for user in (
            self.officer_men,
            self.officer_women,
            self.researcher,
            self.committee_member,
            self.internal_user,
        ):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._call(user, "islah.access.log", "read", self.log.ids, ["kind"])
                with self.assertRaises(AccessError):
                    self._call(user, "islah.access.log", "search_read", [], ["kind"])
                with self.assertRaises(AccessError):
                    self._call(
                        user, "islah.access.log", "formatted_read_group", [], ["kind"], ["__count"]
                    )
                with self.assertRaises(AccessError):
                    self._call(user, "islah.access.log", "web_search_read", [], {"kind": {}})

    def test_nobody_creates_edits_or_deletes(self):
        for user in (self.manager, self.officer_men):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._call(
                        user,
                        "islah.access.log",
                        "create",
                        {"kind": "read", "model": "islah.beneficiary"},
                    )
                with self.assertRaises(AccessError):
                    self._call(
                        user, "islah.access.log", "write", self.log.ids, {"purpose": "changed"}
                    )
                with self.assertRaises(AccessError):
                    self._call(user, "islah.access.log", "unlink", self.log.ids)
        self.assertFalse(self.log.exists().purpose)

    def test_write_and_unlink_refused_even_with_the_rights(self):
        # the model refuses by itself, should an access right ever allow it
        self.env["ir.model.access"].create(
            {
                "name": "test: managers edit the log",
                "model_id": self.env["ir.model"]._get_id("islah.access.log"),
                "group_id": self.env.ref("islah_beneficiary.group_islah_beneficiary_manager").id,
                "perm_read": True,
                "perm_write": True,
                "perm_unlink": True,
            }
        )
        with self.assertRaisesRegex(AccessError, "cannot be changed"):
            self._call(
                self.manager, "islah.access.log", "write", self.log.ids, {"purpose": "changed"}
            )
        with self.assertRaisesRegex(AccessError, "cannot be deleted"):
            self._call(self.manager, "islah.access.log", "unlink", self.log.ids)
        self.assertTrue(self.log.exists())


@tagged("post_install", "-at_install")
class TestAccessLogRpcRead(HttpCase, IslahAccessLogCase):
    """A plain ``read`` RPC of sensitive fields is logged too, through the
    real JSON-RPC route; the form's ``web_read`` gives one line, not two."""

    def _rpc(self, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/islah.beneficiary/{method}",
            {"model": "islah.beneficiary", "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_rpc_read_is_logged_once(self):
        self.authenticate(self.officer_men.login, self.officer_men.login)
        start = self._last_id()
        values = self._rpc("read", [self.beneficiary.ids, ["name", "iban"]])
        self.assertEqual(values[0]["iban"], "SA0380000000608010167519")
        log = self._new_logs(start)
        self.assertEqual(len(log), 1)
        self.assertEqual((log.user_id, log.field_names), (self.officer_men, "iban"))
        start = self._last_id()
        self._rpc("web_read", [self.beneficiary.ids], {"specification": {"national_id": {}}})
        log = self._new_logs(start)
        self.assertEqual(len(log), 1)
        self.assertEqual(log.field_names, "national_id")
        # no sensitive field, no line
        start = self._last_id()
        self._rpc("read", [self.beneficiary.ids, ["name"]])
        self.assertFalse(self._new_logs(start))

    def test_rpc_search_read_and_grouping_are_logged(self):
        """``search_read`` does not go through ``read``, and grouping by a
        national ID lists them all: both are reads of sensitive fields."""
        self.authenticate(self.officer_men.login, self.officer_men.login)
        start = self._last_id()
        rows = self._rpc(
            "search_read", [], {"domain": [("id", "=", self.beneficiary.id)], "fields": ["iban"]}
        )
        self.assertEqual(rows[0]["iban"], "SA0380000000608010167519")
        log = self._new_logs(start)
        self.assertEqual(
            (len(log), log.field_names, log.res_ids), (1, "iban", str(self.beneficiary.id))
        )
        start = self._last_id()
        groups = self._rpc(
            "formatted_read_group",
            [[("id", "=", self.beneficiary.id)]],
            {"groupby": ["national_id"], "aggregates": ["__count"]},
        )
        self.assertEqual(groups[0]["national_id"], self.beneficiary.national_id)
        log = self._new_logs(start)
        self.assertTrue(log)
        self.assertEqual(set(log.mapped("field_names")), {"national_id"})
        # grouping by something else is no read of a sensitive field
        start = self._last_id()
        self._rpc("formatted_read_group", [[]], {"groupby": ["section"], "aggregates": ["__count"]})
        self.assertFalse(self._new_logs(start))

    def test_rpc_read_of_a_web_intake_is_logged(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Web intake",
                "type": "lead",
                "islah_gender": "male",
                "team_id": self.env.ref("islah_beneficiary.crm_team_islah_men").id,
            }
        )
        lead.sudo().write({"islah_national_id": self.beneficiary.national_id, "islah_need": "Rent"})
        self.authenticate(self.officer_men.login, self.officer_men.login)
        start = self._last_id()
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/crm.lead/read",
            {
                "model": "crm.lead",
                "method": "read",
                "args": [lead.ids, ["islah_national_id", "islah_need"]],
                "kwargs": {},
            },
        )
        log = self._new_logs(start)
        self.assertEqual((len(log), log.model, log.section), (1, "crm.lead", "men"))
        self.assertEqual(log.field_names, "islah_national_id, islah_need")

    def test_web_client_export_is_logged(self):
        # the Export dialog's download route (/web/export/xlsx) calls export_data
        self.authenticate(self.manager.login, self.manager.login)
        start = self._last_id()
        data = {
            "model": "islah.beneficiary",
            "fields": [
                {"name": "national_id", "label": "National ID"},
                {"name": "section", "label": "Section"},
            ],
            "ids": self.beneficiary.ids,
            "domain": [],
            "import_compat": False,
        }
        response = self.url_open(
            "/web/export/xlsx",
            data={"data": json.dumps(data), "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 200)
        log = self._new_logs(start)
        self.assertEqual(len(log), 1)
        self.assertEqual(
            (log.kind, log.user_id, log.model), ("export", self.manager, "islah.beneficiary")
        )
        self.assertEqual((log.field_names, log.row_count), ("national_id, section", 1))
        self.assertTrue(log.with_identifiers)
