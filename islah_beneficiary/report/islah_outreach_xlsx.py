from odoo import models
from odoo.fields import Domain

from . import islah_xlsx_writer as xw


class IslahRequestXlsxReport(models.AbstractModel):
    """The outreach sheet of the managers' workbook: outreach made, people
    reached and requests that followed, by service and section."""

    _inherit = "islah.request.xlsx.report"  # pylint: disable=consider-merging-classes-inherited

    def _xlsx_sheets(self):
        return super()._xlsx_sheets() + ["outreach"]

    def _outreach_domain(self, export):
        """The outreach made in the export's period, of its section and
        services; the record rules add the caller's sections on search."""
        start, end = export._utc_bounds()
        domain = Domain("contacted_on", ">=", start) & Domain("contacted_on", "<", end)
        if export.section:
            domain &= Domain("section", "=", export.section)
        if export.service_type_ids:
            domain &= Domain("service_type_id", "in", export.service_type_ids.ids)
        return domain

    def _write_outreach_sheet(self, book, export):
        """One row per service and section, counted by the database, then
        the total."""
        sheet = book.add_sheet(
            self.env._("Outreach"),
            [
                (self.env._("Service"), 28, xw.TEXT),
                (self.env._("Section"), 18, xw.TEXT),
                (self.env._("Outreach made"), 12, xw.INTEGER),
                (self.env._("Invitations sent"), 12, xw.INTEGER),
                (self.env._("Officer to-dos"), 12, xw.INTEGER),
                (self.env._("Reached"), 12, xw.INTEGER),
                (self.env._("Converted into requests"), 14, xw.INTEGER),
                (self.env._("Conversion rate"), 14, xw.PERCENT),
            ],
        )
        for row in self._outreach_rows(export):
            sheet.write_row(row)

    def _outreach_rows(self, export):
        Outreach = self.env["islah.outreach"]
        domain = self._outreach_domain(export)
        sections = self._selection_labels("islah.outreach", "section")
        invitations = {
            (service, section): count
            for service, section, count in Outreach._read_group(
                domain & Domain("method", "=", "invitation"),
                ["service_type_id", "section"],
                ["__count"],
            )
        }
        rows = []
        totals = [0, 0, 0, 0, 0]
        for service, section, made, reached, converted in Outreach._read_group(
            domain,
            ["service_type_id", "section"],
            ["__count", "reached_count:sum", "converted_count:sum"],
            order="service_type_id, section",
        ):
            invited = invitations.get((service, section), 0)
            figures = [made, invited, made - invited, reached, converted]
            totals = [a + b for a, b in zip(totals, figures, strict=True)]
            rows.append(
                [service.name, sections.get(section, ""), *figures,
                 converted / made if made else None]
            )  # fmt: skip
        rows.append(
            [self.env._("Total"), "", *totals, totals[4] / totals[0] if totals[0] else None]
        )
        return rows
