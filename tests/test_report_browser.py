"""The HTML reports opened in a real headless Chromium, driven over the DevTools protocol.

A tiny DevTools client (a websocket client on the standard library: no extra package)
loads each page from a file, collects console errors and uncaught exceptions, checks
that every image decoded (naturalWidth > 0), reads the score, clicks a header of the
class table and checks the rows got sorted. Screenshots go to ``tests/artifacts/``
for a person to look at. Skipped when Chromium is not installed.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from test_report_html import buggy_result, class_result, full_result
from grader.report import html

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and os.path.exists(p)), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--window-size=1200,900", "--remote-debugging-port=0"]
SCREENSHOT_MAX_HEIGHT = 7000


# ---------------------------------------------------------------- a minimal websocket + CDP client
class WebSocket:
    """Just enough of RFC 6455 for the DevTools protocol: masked text frames out, frames in."""

    def __init__(self, url: str, timeout: float = 30.0):
        parsed = urlparse(url)
        self.sock = socket.create_connection((parsed.hostname, parsed.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {parsed.path} HTTP/1.1\r\nHost: {parsed.hostname}:{parsed.port}\r\n"
                           f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("websocket handshake: connection closed")
            response += chunk
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"websocket handshake refused: {head[:200]!r}")

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buffer)))
            if not chunk:
                raise ConnectionError("websocket closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def send(self, text: str) -> None:
        payload = text.encode()
        header = bytes([0x81])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def recv(self) -> str:
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            data = self._read(n)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            opcode = b0 & 0x0F
            if opcode == 0x8:
                raise ConnectionError("websocket closed by the browser")
            if opcode in (0x9, 0xA):     # ping / pong: no DevTools traffic
                continue
            message += data
            if b0 & 0x80:
                return message.decode()

    def close(self) -> None:
        self.sock.close()


class Browser:
    """One headless Chromium with one page; records console errors, exceptions and failed loads."""

    def __init__(self, profile: Path):
        self.process = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().count("\n") >= 1):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.quit()
                raise RuntimeError("chromium did not start its DevTools endpoint")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as reply:
            pages = [t for t in json.load(reply) if t["type"] == "page"]
        self.ws = WebSocket(pages[0]["webSocketDebuggerUrl"])
        self.next_id = 0
        self.events: list[dict] = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def call(self, method: str, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == event for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(event)
            self.events.append(json.loads(self.ws.recv()))

    def open(self, path: Path) -> float:
        """Load a file and wait for its load event; the seconds it took."""
        self.events.clear()
        start = time.perf_counter()
        self.call("Page.navigate", url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        return time.perf_counter() - start

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and failed requests seen since the last open()."""
        found = []
        for e in self.events:
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(f"log: {params['entry'].get('text')}")
            elif method == "Network.loadingFailed":
                found.append(f"load failed: {params.get('errorText')}")
        return found

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element (scrolled into view)."""
        box = self.evaluate(f"""(() => {{ const el = document.querySelector({json.dumps(selector)});
            el.scrollIntoView({{block: "center"}}); const r = el.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2]; }})()""")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def screenshot(self, path: Path, selector: str | None = None) -> None:
        """The page (or one element) as PNG, at most SCREENSHOT_MAX_HEIGHT pixels tall."""
        x, y, width, height = self.evaluate(f"""(() => {{
            const el = {json.dumps(selector)} ? document.querySelector({json.dumps(selector)}) : null;
            if (!el) return [0, 0, document.documentElement.scrollWidth, document.documentElement.scrollHeight];
            const r = el.getBoundingClientRect();
            return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }})()""")
        clip = {"x": x, "y": y, "width": width, "height": min(height, SCREENSHOT_MAX_HEIGHT), "scale": 1}
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip)
        path.write_bytes(base64.b64decode(shot["data"]))

    def quit(self) -> None:
        if getattr(self, "ws", None):
            self.ws.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium): browser tests skipped")
    instance = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield instance
    instance.quit()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Student reports (en/ko, graded and self-check) and the class report, written to files."""
    out = tmp_path_factory.mktemp("reports")
    written, timings = {}, {}
    for name, result, lang in (("full_en", full_result(), "en"), ("buggy_en", buggy_result(), "en"),
                               ("buggy_ko", buggy_result(), "ko"),
                               ("buggy_check_en", buggy_result().redacted(), "en")):
        start = time.perf_counter()
        text = html.render_student(result, lang=lang)
        timings[name] = time.perf_counter() - start
        (out / f"{name}.html").write_text(text, encoding="utf-8")
        written[name] = out / f"{name}.html"
    klass = class_result()
    links = {s.student: f"{s.student}.html" for s in klass.submissions}
    for sub in klass.submissions:
        (out / f"{sub.student}.html").write_text(html.render_student(sub), encoding="utf-8")
    for lang in ("en", "ko"):
        start = time.perf_counter()
        (out / f"class_{lang}.html").write_text(html.render_class(klass, links=links, lang=lang), encoding="utf-8")
        timings[f"class_{lang}"] = time.perf_counter() - start
        written[f"class_{lang}"] = out / f"class_{lang}.html"
    ARTIFACTS.mkdir(exist_ok=True)
    written["timings"] = timings
    return written


IMAGES = """[...document.images].map(i => ({alt: i.alt, ok: i.complete && i.naturalWidth > 0,
                                          w: i.naturalWidth, plot: i.classList.contains("plot")}))"""


def _open_and_check(browser: Browser, path: Path, shot: str) -> dict:
    seconds = browser.open(path)
    images = browser.evaluate(IMAGES)
    broken = [i["alt"] for i in images if not i["ok"]]
    assert not broken, f"images that did not load in {path.name}: {broken}"
    problems = browser.problems()
    assert not problems, f"{path.name}: {problems}"
    browser.screenshot(ARTIFACTS / shot)
    return {"seconds": seconds, "images": images}


# ---------------------------------------------------------------- tests
@pytest.mark.parametrize("name", ["full_en", "buggy_en", "buggy_ko", "buggy_check_en"])
def test_student_page_opens_cleanly(browser, pages, name):
    found = _open_and_check(browser, pages[name], f"student_{name}.png")
    result = {"full_en": full_result, "buggy_en": buggy_result, "buggy_ko": buggy_result,
              "buggy_check_en": buggy_result}[name]()
    shown = browser.evaluate("document.getElementById('total-score').textContent")
    assert shown.strip() == f"{result.score:g} / {result.max_score:g}"
    assert any(i["plot"] for i in found["images"]), "no plot on the page"
    visible = browser.evaluate("""(() => { const img = document.querySelector("img.plot");
        img.scrollIntoView(); const r = img.getBoundingClientRect(); return r.width > 50 && r.height > 30; })()""")
    assert visible, "the first plot is not drawn at a visible size"
    timing = browser.evaluate("performance.getEntriesByType('navigation')[0].toJSON()")
    _record(name, pages[name], found["seconds"], timing, pages["timings"].get(name))


def test_failing_case_is_open_and_marks_wrong_cells(browser, pages):
    browser.open(pages["buggy_en"])
    state = browser.evaluate("""(() => {
        const c = document.getElementById("ex12-integer_5x5_3x3");
        return {open: c.open, bad: c.querySelectorAll("td.bad").length,
                hint: c.querySelector(".hint") && c.querySelector(".hint").textContent}; })()""")
    assert state["open"] and state["bad"] >= 8
    assert "cross-correlation" in state["hint"]
    for section in browser.evaluate("[...document.querySelectorAll('section.exercise')].map(s => s.id)"):
        browser.screenshot(ARTIFACTS / f"student_buggy_en_{section}.png", f"section#{section}")


def test_class_page_sorts_on_click(browser, pages):
    found = _open_and_check(browser, pages["class_en"], "class_en.png")
    assert any(i["plot"] for i in found["images"])
    column = """[...document.querySelectorAll("#students tbody tr")].map(r => parseFloat(r.cells[1].dataset.sort))"""
    names = """[...document.querySelectorAll("#students tbody tr")].map(r => r.cells[0].textContent.trim())"""
    before = browser.evaluate(names)
    browser.click("#students thead th:nth-child(2)")
    ascending = browser.evaluate(column)
    assert ascending == sorted(ascending) and browser.evaluate(names) != before
    browser.click("#students thead th:nth-child(2)")
    descending = browser.evaluate(column)
    assert descending == sorted(descending, reverse=True)
    assert browser.evaluate("document.querySelector('#students thead th:nth-child(2)').getAttribute('aria-sort')") \
        == "descending"
    browser.click("#students thead th:nth-child(1)")
    assert browser.evaluate(names) == ["alice", "bob", "carol", "dave"]
    assert browser.evaluate("document.querySelector('#students tbody a').getAttribute('href')").endswith(".html")
    timing = browser.evaluate("performance.getEntriesByType('navigation')[0].toJSON()")
    _record("class_en", pages["class_en"], found["seconds"], timing, pages["timings"]["class_en"])
    ko = _open_and_check(browser, pages["class_ko"], "class_ko.png")
    assert any(i["plot"] for i in ko["images"])


def _record(name: str, path: Path, seconds: float, timing: dict, render: float | None) -> None:
    """Sizes and times for people (tests/artifacts/timings.json)."""
    log = ARTIFACTS / "timings.json"
    data = json.loads(log.read_text()) if log.exists() else {}
    data[name] = {"bytes": path.stat().st_size, "render_s": round(render or 0.0, 3),
                  "open_to_load_event_s": round(seconds, 3),
                  "dom_content_loaded_ms": round(timing.get("domContentLoadedEventEnd", 0.0), 1),
                  "load_event_ms": round(timing.get("loadEventEnd", 0.0) or timing.get("loadEventStart", 0.0), 1)}
    log.write_text(json.dumps(data, indent=1))
