"""Network behaviour of the recordings layer against a local server that accepts connections but
never answers (a school firewall or captive portal): a short timeout, one failure per session,
retry(), and no leftovers of a killed download. Only 127.0.0.1 is ever contacted."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from utils import ParameterError
from utils import recordings as data

ROOT = Path(__file__).resolve().parents[2]


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never sends a byte. Stops by itself after
    ``lifetime_s`` (or at close()), closing every connection it accepted."""

    def __init__(self, lifetime_s: float = 30.0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._conns = []
        self._stop = threading.Event()
        self._deadline = time.monotonic() + lifetime_s
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set() and time.monotonic() < self._deadline:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            self._conns.append(conn)  # held open, never answered
        for c in self._conns:
            c.close()
        self.sock.close()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def close(self):
        self._stop.set()
        self._thread.join(timeout=5)


@pytest.fixture
def silent_server():
    srv = SilentServer()
    yield srv
    srv.close()


@pytest.fixture
def local_only(monkeypatch):
    """Name resolution works for 127.0.0.1 only: nothing can leave the machine."""
    real = socket.getaddrinfo

    def only_local(host, *args, **kwargs):
        if host not in ("127.0.0.1", b"127.0.0.1"):
            raise OSError(f"test: no network beyond 127.0.0.1 (asked for {host!r})")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", only_local)


@pytest.fixture
def served_registry(monkeypatch, silent_server, tmp_path):
    """Every registry URL points at the silent server; the cache is an empty folder."""
    rows = {n: dict(r, url=silent_server.url(r["file"])) for n, r in data._by_name().items()}
    monkeypatch.setattr(data, "_by_name", lambda: rows)
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    monkeypatch.setenv(data.TIMEOUT_ENV_VAR, "1")
    return rows


def test_timeout_default_is_at_most_10_s_and_overridable(monkeypatch):
    monkeypatch.delenv(data.TIMEOUT_ENV_VAR, raising=False)
    assert data.timeout_s() == data.TIMEOUT_S <= 10
    monkeypatch.setenv(data.TIMEOUT_ENV_VAR, "2.5")
    assert data.timeout_s() == 2.5
    for bad in ("0", "-1", "nan", "inf", "soon", "1e9"):
        monkeypatch.setenv(data.TIMEOUT_ENV_VAR, bad)
        with pytest.raises(ParameterError, match=data.TIMEOUT_ENV_VAR):
            data.timeout_s()


def test_silent_network_fails_fast_then_at_once_until_retry(served_registry, local_only, silent_server):
    t0 = time.monotonic()
    with pytest.raises(data.RecordingUnavailable) as first:
        data.fetch("twitch")
    t_first = time.monotonic() - t0
    assert silent_server.accepted >= 1  # it did reach the server, which never answered
    assert t_first < 8, t_first  # 1 s timeout (connect + read), not the 62 s of before
    assert "no network connection" in first.value.reason

    # every later file fails at once, with the same reason, without touching the network
    n = silent_server.accepted
    t0 = time.monotonic()
    with pytest.raises(data.RecordingUnavailable) as later:
        data.load_emg("healthy")  # two files
    assert time.monotonic() - t0 < 0.5
    assert silent_server.accepted == n
    assert len(later.value.entries) == 2
    assert later.value.reason.startswith(first.value.reason)
    assert "retry()" in later.value.reason
    md = data.unavailable_message(later.value)
    assert "retry()" in md and served_registry["emg_healthy"]["url"] in md

    # retry() tries the network again
    data.retry()
    with pytest.raises(data.RecordingUnavailable) as again:
        data.fetch("tetanus")
    assert silent_server.accepted > n
    assert "retry()" not in again.value.reason


def test_stale_temp_file_of_a_killed_download_is_cleaned(tmp_path, silent_server, monkeypatch):
    """A download killed with SIGKILL leaves pooch's tmp* file; the next load removes it once it
    is older than STALE_TMP_S (fresh ones may belong to a download in another kernel)."""
    code = (
        "import socket, sys\n"
        "real = socket.getaddrinfo\n"
        "def only_local(host, *a, **k):\n"
        "    if host != '127.0.0.1':\n"
        "        raise OSError('no network')\n"
        "    return real(host, *a, **k)\n"
        "socket.getaddrinfo = only_local\n"
        "from utils import recordings as data\n"
        f"rows = {{n: dict(r, url='{silent_server.url('x')}') for n, r in data._by_name().items()}}\n"
        "data._by_name = lambda: rows\n"
        "data.fetch('twitch')\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), **{data.ENV_VAR: str(tmp_path), data.TIMEOUT_ENV_VAR: "60"})
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT)
    folder = tmp_path / "workloopR"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(folder.glob("tmp*")):
            assert proc.poll() is None, "the download ended before it could be killed"
            time.sleep(0.05)
        leftovers = list(folder.glob("tmp*"))
        assert leftovers, "no temporary download file appeared"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert list(folder.glob("tmp*")) == leftovers  # SIGKILL: nothing cleaned up

    # a fresh leftover is kept (it may be a download in progress elsewhere) ...
    data._clean_stale_tmp(folder)
    assert list(folder.glob("tmp*")) == leftovers
    # ... a stale one is removed by the next load, whatever that load then does
    old = time.time() - data.STALE_TMP_S - 5
    for p in leftovers:
        os.utime(p, (old, old))
    (folder / "twitch.ddf").write_bytes(b"not the file")  # the load itself fails: hash mismatch
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    with pytest.raises(data.RecordingCorrupted):
        data.fetch("twitch")
    assert list(folder.glob("tmp*")) == []


def test_an_http_error_is_not_a_network_failure(monkeypatch, tmp_path):
    """A server that answers (404) does not make later downloads fail at once."""
    import requests

    class NotFound:
        def __call__(self, url, output_file, pooch):
            raise requests.HTTPError("404 Client Error: Not Found")

    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    monkeypatch.setattr(data, "_downloader", lambda: NotFound())
    with pytest.raises(data.RecordingUnavailable, match="404"):
        data.fetch("twitch")
    assert not data._NETWORK_DOWN
    with pytest.raises(data.RecordingUnavailable) as ei:
        data.fetch("tetanus")
    assert "retry()" not in ei.value.reason


def test_a_connection_error_is_remembered_until_retry(monkeypatch, tmp_path):
    import requests

    calls = []

    class Down:
        def __call__(self, url, output_file, pooch):
            calls.append(url)
            raise requests.ConnectionError("no route to host")

    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    monkeypatch.setattr(data, "_downloader", lambda: Down())
    with pytest.raises(data.RecordingUnavailable):
        data.fetch("twitch")
    with pytest.raises(data.RecordingUnavailable, match="retry"):
        data.fetch("tetanus")
    assert len(calls) == 1
    data.retry()
    with pytest.raises(data.RecordingUnavailable):
        data.fetch("tetanus")
    assert len(calls) == 2


class SlowResolver:
    """A resolver that never answers in time (a school DNS that swallows queries): each call
    blocks until released (at most ``hold_s``), then fails."""

    def __init__(self, hold_s: float = 30.0):
        self.calls: list = []
        self.hold_s = hold_s
        self.release = threading.Event()

    def __call__(self, host, *args, **kwargs):
        self.calls.append(host)
        self.release.wait(self.hold_s)
        raise socket.gaierror(f"test: the resolver never answered for {host!r}")


def test_a_resolver_that_never_answers_fails_within_the_timeout_then_at_once(monkeypatch, tmp_path):
    """socket.getaddrinfo has no timeout of its own: the download resolves the server's name in a
    worker thread bounded by TWITCH_NET_TIMEOUT_S, so the message appears within that deadline
    and every later file fails at once (one message per session, until retry())."""
    slow = SlowResolver()
    monkeypatch.setattr(socket, "getaddrinfo", slow)
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    monkeypatch.setenv(data.TIMEOUT_ENV_VAR, "1")
    try:
        t0 = time.monotonic()
        with pytest.raises(data.RecordingUnavailable) as first:
            data.fetch("twitch")
        t_first = time.monotonic() - t0
        assert 0.9 < t_first < 3.0, t_first  # the 1 s deadline, not the resolver's 30 s
        assert slow.calls == ["raw.githubusercontent.com"], slow.calls
        assert "no network connection" in first.value.reason
        assert "name resolution" in first.value.reason and "1 s" in first.value.reason
        assert "retry()" not in first.value.reason
        md = data.unavailable_message(first.value)
        assert first.value.entries[0]["url"] in md

        t0 = time.monotonic()
        with pytest.raises(data.RecordingUnavailable) as later:
            data.load_emg("healthy")  # two files, neither asks the resolver
        assert time.monotonic() - t0 < 0.5
        assert len(slow.calls) == 1
        assert len(later.value.entries) == 2
        assert later.value.reason.startswith(first.value.reason) and "retry()" in later.value.reason
        assert not list(tmp_path.rglob("*")), "a failed download leaves no files or folders"
    finally:
        slow.release.set()


def test_name_resolution_within_the_deadline_is_used(monkeypatch):
    """The bounded resolution returns what the resolver answers, and passes its errors on."""
    real = socket.getaddrinfo
    assert data._resolve_host("127.0.0.1", 80, 1.0) == real("127.0.0.1", 80, type=socket.SOCK_STREAM)
    slow = SlowResolver(hold_s=0.0)
    monkeypatch.setattr(socket, "getaddrinfo", slow)
    with pytest.raises(socket.gaierror, match="never answered"):
        data._resolve_host("example.org", 443, 1.0)
