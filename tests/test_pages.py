"""The leaders' page over HTTP (Starlette's test client): who sees what, links that are
forged or stale, Mini App launch data, the audit log, the downloads, and that no view
changes data. The same pages in a real browser: ``tests/test_pages_browser.py``.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.pages import tokens
from bot.pages.app import page_routes
from storage.engine import make_engine, upgrade
from storage.models import (
    AuditLog,
    Chat,
    Member,
    Occurrence,
    Reminder,
    Report,
    Task,
    Unit,
)
from tests.page_world import (
    BOT_TOKEN,
    MINUTES,
    PAGE_URL,
    PHOTO,
    SECRET,
    init_data,
    link_for,
    page_world,
    site,
)


@pytest.fixture
def world(sqlite_url, tmp_path):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    yield page_world(engine, evidence_dir=tmp_path / "evidence")
    engine.dispose()


@pytest.fixture
def client(world):
    return TestClient(Starlette(routes=page_routes(site(world))), follow_redirects=True)


def path(link: str) -> str:
    return link.removeprefix(PAGE_URL)


def figures(html: str) -> dict[str, int]:
    """The headline figures of a plan's page, by name (``data-figure``)."""
    found = re.findall(r'data-figure="(\w+)"><b>[^0-9]*(\d+)', html)
    shown = {name: int(value) for name, value in found}
    shown["overdue_occurrences"] = int(re.findall(r'data-occurrences="(\d+)"', html)[0])
    return shown


def units_shown(html: str) -> list[str]:
    return re.findall(r'<li data-unit="([^"]+)"', html)


def summary_figures(text: str) -> dict[str, int]:
    """The same figures read from the /tonghop text."""

    def number(pattern: str) -> int:
        found = re.search(pattern, text)
        assert found, pattern
        return int(found.group(1))

    return {
        "done_on_time": number(r"đúng hạn (\d+)"),
        "done_late": number(r"trễ hạn (\d+)"),
        "in_progress": number(r"- Đang thực hiện (\d+)"),
        "blocked": number(r"; vướng mắc (\d+)"),
        "not_started": number(r"; chưa bắt đầu (\d+)"),
        "not_reported": number(r"- Chưa báo cáo: (\d+)"),
        "overdue_entries": number(r"- Quá hạn: (\d+) đầu việc"),
        "overdue_occurrences": number(r"đầu việc ở (\d+) kỳ"),
    }


def test_a_leader_sees_the_figures_of_tonghop(world, client):
    summary = world.send("Chi", "private", "/tonghop cua-lo-2024")[0].text
    page = client.get(path(link_for(world, "Chi")))
    assert page.status_code == 200
    assert page.url.path == "/xem/p/cua-lo-2024"  # one plan: straight to it
    assert figures(page.text) == summary_figures(summary)
    assert "Đầu việc đã đến kỳ: 20" in summary and "Đầu việc đã đến kỳ: 20" in page.text
    assert len(units_shown(page.text)) == 13  # every unit, as /tonghop lists them
    assert "/xem/p/cua-lo-2024/workbook.xlsx" in page.text


def test_the_late_items_come_longest_overdue_first(world, client):
    page = client.get(path(link_for(world, "Giang"))).text
    late = page[page.index('id="late"') : page.index('id="units"')]
    days = [int(n) for n in re.findall(r"quá (\d+) ngày", late)]
    assert days == [41, 41, 12, 12, 12]
    assert "Trung tâm VNPT Cửa Lò" in late and "vướng mắc" in late


def test_an_officer_sees_only_their_units_tasks(world, client):
    page = client.get(path(link_for(world, "An")))
    assert page.status_code == 200
    assert units_shown(page.text) == ["NV"]
    assert "Ủy ban nhân dân các phường" not in page.text
    assert "workbook.xlsx" not in page.text and "chart.png" not in page.text
    assert figures(page.text)["done_late"] == 1  # T2, reported done after its deadline
    token = path(link_for(world, "An")).split("?", 1)[1]
    task = client.get(f"/xem/p/cua-lo-2024/t/T2?{token}").text
    assert "Phòng Nội vụ thị xã" in task and "chưa có kinh phí in pano" not in task
    # A task of other units, the plan-wide files: not for an officer.
    assert client.get(f"/xem/p/cua-lo-2024/t/T1?{token}").status_code == 404
    assert client.get(f"/xem/p/cua-lo-2024/workbook.xlsx?{token}").status_code == 404


def test_a_task_page_shows_each_units_report_history_and_evidence(world, client):
    token = path(link_for(world, "Chi")).split("?", 1)[1]
    page = client.get(f"/xem/p/cua-lo-2024/t/T3?{token}").text
    latest = page[page.index('id="latest"') : page.index('id="evidence"')]
    assert "Phòng Nội vụ thị xã" in latest and "đang thực hiện 70%" in latest
    assert "hoi-nghi.jpg" in page[page.index('id="evidence"') : page.index('id="history"')]
    history = page[page.index('id="history"') :]
    assert history.index("thêm ảnh hội nghị") < history.index("đã tập huấn cho 40 cán bộ")


def evidence_links(html: str) -> dict[str, str]:
    """The task page's evidence: each kept file's link by what the page offers it as
    (``img``: a photo shown, ``a``: a file to download)."""
    section = html[html.index('id="evidence"') : html.index('id="history"')]
    found = re.findall(
        r'<(img) class="photo" src="([^"]+)"|<(a) href="([^"]+)" download>', section
    )
    return {(tag or other): (src or href).replace("&amp;", "&") for tag, src, other, href in found}


def test_photos_are_shown_and_files_downloaded_from_the_file_store(world, client):
    token = path(link_for(world, "Chi")).split("?", 1)[1]
    page = client.get(f"/xem/p/cua-lo-2024/t/T3?{token}").text
    links = evidence_links(page)
    assert set(links) == {"img", "a"}
    shown = client.get(links["img"])
    assert shown.status_code == 200 and shown.content == PHOTO
    assert shown.headers["content-type"] == "image/png"
    assert shown.headers["content-disposition"].startswith("inline;")
    assert shown.headers["x-content-type-options"] == "nosniff"
    minutes = client.get(links["a"])
    assert minutes.content == MINUTES and minutes.headers["content-type"] == "application/pdf"
    disposition = minutes.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20nghi%E1%BB%87m%20thu.pdf" in disposition
    # The photo the bot could not fetch is still listed, kept on the chat platform.
    evidence = page[page.index('id="evidence"') : page.index('id="history"')]
    assert "anh-cu.jpg" in evidence
    assert "Tệp đang được giữ trên Console; anh/chị mở trong chat nơi đơn vị đã gửi." in evidence
    assert evidence.count("Tệp đang được giữ trên") == 1


def test_an_evidence_file_is_for_those_who_may_see_its_report(world, client):
    chi = path(link_for(world, "Chi")).split("?", 1)[1]
    photo = evidence_links(client.get(f"/xem/p/cua-lo-2024/t/T3?{chi}").text)["img"]
    file_path = photo.split("?", 1)[0]
    an = path(link_for(world, "An")).split("?", 1)[1]
    binh = path(link_for(world, "Bình")).split("?", 1)[1]
    assert client.get(f"{file_path}?{an}").content == PHOTO  # An's own unit's report
    refused = client.get(f"{file_path}?{binh}")  # another unit's officer
    assert refused.status_code == 404 and PHOTO not in refused.content
    forged = tokens.sign("not-the-server-secret-at-all", "console", "Chi", world.clock.now())
    assert client.get(f"{file_path}?t={forged}").status_code == 403
    assert client.get(f"{file_path.rsplit('/', 1)[0]}/9999?{chi}").status_code == 404
    world.clock.advance(timedelta(minutes=15))
    assert client.get(photo).status_code == 403
    with Session(world.engine) as session:
        audit = session.exec(select(AuditLog).where(AuditLog.action.startswith("page."))).all()  # type: ignore[attr-defined]
    lines = [(row.actor, row.action, row.detail) for row in audit]
    assert ("An", "page.view", file_path) in lines  # the download, written like a view
    assert ("Bình", "page.refused", f"not_found {file_path}") in lines
    assert ("-", "page.refused", f"link {file_path}") in lines  # forged, then expired
    assert [line for line in lines if line[0] == "Chi" and line[2] == file_path] == []


def test_forged_altered_or_expired_links_show_nothing(world, client):
    link = path(link_for(world, "Chi"))
    mac = link.split("t=", 1)[1].split("&")[0].split(".")[1]
    forged = tokens.sign("not-the-server-secret-at-all", "console", "Chi", world.clock.now())
    # Chi's signature on a payload naming someone else.
    other = tokens.sign(SECRET, "console", "Giang", world.clock.now()).split(".")[0]
    for bad in (f"/xem?t={forged}", f"/xem?t={other}.{mac}", "/xem", "/xem?t=x.y"):
        page = client.get(bad)
        assert page.status_code == 403
        assert "Liên kết không hợp lệ hoặc đã hết hạn" in page.text
        assert "Cửa Lò" not in page.text
    world.clock.advance(timedelta(minutes=15))
    page = client.get(link)
    assert page.status_code == 403 and "Cửa Lò" not in page.text


def test_a_person_with_no_role_sees_nothing(world, client):
    token = tokens.sign(SECRET, "console", "Người lạ", world.clock.now())
    page = client.get(f"/xem?t={token}")
    assert page.status_code == 403
    assert "Anh/chị chưa được xem kế hoạch nào" in page.text and "Cửa Lò" not in page.text


def test_every_view_is_audited_and_no_view_changes_data(world, client):
    tables = (Chat, Member, Report, Reminder, Task, Occurrence, Unit)

    def counts() -> dict[str, int]:
        with Session(world.engine) as session:
            return {
                t.__name__: session.exec(select(func.count()).select_from(t)).one() for t in tables
            }

    before = counts()
    token = path(link_for(world, "Chi")).split("?", 1)[1]
    for target in ("/xem", "/xem/p/cua-lo-2024/t/T2", "/xem/p/cua-lo-2024/chart.png"):
        assert client.get(f"{target}?{token}").status_code == 200
    client.get("/xem?t=forged.link")
    with Session(world.engine) as session:
        audit = session.exec(select(AuditLog).where(AuditLog.action.startswith("page."))).all()  # type: ignore[attr-defined]
    views = [(row.actor, row.detail) for row in audit if row.action == "page.view"]
    assert ("Chi", "/xem") in views and ("Chi", "/xem/p/cua-lo-2024/t/T2") in views
    assert ("Chi", "/xem/p/cua-lo-2024/chart.png") in views
    assert any(row.action == "page.refused" for row in audit)
    assert counts() == before


def test_the_downloads_are_the_chats_files(world, client):
    token = path(link_for(world, "Chi")).split("?", 1)[1]
    chart = client.get(f"/xem/p/cua-lo-2024/chart.png?{token}")
    assert chart.headers["content-type"] == "image/png" and chart.content[:4] == b"\x89PNG"
    workbook = client.get(f"/xem/p/cua-lo-2024/workbook.xlsx?{token}")
    assert (
        workbook.content[:2] == b"PK" and "attachment" in workbook.headers["content-disposition"]
    )
    page = client.get(f"/xem/p/cua-lo-2024?{token}").text
    reports = re.findall(r"/xem/p/cua-lo-2024/report/(\d+)\.docx", page)
    assert "20241" in reports  # Quý I/2024, offered in March as /baocaoky offers it
    draft = client.get(f"/xem/p/cua-lo-2024/report/20241.docx?{token}")
    assert draft.status_code == 200 and draft.content[:2] == b"PK"
    assert client.get(f"/xem/p/cua-lo-2024/report/20244.docx?{token}").status_code == 404


def test_the_page_speaks_english_when_asked(world, client):
    token = path(link_for(world, "Chi")).split("?", 1)[1].replace("&l=vi", "")
    page = client.get(f"/xem/p/cua-lo-2024?{token}&l=en").text
    assert "Overdue work, longest overdue first" in page and 'lang="en"' in page


# -- Mini App launch data ----------------------------------------------------------------


def test_launch_data_signed_by_telegram_names_the_user(world):
    now = world.clock.now()
    data = init_data(BOT_TOKEN, 1001, int(now.timestamp()) - 60)
    viewer = tokens.check_init_data(BOT_TOKEN, data, now)
    assert viewer is not None and (viewer.platform, viewer.user_id) == ("telegram", "1001")


@pytest.mark.parametrize(
    "change",
    ["another bot's token", "altered user", "stale", "no hash", "from the future"],
)
def test_altered_foreign_or_stale_launch_data_is_refused(world, change):
    now = world.clock.now()
    signed_at = int(now.timestamp()) - 60
    data = init_data(BOT_TOKEN, 1001, signed_at)
    if change == "another bot's token":
        data = init_data("654321:another-bot", 1001, signed_at)
    elif change == "altered user":
        data = data.replace("1001", "1002")
    elif change == "stale":
        data = init_data(BOT_TOKEN, 1001, signed_at - 2 * 3600)
    elif change == "no hash":
        data = re.sub(r"&hash=\w+", "", data)
    elif change == "from the future":
        data = init_data(BOT_TOKEN, 1001, signed_at + 3600)
    assert tokens.check_init_data(BOT_TOKEN, data, now) is None


def test_the_mini_app_opens_the_page_of_the_telegram_user(world, client):
    with Session(world.engine) as session:  # make Chi a Telegram user too
        member = session.exec(select(Member).where(Member.user_id == "Chi")).one()
        member.platform, member.user_id = "telegram", "1001"
        session.add(member)
        session.commit()
    launcher = client.get("/xem/app")
    assert 'name="init_data"' in launcher.text
    good = init_data(BOT_TOKEN, 1001, int(world.clock.now().timestamp()))
    page = client.post("/xem/app", data={"init_data": good})
    assert page.status_code == 200 and page.url.path == "/xem/p/cua-lo-2024"
    assert "Tổng hợp tiến độ" in page.text
    forged = client.post("/xem/app", data={"init_data": good.replace("1001", "1003")})
    assert forged.status_code == 403 and "Cửa Lò" not in forged.text
