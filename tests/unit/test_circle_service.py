"""The circle service's own settings: the HTTP server's limits, the trusted-proxy switch, k, and a log
line that carries neither a prompt nor a token. (Requests are tested on a real hub: tests/hub.)"""

from __future__ import annotations

import pytest

from solidarity_edu.circle import service
from solidarity_edu.circle.shares import MAX_BODY_BYTES
from solidarity_edu.errors import CircleError


@pytest.mark.parametrize(
    ("uri", "logged"),
    [
        ("/services/circle/api/shares/07-who", "/services/circle/api/shares/PROMPT"),
        ("/services/circle/api/shares/07-who?token=abc123", "/services/circle/api/shares/PROMPT?token=[redacted]"),
        (
            "/services/circle/oauth_callback?code=c0de&state=s7",
            "/services/circle/oauth_callback?code=[redacted]&state=[redacted]",
        ),
        ("/services/circle/api/summary?lesson=07&TOKEN=x", "/services/circle/api/summary?lesson=07&TOKEN=[redacted]"),
    ],
)
def test_the_access_log_shows_no_prompt_and_no_secret(uri, logged):
    assert service.redacted_uri(uri) == logged
    for secret in ("abc123", "c0de", "07-who"):
        assert secret not in service.redacted_uri(uri)


def test_the_http_server_enforces_the_body_limits_and_believes_no_proxy_by_default(monkeypatch):
    monkeypatch.delenv("SOLIDARITY_EDU_CIRCLE_TRUSTED_PROXY", raising=False)
    server = service.make_server(lambda request: None)
    assert server.conn_params.max_body_size == service.SERVER_MAX_BODY <= 4 * MAX_BODY_BYTES
    assert server.max_buffer_size == service.SERVER_MAX_BUFFER
    assert server.xheaders is False
    monkeypatch.setenv("SOLIDARITY_EDU_CIRCLE_TRUSTED_PROXY", "1")
    assert service.make_server(lambda request: None).xheaders is True


def test_k_comes_from_the_environment_and_nonsense_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("SOLIDARITY_EDU_CIRCLE_MIN_SHARES", raising=False)
    assert service.min_shares_setting() == 3
    monkeypatch.setenv("SOLIDARITY_EDU_CIRCLE_MIN_SHARES", "5")
    assert service.min_shares_setting() == 5
    for bad in ("0", "-2", "three", "٣"):
        monkeypatch.setenv("SOLIDARITY_EDU_CIRCLE_MIN_SHARES", bad)
        with pytest.raises(CircleError, match="SOLIDARITY_EDU_CIRCLE_MIN_SHARES"):
            service.min_shares_setting()
