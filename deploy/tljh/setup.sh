#!/usr/bin/env bash
# Study circles on The Littlest JupyterHub (TLJH), on a fresh Ubuntu/Debian server. Run as root:
#
#   sudo ADMIN=ana DOMAIN=circle.example.org EMAIL=ana@example.org ./deploy/tljh/setup.sh
#
# from a copy of this repository on the server. Running it again is safe: it re-applies the settings.
#
#   ADMIN       hub admin; signs up first at /hub/signup under this name, then approves the others (required)
#   DOMAIN      public name of the server, for a Let's Encrypt certificate (optional; plain HTTP without it)
#   EMAIL       contact address for Let's Encrypt (required with DOMAIN)
#   PACKAGE     what pip installs as solidarity-edu (default: this repository's folder)
#   MEM_LIMIT   memory cap per participant (default 1G, from deploy/README.md "Sizes")
#   CULL_AFTER  seconds without activity before a participant's server is stopped (default 3600)
set -euo pipefail

: "${ADMIN:?set ADMIN to the hub username of the admin}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT="$(cd "${HERE}/../.." && pwd)"
PACKAGE="${PACKAGE:-${PROJECT}}"
MEM_LIMIT="${MEM_LIMIT:-1G}"
CULL_AFTER="${CULL_AFTER:-3600}"
TLJH=/opt/tljh

if [[ ${EUID} -ne 0 ]]; then
    echo "run as root (sudo)" >&2
    exit 1
fi

# 1. TLJH itself (once).
if [[ ! -x "${TLJH}/hub/bin/python3" ]]; then
    apt-get update
    apt-get install --yes --no-install-recommends python3 python3-dev git curl
    curl -fsSL https://tljh.jupyter.org/bootstrap.py | python3 - --admin "${ADMIN}"
fi

# 2. Lessons run in the user environment: the whole project (JupyterLab, ipywidgets, nbgitpuller, ...).
"${TLJH}/user/bin/python" -m pip install --no-cache-dir "${PACKAGE}"

# 3. The hub environment only needs to import solidarity_edu.circle.hub: no dependencies, so TLJH's
#    pinned JupyterHub stays as it is.
"${TLJH}/hub/bin/python3" -m pip install --no-cache-dir --no-deps "${PACKAGE}"

# 4. The circle service and its store (SQLite, readable by root only; the service runs under the hub).
install -d -m 0700 /srv/solidarity-circle
install -d -m 0755 "${TLJH}/config/jupyterhub_config.d"
install -m 0644 "${HERE}/jupyterhub_config.d/solidarity_circle.py" "${TLJH}/config/jupyterhub_config.d/"

# 5. Who can log in: participants sign up, an admin approves each one.
tljh-config set auth.type nativeauthenticator.NativeAuthenticator
tljh-config set auth.NativeAuthenticator.open_signup false
tljh-config set auth.NativeAuthenticator.allow_all true
tljh-config set auth.NativeAuthenticator.minimum_password_length 10
tljh-config set auth.NativeAuthenticator.check_common_password true
tljh-config set auth.NativeAuthenticator.allowed_failed_logins 5

# 6. Memory cap per participant (enforced by systemd), idle culling, JupyterLab by default.
tljh-config set limits.memory "${MEM_LIMIT}"
tljh-config set services.cull.enabled true
tljh-config set services.cull.timeout "${CULL_AFTER}"
tljh-config set services.cull.every 300
tljh-config set user_environment.default_app jupyterlab

# 7. HTTPS from Let's Encrypt, if the server has a name.
if [[ -n "${DOMAIN:-}" ]]; then
    : "${EMAIL:?set EMAIL (contact address for the certificate) together with DOMAIN}"
    tljh-config set https.enabled true
    tljh-config set https.letsencrypt.email "${EMAIL}"
    tljh-config unset https.letsencrypt.domains >/dev/null 2>&1 || true
    tljh-config add-item https.letsencrypt.domains "${DOMAIN}"
    tljh-config reload proxy
fi

tljh-config reload hub
echo "Done. Sign up as '${ADMIN}' at /hub/signup, then approve participants at /hub/authorize."
