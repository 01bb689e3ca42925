"""Administration in chat, as dialogs: a code for several officers, admitting a colleague who
wrote in the unit's group (by button and by /duyet), listing and removing officers, listing
and revoking codes; in Vietnamese and in English; each action in the audit log."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from bot.core.registration import issue_invite
from storage.models import Admission, AuditLog, Member, Role
from tests.chat_world import Cast, Has, run_dialog

NV_GROUP = "Nhóm NV"


@pytest.fixture
def cast():
    return Cast(codes=("COORD", "LEAD"))


@pytest.fixture(autouse=True)
def shared_code(world):
    """A code of unit NV good for two officers (``{NV2}``), in every test's world."""
    issued = issue_invite(
        world.store, world.clock.now(), world.core.settings.invite_ttl, Role.MEMBER, "NV", uses=2
    )
    world.codes["NV2"] = issued.invite.code
    return world


def _member_id(world, name: str) -> int:
    with Session(world.engine) as session:
        return session.exec(select(Member).where(Member.display_name == name)).one().id


def _admission_id(world, name: str) -> int:
    with Session(world.engine) as session:
        return session.exec(select(Admission).where(Admission.display_name == name)).one().id


def _actions(world) -> list[str]:
    with Session(world.engine) as session:
        return list(session.exec(select(AuditLog.action).order_by(col(AuditLog.id))).all())


@pytest.mark.console_only("presses the admission button and reads platform names in the lists")
def test_a_code_for_two_officers_then_a_colleague_admitted_in_the_group(world):
    run_dialog(
        world,
        [
            ("An", NV_GROUP, "/dangky {NV2}", Has("Phòng Nội vụ thị xã")),
            ("Bình", "private", "/dangky {NV2}", Has("anh/chị Bình là cán bộ của Phòng Nội vụ")),
            ("Cường", "private", "/dangky {NV2}", Has("đã được dùng")),
            # Someone not registered writes a command in the unit's group: the officers are
            # offered to admit them, once.
            (
                "Dũng",
                NV_GROUP,
                "/hanchot",
                Has(
                    "Dũng chưa đăng ký là cán bộ của Phòng Nội vụ thị xã. Một cán bộ đã đăng "
                    "ký của đơn vị bấm nút dưới đây (hoặc gõ /duyet Dũng) để thêm anh/chị ấy.",
                    "1. Duyệt Dũng",
                ),
            ),
            ("Em", NV_GROUP, "/hanchot", Has("Em chưa đăng ký là cán bộ")),
            ("Dũng", "private", "/nhiemvu", Has("Anh/chị chưa đăng ký")),
            ("Dũng", NV_GROUP, "/duyet Dũng", Has("Chỉ cán bộ đã đăng ký của Phòng Nội vụ")),
            ("An", NV_GROUP, "/duyet", "Gõ /duyet TÊN để thêm người đang chờ: Dũng, Em."),
            ("An", NV_GROUP, "/duyet Giang", Has("Không có ai tên Giang đang chờ duyệt.")),
            (
                "An",
                NV_GROUP,
                "/duyet dung",
                "An đã duyệt Dũng vào Phòng Nội vụ thị xã. Từ nay anh/chị Dũng nhận nhắc việc "
                "và báo cáo được cho đơn vị; gõ /nhiemvu để xem nhiệm vụ.",
            ),
            ("Dũng", "private", "/nhiemvu", Has("Phòng Nội vụ thị xã")),
        ],
    )
    # Once asked, the offer is not repeated; a colleague taps the button for Em.
    assert "chưa đăng ký là cán bộ" not in " ".join(
        r.text for r in world.send("Em", NV_GROUP, "/hanchot")
    )
    pressed = world.send(
        "Bình", NV_GROUP, "Duyệt Em", choice=f"/duyet #{_admission_id(world, 'Em')}"
    )
    assert pressed[0].text.startswith("Bình đã duyệt Em vào Phòng Nội vụ thị xã.")
    again = world.send("An", NV_GROUP, "Duyệt Em", choice=f"/duyet #{_admission_id(world, 'Em')}")
    assert again[0].text == f"#{_admission_id(world, 'Em')} đã được duyệt trước đó."
    assert {"admission.ask", "admit"} <= set(_actions(world))


@pytest.mark.console_only(
    "the listings name each officer's platform, written here as the console's"
)
def test_operators_list_remove_officers_and_revoke_codes(world):
    run_dialog(
        world,
        [
            ("An", NV_GROUP, "/dangky {NV2}", Has("Phòng Nội vụ thị xã")),
            ("Bình", "private", "/dangky {NV2}", Has("Phòng Nội vụ")),
        ],
    )
    an, binh = _member_id(world, "An"), _member_id(world, "Bình")
    code = world.invite("VHTT", Role.MEMBER, "VHTT")
    run_dialog(
        world,
        [
            (
                "Quản trị",
                "private",
                "/canbo NV",
                "Phòng Nội vụ thị xã (kế hoạch cua-lo-2024)\nCán bộ đã đăng ký:\n"
                f"  #{an} An (console)\n  #{binh} Bình (console)\n"
                f"Nhóm chat của đơn vị:\n  {NV_GROUP} (console)",
            ),
            ("Quản trị", "private", "/canbo", Has("Gõ /canbo MÃ_ĐƠN_VỊ")),
            ("Quản trị", "private", "/canbo XYZ", Has("Không có đơn vị mã XYZ")),
            ("Quản trị", "private", f"/xoacanbo NV {binh + 100}", Has("không có cán bộ số")),
            (
                "Quản trị",
                "private",
                f"/xoacanbo NV {binh}",
                "Đã xóa Bình khỏi Phòng Nội vụ thị xã: anh/chị ấy không còn nhận nhắc việc; "
                "các báo cáo đã gửi vẫn được giữ.",
            ),
            ("Bình", "private", "/nhiemvu", Has("Anh/chị chưa đăng ký")),
            ("Quản trị", "private", "/dsmamoi", Has(f"{code}: Phòng Văn hóa", "còn 1/1 lượt")),
            ("Quản trị", "private", f"/huymamoi {code}", Has(f"Đã hủy mã {code}")),
            ("Chi", "private", f"/dangky {code}", Has("Mã mời này đã bị hủy.")),
            ("Quản trị", "private", "/huymamoi", Has("Gõ /huymamoi MÃ")),
        ],
    )
    assert {"officer.remove", "invite.revoke"} <= set(_actions(world))


def test_coordinators_manage_their_plan_and_leaders_do_not(world):
    run_dialog(
        world,
        [
            ("Hà", "private", "/dangky {COORD}", Has("đầu mối")),
            ("Hà", "private", "/canbo NV", Has("Chưa có cán bộ nào đăng ký")),
            (
                "Hà",
                "private",
                "/dsmamoi",
                Has("Phòng Nội vụ thị xã (cua-lo-2024)", "còn 2/2 lượt"),
            ),
            ("Lan", "private", "/dangky {LEAD}", Has("lãnh đạo")),
            (
                "Lan",
                "private",
                "/canbo NV",
                "Lệnh /canbo dành cho quản trị viên và đầu mối theo dõi.",
            ),
            ("An", "private", "/canbo NV", Has("Anh/chị chưa đăng ký")),
        ],
    )


def test_the_same_in_english(world):
    run_dialog(
        world,
        [
            ("An", NV_GROUP, "/dangky {NV2}", Has("Phòng Nội vụ thị xã")),
            ("An", NV_GROUP, "/language en", Has("English")),
            (
                "Dũng",
                NV_GROUP,
                "/deadlines",
                Has("Dũng is not registered as an officer", "Approve Dũng"),
            ),
            ("An", NV_GROUP, "/approve Dũng", Has("An approved Dũng into Phòng Nội vụ thị xã.")),
            ("Quản trị", "private", "/language en", Has("English")),
            ("Quản trị", "private", "/officers NV", Has("Registered officers:", "An", "Dũng")),
            ("Quản trị", "private", "/invite NV 3", Has("good for 3 officers")),
            ("Quản trị", "private", "/invites", Has("3/3 uses left")),
        ],
    )
