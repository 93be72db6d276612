"""Arabic first: both addons' catalogues are complete and keep their
placeholders, and loading Arabic shows the application in Arabic."""

import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

ADDONS = Path(__file__).resolve().parents[2]
# format placeholders, inline templates, QWeb expressions and tag names; a
# translation may add presentational attributes (dir="rtl" on an e-mail body)
PLACEHOLDER = re.compile(r'%\([a-z_]+\)[sd]|%[sd]|\{\{.*?\}\}|t-[a-z-]+="[^"]*"|</?[a-z0-9]+')


@tagged("post_install", "-at_install")
class TestArabicCatalogues(TransactionCase):
    def _catalogue(self, addon):
        return polib.pofile(str(ADDONS / addon / "i18n" / "ar.po"))

    def test_every_entry_translated(self):
        for addon in ("islah_beneficiary", "islah_survey_ext"):
            with self.subTest(addon=addon):
                untranslated = [e.msgid for e in self._catalogue(addon) if not e.msgstr]
                self.assertFalse(untranslated, f"{addon}/i18n/ar.po lacks Arabic for these")

    def test_placeholders_kept(self):
        for addon in ("islah_beneficiary", "islah_survey_ext"):
            for entry in self._catalogue(addon):
                with self.subTest(addon=addon, msgid=entry.msgid[:60]):
                    self.assertEqual(
                        sorted(PLACEHOLDER.findall(entry.msgid)),
                        sorted(PLACEHOLDER.findall(entry.msgstr)),
                    )

    def test_catalogue_matches_template(self):
        """ar.po covers every entry of the exported .pot (kept up to date)."""
        for addon in ("islah_beneficiary", "islah_survey_ext"):
            with self.subTest(addon=addon):
                pot = polib.pofile(str(ADDONS / addon / "i18n" / f"{addon}.pot"))
                translated = {e.msgid for e in self._catalogue(addon)}
                self.assertFalse({e.msgid for e in pot} - translated)

    def test_catalogue_covers_the_live_export(self):
        """Every term Odoo would export from the installed addons now (code,
        views, data) has its Arabic: a .pot left stale cannot hide one."""
        for addon in ("islah_beneficiary", "islah_survey_ext"):
            with self.subTest(addon=addon):
                translated = {e.msgid for e in self._catalogue(addon) if e.msgstr}
                exported = {
                    source
                    for module, _type, _name, _res_id, source, _value, _comments in (
                        TranslationModuleReader(self.env.cr, [addon])
                    )
                    if module == addon
                }
                self.assertTrue(exported)
                self.assertFalse(exported - translated, f"{addon}/i18n/ar.po lacks these")

    def test_application_shows_in_arabic(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.env["ir.module.module"]._load_module_terms(
            ["islah_beneficiary"], ["ar_001"], overwrite=True
        )
        arabic = self.env(context={"lang": "ar_001"})
        catalogue = {e.msgid: e.msgstr for e in self._catalogue("islah_beneficiary")}
        menu = arabic.ref("islah_beneficiary.islah_beneficiary_menu_root")
        self.assertEqual(menu.name, catalogue["Beneficiary Relations"])
        channel = arabic.ref("islah_beneficiary.utm_medium_interview")
        self.assertEqual(channel.display_name, catalogue["In-person interview"])
        state_labels = dict(
            arabic["islah.support.request"]._fields["state"]._description_selection(arabic)
        )
        self.assertEqual(state_labels["committee"], catalogue["Research Committee"])
