from odoo import api, models


class ReportIslahPolicyEvidence(models.AbstractModel):
    """The evidence report's values: checks, whatever renders it (the
    wizard's button, ``/report/pdf/...``, an RPC call), that the user is a
    manager."""

    _name = "report.islah_beneficiary.report_policy_evidence"
    _description = "Evidence report of the beneficiary relations policy"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["islah.policy.evidence"].browse(docids)
        docs._check_evidence_access()
        return {
            "doc_ids": docids,
            "doc_model": "islah.policy.evidence",
            "docs": docs,
        }
