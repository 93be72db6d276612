from odoo.tests import tagged

from .common import IslahExportCase


@tagged("post_install", "-at_install")
class TestOutreachXlsx(IslahExportCase):
    """The Outreach sheet of the managers' workbook, read back with openpyxl."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["islah.service.type"].search([]).write({"outreach_enabled": False})
        cls.env["islah.beneficiary"].search([]).write({"islah_outreach_opt_out": True})
        cls.service.write({"outreach_enabled": True, "outreach_invite": True})
        people = cls.env["islah.beneficiary"]
        for gender, email in (
            ("male", "m1@example.com"),
            ("male", False),
            ("female", "f1@example.com"),
        ):
            person = cls._create_beneficiary(gender=gender, email=email)
            person.sudo().state = "registered"
            people |= person
        cls.people = people
        cls.env["islah.outreach"]._cron_islah_outreach()
        cls.outreach = cls.env["islah.outreach"].search([("beneficiary_id", "in", people.ids)])
        # the first man applies, the woman is reached
        cls._create_request(people[0], service_type_id=cls.service.id)
        woman = cls.outreach.filtered(lambda o: o.beneficiary_id == people[2])
        woman.with_user(cls.officer_women).action_reached()

    def _outreach_sheet(self, user, **vals):
        workbook = self._export(user, **vals)
        sheets = {sheet.title: sheet for sheet in workbook.worksheets}
        return sheets["Outreach"]

    def test_sheet_figures(self):
        sheet = self._outreach_sheet(self.manager)
        self.assertEqual(
            self._header(sheet),
            [
                "Service",
                "Section",
                "Outreach made",
                "Invitations sent",
                "Officer to-dos",
                "Reached",
                "Converted into requests",
                "Conversion rate",
            ],
        )
        rows = {(row[0], row[1]): row[2:] for row in self._rows(sheet)}
        men = rows[("Test export service", "Men's section")]
        women = rows[("Test export service", "Women's section")]
        # two men: one invited, one without e-mail called; one applied (so reached)
        self.assertEqual(men[:5], [2, 1, 1, 1, 1])
        self.assertAlmostEqual(men[5], 0.5)
        self.assertEqual(women[:5], [1, 1, 0, 1, 0])
        self.assertEqual(rows[("Total", None)][:5], [3, 2, 1, 2, 1])

    def test_sheet_follows_caller_section(self):
        """A men's manager sees only the men's section's outreach."""
        rows = self._rows(self._outreach_sheet(self.manager_men))
        self.assertEqual([row[1] for row in rows], ["Men's section", None])
        self.assertEqual(rows[-1][2], 2)

    def test_sheet_follows_filters(self):
        rows = self._rows(self._outreach_sheet(self.manager, section="women"))
        self.assertEqual([row[1] for row in rows], ["Women's section", None])
        other = self.env["islah.service.type"].create({"name": "Test other service"})
        rows = self._rows(self._outreach_sheet(self.manager, service_type_ids=[(6, 0, other.ids)]))
        self.assertEqual(rows, [["Total", None, 0, 0, 0, 0, 0, None]])
