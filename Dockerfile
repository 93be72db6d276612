# The official Odoo 19 image plus this project's Python requirements:
# hijridate (required by islah_beneficiary's manifest) and the test tools.
# Used by docker-compose.yml; build with `docker compose build`.
FROM odoo:19.0

USER root
# The browser tours need a headless Chromium; install it unless the base image
# already ships one (wkhtmltopdf and rtlcss come with the official image).
RUN command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
    || (apt-get update \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium \
        && rm -rf /var/lib/apt/lists/*)
COPY requirements.txt /tmp/islah-requirements.txt
# Ubuntu's Python is "externally managed" (PEP 668), hence
# --break-system-packages; --ignore-installed installs newer copies in
# /usr/local instead of trying to uninstall apt's (python3-phonenumbers...),
# which pip cannot do.
RUN pip3 install --no-cache-dir --break-system-packages --ignore-installed \
        -r /tmp/islah-requirements.txt \
    && rm /tmp/islah-requirements.txt
USER odoo
