"""What applicants may upload (public form and portal), as plain functions.

The messages are translated by the caller's environment (``env._``), so
they come out in the visitor's language; nothing else of ``env`` is used."""

import os

from odoo.tools.mimetypes import guess_mimetype

# extension -> the content types accepted for it (sniffed from the bytes)
ALLOWED_UPLOADS = {
    ".pdf": {"application/pdf"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".png": {"image/png"},
}
MAX_UPLOAD_FILES = 10
# the total of one submission, in multiples of the per-file limit
TOTAL_UPLOAD_FACTOR = 4
DEFAULT_MAX_UPLOAD_MB = 5


def upload_limits(max_upload_mb):
    """(largest file, largest submission) in bytes."""
    per_file = (max_upload_mb or DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024
    return per_file, per_file * TOTAL_UPLOAD_FACTOR


def upload_problem(filename, content, max_upload_mb, env):
    """Why ``content`` cannot be accepted, or False.

    The type is checked on the content (magic bytes), not only on the file
    name: a renamed executable is refused."""
    per_file, _total = upload_limits(max_upload_mb)
    extension = os.path.splitext(filename or "")[1].lower()
    if extension not in ALLOWED_UPLOADS:
        return env._("%(file)s: only PDF, JPG and PNG files are accepted.", file=filename)
    if not content:
        return env._("%(file)s is empty.", file=filename)
    if len(content) > per_file:
        return env._(
            "%(file)s is larger than %(size)s MB.",
            file=filename,
            size=max_upload_mb or DEFAULT_MAX_UPLOAD_MB,
        )
    if guess_mimetype(content, default="") not in ALLOWED_UPLOADS[extension]:
        return env._(
            "%(file)s: the content of the file is not a PDF, JPG or PNG document.",
            file=filename,
        )
    return False


def upload_problems(files, max_upload_mb, env):
    """The messages for a list of ``(filename, content)``, each file's and
    the submission's (number of files, total size)."""
    errors = [
        error
        for filename, content in files
        if (error := upload_problem(filename, content, max_upload_mb, env))
    ]
    _per_file, total = upload_limits(max_upload_mb)
    if len(files) > MAX_UPLOAD_FILES:
        errors.append(env._("Send at most %(count)s files.", count=MAX_UPLOAD_FILES))
    if sum(len(content or b"") for _name, content in files) > total:
        errors.append(
            env._("The files together are larger than %(size)s MB.", size=total // (1024 * 1024))
        )
    return errors
