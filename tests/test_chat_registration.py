"""Registration with invite codes, in private chats and groups, as dialogs (point 2 of the issue).

Each dialog runs on the console and on every platform (the ``world`` fixture); the first
also on PostgreSQL (the ``engine`` fixture is parametrized).
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from storage.engine import make_engine
from storage.models import AuditLog, Chat, ChatPurpose, InviteCode, Member, Role
from storage.records import ChatBinding, RedeemStatus, Redemption
from tests.chat_world import NOTHING, At, Cast, Has, make_console_world, run_dialog

UNREGISTERED_GROUP = (
    "Nhóm này chưa đăng ký với bot. Một thành viên hãy gõ /dangky MÃ với mã mời của đơn vị "
    "hoặc của lãnh đạo."
)


@pytest.fixture
def cast() -> Cast:
    """Codes for two officers of one unit, a unit's group, two leaders and a coordinator;
    nobody registered yet."""
    return Cast(codes=("NV", "NV2", "PHUONG", "LEAD", "LEAD2", "COORD"))


def test_registration_in_private_and_in_groups(engine, make_world):
    world = make_world(Cast(codes=("NV", "PHUONG", "LEAD"), operators=()), engine)
    run_dialog(
        world,
        [
            ("An", "private", "/nhiemvu", Has("Anh/chị chưa đăng ký", "/dangky MÃ")),
            (
                "An",
                "private",
                "/dangky {NV}",
                "Đã đăng ký: anh/chị An là cán bộ của Phòng Nội vụ thị xã (cua-lo-2024). "
                "Gõ /nhiemvu để xem nhiệm vụ và hạn chót, /baocao để báo cáo tiến độ.",
            ),
            # The same message delivered again, or typed again: the same person, no harm.
            (
                "An",
                "private",
                "/dangky {NV}",
                "Anh/chị đã là cán bộ của Phòng Nội vụ thị xã rồi, không cần đăng ký lại.",
            ),
            ("Dũng", "private", "/dangky {NV}", Has("Mã mời này đã được dùng")),
            ("Bình", "Phường", "/nhiemvu", UNREGISTERED_GROUP),
            (
                "Bình",
                "Phường",
                "/register {PHUONG}",
                "Đã đăng ký nhóm này là nhóm của Ủy ban nhân dân các phường: tôi sẽ nhắc hạn chót "
                "các nhiệm vụ của đơn vị ở đây. Anh/chị Bình là cán bộ của đơn vị. Gõ /nhiemvu để "
                "xem nhiệm vụ.",
            ),
            ("Bình", "Phường", "xin chào mọi người", NOTHING),
            ("Chi", "Lãnh đạo UBND", "/tonghop", UNREGISTERED_GROUP),
            (
                "Chi",
                "Lãnh đạo UBND",
                "/dangky {LEAD}",
                "Đã đăng ký nhóm này là nhóm lãnh đạo: tôi sẽ gửi tổng hợp tiến độ ở đây. Anh/chị "
                "Chi là lãnh đạo theo dõi kế hoạch. Gõ /tonghop để xem ngay.",
            ),
            ("Chi", "Lãnh đạo UBND", "/tonghop", Has("TỔNG HỢP TIẾN ĐỘ", "cua-lo-2024")),
        ],
    )
    with Session(engine) as session:
        chats = {c.chat_id: c for c in session.exec(select(Chat))}
        members = session.exec(select(Member).order_by(Member.id)).all()
    an, ward = chats[world.chat_id("An", "private")], chats[world.chat_id("Bình", "Phường")]
    leaders = chats[world.chat_id("Chi", "Lãnh đạo UBND")]
    assert an.purpose == ChatPurpose.PRIVATE and an.kind == "private"
    assert ward.purpose == ChatPurpose.UNIT and ward.unit_id == members[1].unit_id
    assert leaders.purpose == ChatPurpose.LEADERSHIP
    # A Zalo update names no group (only its id); the console and Telegram give the name.
    assert leaders.title == (None if world.platform == "zalo" else "Lãnh đạo UBND")
    assert [(m.user_id, m.role) for m in members] == [
        (world.user_id("An"), Role.MEMBER),
        (world.user_id("Bình"), Role.MEMBER),
        (world.user_id("Chi"), Role.LEADER),
    ]


@pytest.mark.console_only("speaks to the core as Zalo itself, beside the world's platform")
def test_one_person_registers_on_two_platforms_for_the_same_unit(world):
    code = world.codes["NV"]
    world.send("An", "private", f"/dangky {code}")
    world.invite("NV-ZALO", Role.MEMBER, "NV")
    from bot.core.types import ChatKind, IncomingMessage

    replies = world.core.handle(
        IncomingMessage(
            platform="zalo",
            chat_id="a1b2c3",
            chat_kind=ChatKind.PRIVATE,
            sender_id="a1b2c3",
            sender_name="An",
            text=f"/dangky {world.codes['NV-ZALO']}",
            message_id="m1",
        )
    )
    assert "cán bộ của Phòng Nội vụ thị xã" in replies[0].text
    with Session(world.engine) as session:
        members = session.exec(select(Member)).all()
        chats = session.exec(select(Chat)).all()
    assert {(m.platform, m.user_id) for m in members} == {("console", "An"), ("zalo", "a1b2c3")}
    assert {(c.platform, c.chat_id, c.purpose) for c in chats} == {
        ("console", "An", "private"),
        ("zalo", "a1b2c3", "private"),
    }


def test_a_registered_person_keeps_the_code_for_a_colleague(world):
    run_dialog(
        world,
        [
            ("An", "private", "/dangky {NV}", Has("Đã đăng ký")),
            (
                "An",
                "private",
                "/dangky {NV2}",
                "Anh/chị đã là cán bộ của Phòng Nội vụ thị xã rồi, không cần đăng ký lại.",
            ),
            ("Dũng", "private", "/dangky {NV2}", Has("Đã đăng ký: anh/chị Dũng")),
        ],
    )


def test_coordinator_and_leader_in_private(world):
    run_dialog(
        world,
        [
            (
                "Giang",
                "private",
                "/dangky {COORD}",
                "Đã đăng ký: anh/chị Giang là đầu mối theo dõi kế hoạch cua-lo-2024. Gõ /tonghop, "
                "/quahan, /chuabaocao để theo dõi các đơn vị.",
            ),
            ("Giang", "private", "/quahan", Has("QUÁ HẠN", "T1 · Tháng 1/2024")),
            (
                "Hà",
                "private",
                "/dangky {LEAD}",
                "Đã đăng ký: anh/chị Hà là lãnh đạo theo dõi kế hoạch. Gõ /tonghop để xem tổng "
                "hợp tiến độ.",
            ),
            (
                "Hà",
                "private",
                "/dangky {LEAD2}",
                "Anh/chị đã đăng ký là lãnh đạo rồi, không cần đăng ký lại.",
            ),
            ("Hà", "private", "/start", Has("Chào anh/chị Hà.", "lãnh đạo theo dõi kế hoạch")),
        ],
    )


def test_refusals_store_nothing(world):
    before = world.stored()
    run_dialog(
        world,
        [
            (
                "Giang",
                "Nhóm A",
                "/dangky {COORD}",
                "Mã này dành cho đầu mối theo dõi, chỉ dùng trong chat riêng với bot. Hãy nhắn "
                "riêng cho bot: /dangky MÃ.",
            ),
            (
                "An",
                "private",
                "/dangky",
                "Gõ /dangky kèm mã mời, ví dụ /dangky K7QM3XPA. Mã mời do quản trị viên cấp.",
            ),
        ],
    )
    assert world.stored() == before


def test_a_group_keeps_its_unit(world):
    run_dialog(
        world,
        [
            ("Bình", "Phường", "/dangky {PHUONG}", Has("nhóm của Ủy ban nhân dân các phường")),
        ],
    )
    before = world.stored()
    run_dialog(
        world,
        [
            (
                "An",
                "Phường",
                "/dangky {NV}",
                "Nhóm này đã là nhóm của Ủy ban nhân dân các phường; mỗi nhóm chỉ theo một đơn "
                "vị. "
                "Hãy dùng mã này trong nhóm của đơn vị mình hoặc trong chat riêng với bot.",
            ),
        ],
    )
    assert world.stored() == before  # the code stays unused, nothing is rebound


def test_codes_expire(world):
    run_dialog(
        world,
        [
            At("2024-03-12 09:01"),  # made at 09:00 on 5 March, valid 7 days
            (
                "An",
                "private",
                "/dangky {NV}",
                "Mã mời này đã hết hạn lúc 09:00 12/03/2024. Hãy xin quản trị viên mã mới.",
            ),
        ],
    )
    assert world.count(Member) == 0


def test_five_wrong_codes_in_an_hour_lock_the_sender_out_for_an_hour(world):
    wrong = "Mã mời không đúng. Hãy kiểm tra lại mã (8 chữ và số) hoặc xin quản trị viên mã mới."
    locked = (
        "Anh/chị đã nhập sai mã mời 5 lần trong một giờ nên tạm thời chưa đăng ký được. Hãy "
        "thử lại sau {time}."
    )
    run_dialog(
        world,
        [
            ("Kẻ lạ", "private", "/dangky AAAA1111", wrong),
            At("2024-03-05 09:10"),
            ("Kẻ lạ", "private", "/dangky AAAA1112", wrong),
            At("2024-03-05 09:20"),
            ("Kẻ lạ", "private", "/dangky AAAA1113", wrong),
            ("Kẻ lạ", "private", "/dangky {NV}", Has("Đã đăng ký")),  # a right code still works
            At("2024-03-05 09:30"),
            ("Kẻ lạ", "private", "/dangky AAAA1114", wrong),
            At("2024-03-05 09:40"),
            ("Kẻ lạ", "private", "/dangky AAAA1115", wrong),
            # The fifth wrong code at 09:40: an hour's lock, even for a right code.
            ("Kẻ lạ", "private", "/dangky {LEAD}", locked.format(time="10:40 05/03/2024")),
            ("Người khác", "private", "/dangky AAAA1116", wrong),  # others are not locked
            At("2024-03-05 10:39"),
            ("Kẻ lạ", "private", "/dangky {LEAD}", locked.format(time="10:40 05/03/2024")),
            At("2024-03-05 10:41"),
            ("Kẻ lạ", "private", "/dangky {LEAD}", Has("Đã đăng ký: anh/chị Kẻ lạ là lãnh đạo")),
        ],
    )
    with Session(world.engine) as session:
        actions = [
            a.action
            for a in session.exec(select(AuditLog).where(AuditLog.actor == world.user_id("Kẻ lạ")))
        ]
    assert actions.count("register.failed") == 5 and actions.count("register.locked") == 2


def test_operators_make_invite_codes_in_chat(world):
    run_dialog(
        world,
        [
            ("An", "private", "/mamoi NV", Has("/mamoi dành cho quản trị viên")),
            ("Quản trị", "Phường", "/mamoi NV", Has("/mamoi chỉ dùng trong chat riêng với bot")),
            ("Quản trị", "private", "/mamoi", Has("Gõ /mamoi MÃ_ĐƠN_VỊ")),
            (
                "Quản trị",
                "private",
                "/mamoi XYZ",
                "Không có đơn vị mã XYZ trong kế hoạch nào đã nạp.",
            ),
            (
                "Quản trị",
                "private",
                "/mamoi NV long-ho-2022",
                Has("Không có kế hoạch mã long-ho-2022"),
            ),
        ],
    )
    made = world.send("Quản trị", "private", "/mamoi TCKH cua-lo-2024")[0].text
    assert made.startswith("Mã mời cho Phòng Tài chính - Kế hoạch thị xã (kế hoạch cua-lo-2024)")
    assert "hết hạn lúc 09:00 12/03/2024" in made
    code = made.splitlines()[-1]
    reply = world.send("Lan", "private", f"/dangky {code.lower()}")[0].text
    assert reply.startswith("Đã đăng ký: anh/chị Lan là cán bộ của Phòng Tài chính - Kế hoạch")


def test_english_registration(world):
    world.send("An", "private", "/ngonngu en")
    run_dialog(
        world,
        [
            (
                "An",
                "private",
                "/register {NV}",
                "Registered: An, you are an officer of Phòng Nội vụ thị xã (cua-lo-2024). Type "
                "/tasks to see the tasks and deadlines, /report to report progress.",
            ),
            ("An", "private", "/register NOPE1234", Has("That invite code is wrong.")),
            ("An", "private", "/register", Has("Type /register with your invite code")),
        ],
    )


def test_two_people_racing_for_one_code_on_postgres(postgres_url):
    """Two bot processes (two engines) redeem the same code at once: exactly one wins."""
    engines = [make_engine(postgres_url), make_engine(postgres_url)]
    world = make_console_world(engines[0])
    code = world.invite("NV", Role.MEMBER, "NV")
    from storage.store import SqlStore

    results = {}
    barrier = threading.Barrier(2)

    def redeem(index: int) -> None:
        barrier.wait()
        results[index] = SqlStore(engines[index]).redeem(
            Redemption(
                code=code,
                platform="telegram",
                user_id=f"user{index}",
                display_name=f"Người {index}",
                chat=ChatBinding(f"user{index}", "private", ChatPurpose.PRIVATE),
                now=world.clock.now() + timedelta(minutes=1),
            )
        )

    threads = [threading.Thread(target=redeem, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(str(result.status) for result in results.values())
    assert statuses == [RedeemStatus.REGISTERED, RedeemStatus.USED]
    with Session(engines[0]) as session:
        assert len(session.exec(select(Member)).all()) == 1
        invite = session.exec(select(InviteCode)).one()
        assert invite.used_by_id is not None
    for engine in engines:
        engine.dispose()
