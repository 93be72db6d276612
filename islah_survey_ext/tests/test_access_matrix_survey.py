"""The satisfaction invitation of a women's-section request and its answer
lines, as each role reaches them by RPC (the table of
``islah_beneficiary``'s access matrix, for this addon's records)."""

from odoo.addons.islah_beneficiary.tests.test_access_matrix import IslahAccessMatrixCase, row

from .common import IslahSurveyCommon


class TestSurveyAccessMatrix(IslahAccessMatrixCase, IslahSurveyCommon):
    """Results serve improvement, never blame: an invitation, its token,
    score and answers reach the managers of its section only."""

    _module_name = "islah_survey_ext"
    # fmt: off
    MATRIX = {
        # columns:  off_men  off_wom research   member    chair  mgr_men  manager internal   portal   public
        "islah.satisfaction.report": row("NA-A", "YA-A", "AA-A", "AA-A", "AA-A", "NA-A", "YA-A", "AA-A", "AA-A", "AA-A"),
        "survey.user_input": row("AA-A", "AA-A", "AA-A", "AA-A", "AA-A", "NA-A", "YA-A", "AA-A", "AA-A", "AA-A"),
        "survey.user_input.line": row("AA-A", "AA-A", "AA-A", "AA-A", "AA-A", "AA-A", "AA-A", "AA-A", "AA-A", "AA-A"),
    }
    # fmt: on

    @classmethod
    def _subjects(cls):
        beneficiary = cls._create_beneficiary(gender="female", email="matrix.survey@example.com")
        request = cls._request_in_state(
            "in_service", beneficiary, service_type_id=cls.service_quick.id
        )
        cls.env["islah.service.delivery"].create(
            {"request_id": request.id, "description": "Test guidance given"}
        )
        request.action_done()
        invitation = request.islah_user_input_ids
        invitation._save_lines(cls.q_overall, "4")
        line = invitation.user_input_line_ids[:1]
        figures = cls.env["islah.satisfaction.report"].search(
            [("service_type_id", "=", cls.service_quick.id)], limit=1
        )
        return {
            "islah.satisfaction.report": (figures, {"invitation_count": 5}, None),
            "survey.user_input": (invitation, {"islah_comment": "Changed"}, None),
            "survey.user_input.line": (line, {"value_scale": 1}, None),
        }

    def test_table_is_complete(self):
        """This addon's stored Islah models have their rows too."""
        own = self.env["ir.model.data"].search(
            [("module", "=", self._module_name), ("model", "=", "ir.model")]
        )
        models = self.env["ir.model"].browse(own.mapped("res_id"))
        stored = models.filtered(
            lambda m: (
                not m.transient
                and not self.env[m.model]._abstract
                and self.env[m.model]._original_module == self._module_name
            )
        )
        self.assertFalse(sorted(set(stored.mapped("model")) - set(self.MATRIX)))

    def test_matrix(self):
        self._check_matrix()
