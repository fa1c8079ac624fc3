"""The browser toolchain works end to end: headless chromium (through Playwright) opens a page
served live over HTTP, shows its Chinese text, fills and submits a form that POSTs back to the
server, shows the server's answer, and writes a full-page screenshot."""

from __future__ import annotations

import html
from pathlib import Path

from playwright.sync_api import Page, expect
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from tests.api.conftest import live
from tests.console.conftest import shot

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

FORM = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>网格上报</title></head>
<body><h1>网格员上报</h1>
<form method="post" action="/report">
  <label>姓名 <input name="name"></label>
  <label>事项 <textarea name="matter"></textarea></label>
  <button type="submit">提交</button>
</form></body></html>"""


def _echo_app(received: list[dict[str, str]]) -> Starlette:
    """A page with a form; the form's POST is recorded in ``received`` and echoed back."""

    async def form(request: Request) -> HTMLResponse:
        return HTMLResponse(FORM)

    async def report(request: Request) -> HTMLResponse:
        fields = {key: str(value) for key, value in (await request.form()).items()}
        received.append(fields)
        got = f"收到：{fields.get('name', '')}——{fields.get('matter', '')}"
        return HTMLResponse(
            '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<title>已提交</title></head><body><p id="got">{html.escape(got)}</p></body></html>'
        )

    return Starlette(routes=[Route("/", form), Route("/report", report, methods=["POST"])])


def test_a_browser_fills_a_chinese_form_and_sees_the_answer(page: Page, shots: Path) -> None:
    received: list[dict[str, str]] = []
    with live(_echo_app(received)) as url:
        page.goto(url)
        expect(page).to_have_title("网格上报")
        expect(page.get_by_role("heading", level=1)).to_have_text("网格员上报")
        page.get_by_label("姓名").fill("张三")
        page.get_by_label("事项").fill("3号楼楼道灯坏了 <急>")
        page.get_by_role("button", name="提交").click()
        expect(page).to_have_url(f"{url}/report")
        expect(page.locator("#got")).to_have_text("收到：张三——3号楼楼道灯坏了 <急>")
        path = shot(page, shots, "browser-works")
    assert received == [{"name": "张三", "matter": "3号楼楼道灯坏了 <急>"}]
    assert path == shots / "browser-works.png"
    png = path.read_bytes()
    assert png[:8] == PNG_MAGIC
    assert int.from_bytes(png[16:20], "big") == 1280  # the page fixture's viewport width
