"""Unit tests of the upload policy in ``tools/upload.py`` (no database)."""

import base64

from odoo.tests.common import BaseCase

from odoo.addons.islah_beneficiary.tools import upload

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PDF_DOC = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MB = 1024 * 1024


class English:
    """An environment as far as the upload rules use it: ``env._``."""

    @staticmethod
    def _(message, **params):
        return message % params


untranslated = English()


class TestUploadPolicy(BaseCase):
    def test_limits_default_and_configured(self):
        self.assertEqual(upload.upload_limits(0), (5 * MB, 20 * MB))
        self.assertEqual(upload.upload_limits(2), (2 * MB, 8 * MB))

    def test_accepted_files(self):
        self.assertFalse(upload.upload_problem("scan.PDF", PDF_DOC, 5, untranslated))
        self.assertFalse(upload.upload_problem("photo.png", PNG_1PX, 5, untranslated))

    def test_refused_files(self):
        self.assertIn(
            "only PDF, JPG and PNG", upload.upload_problem("run.exe", b"MZ", 5, untranslated)
        )
        self.assertIn("is empty", upload.upload_problem("a.pdf", b"", 5, untranslated))
        # a renamed executable: the content is sniffed, not the name
        self.assertIn(
            "content of the file", upload.upload_problem("a.pdf", b"MZ\x90\x00", 5, untranslated)
        )
        big = PDF_DOC + b"0" * MB
        self.assertEqual(
            upload.upload_problem("big.pdf", big, 1, untranslated), "big.pdf is larger than 1 MB."
        )

    def test_submission_limits(self):
        chunk = PDF_DOC + b"0" * (MB - len(PDF_DOC))
        self.assertEqual(upload.upload_problems([("a.pdf", chunk)] * 4, 1, untranslated), [])
        self.assertEqual(
            upload.upload_problems([("a.pdf", chunk)] * 5, 1, untranslated),
            ["The files together are larger than 4 MB."],
        )
        errors = upload.upload_problems([("a.png", PNG_1PX)] * 11, 5, untranslated)
        self.assertEqual(errors, ["Send at most 10 files."])

    def test_messages_go_through_the_callers_translation(self):
        class Arabic:
            @staticmethod
            def _(message, **params):
                return "AR:" + message % params

        translate = Arabic()

        self.assertEqual(upload.upload_problem("a.pdf", b"", 5, translate), "AR:a.pdf is empty.")
        self.assertEqual(
            upload.upload_problems([("a.png", PNG_1PX)] * 11, 5, translate),
            ["AR:Send at most 10 files."],
        )
