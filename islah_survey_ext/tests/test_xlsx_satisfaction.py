"""The satisfaction bridge of the managers' workbook: a Satisfaction sheet
and the policy's "surveyed after delivery" share, read back with openpyxl."""

import io

import openpyxl

from odoo.tests import tagged

from odoo.addons.islah_beneficiary.tests.common import IslahCommon


@tagged("post_install", "-at_install")
class TestXlsxSatisfaction(IslahCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = cls.env["islah.service.type"].create(
            {"name": "Test satisfaction service", "needs_research": False}
        )
        cls.survey = cls.env["survey.survey"].create({"title": "Test satisfaction"})
        cls.delivered = cls.env["islah.support.request"]
        for _index in range(3):
            cls.delivered |= cls._request_in_state("done", service_type_id=cls.service.id)
        UserInput = cls.env["survey.user_input"].sudo()
        # two of the three delivered requests surveyed: one answered (80), one not yet
        UserInput.create(
            {
                "survey_id": cls.survey.id,
                "islah_request_id": cls.delivered[0].id,
                "islah_invitation_state": "answered",
                "islah_score": 80.0,
                "islah_scored": True,
            }
        )
        UserInput.create(
            {
                "survey_id": cls.survey.id,
                "islah_request_id": cls.delivered[1].id,
                "islah_invitation_state": "invited",
            }
        )

    def _export(self, user):
        wizard = (
            self.env["islah.report.export"]
            .with_user(user)
            .create({"service_type_ids": [(6, 0, self.service.ids)]})
        )
        output = io.BytesIO()
        wizard.env["islah.request.xlsx.report"]._generate_xlsx(wizard, output)
        return openpyxl.load_workbook(io.BytesIO(output.getvalue()))

    @staticmethod
    def _table(sheet):
        header = [cell.value for cell in sheet[1]]
        return [
            dict(zip(header, row, strict=True))
            for row in sheet.iter_rows(min_row=2, values_only=True)
        ]

    def test_satisfaction_sheet(self):
        workbook = self._export(self.manager)
        rows = {
            (row["Breakdown"], row["Item"]): row for row in self._table(workbook["Satisfaction"])
        }
        total = rows[("Total", "All")]
        self.assertEqual((total["Invited"], total["Answered"]), (2, 1))
        self.assertAlmostEqual(total["Response rate"], 0.5)
        self.assertAlmostEqual(total["Average score"], 80.0)
        service = rows[("Service", "Test satisfaction service")]
        self.assertEqual(service["Invited"], 2)
        self.assertIn(("Channel", self.channel_interview.name), rows)
        officer = self.delivered[0].officer_id.name
        self.assertEqual(rows[("Officer", officer)]["Answered"], 1)

    def test_policy_surveyed_after_delivery(self):
        workbook = self._export(self.manager)
        [men] = [
            row
            for row in self._table(workbook["Policy compliance"])
            if row["Section"] == "Men's section"
        ]
        self.assertAlmostEqual(men["Surveyed after delivery"], 2 / 3)

    def test_section_limited_manager(self):
        self.delivered[1].beneficiary_id.sudo().gender = "female"
        workbook = self._export(self.manager_men)
        total = {
            (row["Breakdown"], row["Item"]): row for row in self._table(workbook["Satisfaction"])
        }[("Total", "All")]
        self.assertEqual((total["Invited"], total["Answered"]), (1, 1))
