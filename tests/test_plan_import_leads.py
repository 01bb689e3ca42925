"""``plan import``: where a task's units come from when its own line does not name them.

Small plans in text, one rule each: a month timeline led by the duties of "Tổ chức thực
hiện" and by the teams the plan sets up; units a "Cơ quan thực hiện" activity's content
gives a part; a group written with its owner; one duty paragraph, one task.
"""

from __future__ import annotations

from scheduler.importer import import_document
from scheduler.importer.units import key

TIMELINE_WITH_DUTIES = """KẾ HOẠCH
Tuyên truyền chuyển đổi số thị xã Hòa Bình năm 2025

III. NỘI DUNG
1. Cấp thị
- Thành lập Tổ hướng dẫn sử dụng dịch vụ công trực tuyến cấp thị.
2. Cấp phường
- Thành lập Tổ hướng dẫn sử dụng dịch vụ công trực tuyến cấp phường.
3. Thời gian
- Tháng 1: Ban hành kế hoạch tuyên truyền chuyển đổi số năm 2025.
- Tháng 2: Thành lập Tổ hướng dẫn sử dụng dịch vụ công trực tuyến cấp thị, cấp phường.
- Tháng 3: Tổ chức hội thi tìm hiểu về chuyển đổi số.
- Tháng 4 đến tháng 10: Hướng dẫn sử dụng dịch vụ công trực tuyến cho người dân.
- Tháng 11: Tổng kết phong trào thi đua.

IV. TỔ CHỨC THỰC HIỆN
1. Phòng Nội vụ
- Tham mưu quyết định thành lập Tổ hướng dẫn sử dụng dịch vụ công trực tuyến cấp thị.
- Theo dõi việc giải quyết hồ sơ quá hạn.
2. Phòng Văn hóa và Thông tin
- Tổ chức các hội thi tìm hiểu về chuyển đổi số cho đoàn viên,
thanh niên tại trường học và khu dân cư.
3. Các cơ quan, đơn vị
- Bố trí công chức tham gia Tổ hướng dẫn sử dụng dịch vụ công trực tuyến.
Trên đây là Kế hoạch.
"""


def leads(draft) -> dict[str, list[str]]:
    return {t.title: [u.name for u in t.lead] for t in draft.tasks if t.timeline}


def test_a_timeline_takes_its_units_from_the_duties_and_the_teams_the_plan_sets_up():
    draft = import_document("hoa-binh.txt", TIMELINE_WITH_DUTIES.encode())
    assert leads(draft) == {
        # Issuing this very plan is its issuer's.
        "Ban hành kế hoạch tuyên truyền chuyển đổi số năm 2025": [
            "Ủy ban nhân dân thị xã Hòa Bình"
        ],
        # The duty that starts with the activity's action; "cấp phường" adds the communes.
        "Thành lập Tổ hướng dẫn sử dụng dịch vụ công trực tuyến cấp thị, cấp phường": [
            "Phòng Nội vụ",
            "Ủy ban nhân dân các phường",
        ],
        # "Tổ chức các lớp/các hội thi ..." starts with the action, however it words the rest.
        "Tổ chức hội thi tìm hiểu về chuyển đổi số": ["Phòng Văn hóa và Thông tin"],
        # The team's work: the team of the thị and, for the phường's own team, the phường.
        "Hướng dẫn sử dụng dịch vụ công trực tuyến cho người dân": [
            "Tổ hướng dẫn sử dụng dịch vụ công trực tuyến cấp thị",
            "Ủy ban nhân dân các phường",
        ],
        # Nothing names it: the issuer, until the operator says.
        "Tổng kết phong trào thi đua": ["Ủy ban nhân dân thị xã Hòa Bình"],
    }
    titles = [t.title for t in draft.tasks]
    # The duty that only restates an activity is folded into it; staffing the team
    # supports the activity that sets it up; other duties stay tasks.
    assert (
        "Tham mưu quyết định thành lập Tổ hướng dẫn sử dụng dịch vụ công trực tuyến cấp thị"
        not in titles
    )
    assert "Bố trí công chức tham gia Tổ hướng dẫn sử dụng dịch vụ công trực tuyến" not in titles
    assert "Theo dõi việc giải quyết hồ sơ quá hạn" in titles
    assert any(title.startswith("Tổ chức các hội thi") for title in titles)
    setup = next(t for t in draft.tasks if t.title.startswith("Thành lập Tổ"))
    assert [u.name for u in setup.support] == ["Các cơ quan, đơn vị"]
    assert [m.reason for m in draft.merged] == [setup.code, setup.code]
    reasons = {d.text: d.reason for d in draft.doubts}
    assert "lấy theo IV.1 Phòng Nội vụ" in reasons[setup.title]
    assert "hãy sửa đơn vị chủ trì" in reasons["Tổng kết phong trào thi đua"]


def test_a_duty_that_names_the_action_late_in_its_sentence_does_not_lead_it():
    text = TIMELINE_WITH_DUTIES.replace(
        "- Theo dõi việc giải quyết hồ sơ quá hạn.",
        "- Lập dự trù kinh phí công tác tổng kết phong trào thi đua.",
    )
    draft = import_document("hoa-binh.txt", text.encode())
    assert leads(draft)["Tổng kết phong trào thi đua"] == ["Ủy ban nhân dân thị xã Hòa Bình"]


DOERS = """KẾ HOẠCH
Tuyên truyền cải cách hành chính huyện Đak Pơ năm 2025

III. HÌNH THỨC
1. Công khai thủ tục hành chính.
a) Thời gian thực hiện: Thường xuyên trong năm 2025.
b) Cơ quan thực hiện: Các cơ quan, đơn vị và UBND các xã.
c) Nội dung:
- Văn phòng HĐND&UBND huyện đăng tải công khai Cơ sở dữ liệu quốc gia về TTHC.
- Các cơ quan, đơn vị, UBND cấp xã niêm yết công khai TTHC.
2. Công khai các hình thức phản ánh, kiến nghị.
a) Thời gian thực hiện: Thường xuyên trong năm 2025.
b) Cơ quan chủ trì: Văn phòng HĐND và UBND huyện.
c) Nội dung:
- Các cơ quan, đơn vị tiếp nhận phản ánh, kiến nghị.
"""


def test_a_unit_the_content_gives_its_own_part_also_does_an_activity_of_named_doers():
    draft = import_document("dak-po.txt", DOERS.encode())
    assert [[u.name for u in t.lead] for t in draft.tasks] == [
        ["Các cơ quan, đơn vị", "UBND các xã", "Văn phòng HĐND và UBND huyện"],
        # "Cơ quan chủ trì" names the one lead; the agencies in its content take part.
        ["Văn phòng HĐND và UBND huyện"],
    ]


def test_a_group_written_with_its_owner_is_the_group_and_a_dropped_tam_is_mended():
    assert key("Các phòng, ban, đơn vị thuộc Văn phòng UBND tỉnh") == key(
        "Trưởng các phòng, ban, đơn vị"
    )
    assert key("Các đơn vị trực thuộc Sở") == key("các đơn vị")
    assert key("Phòng Nội vụ thuộc UBND huyện") != key("Phòng Nội vụ")  # a unit, not a group
    assert key("Trung Văn hóa, Thể thao và Truyền thông thị xã") == key(
        "Trung tâm Văn hóa, Thể thao và Truyền thông"
    )
    text = """KẾ HOẠCH
Tuyên truyền năm 2025 của thị xã Hòa Bình

IV. TỔ CHỨC THỰC HIỆN
1. Trung Văn hóa, Thể thao và Truyền thông thị xã
- Duy trì chuyên mục cải cách hành chính.
"""
    draft = import_document("hoa-binh.txt", text.encode())
    assert [u.name for t in draft.tasks for u in t.lead] == [
        "Trung tâm Văn hóa, Thể thao và Truyền thông thị xã"
    ]


def test_one_duty_paragraph_is_one_task_unless_a_clause_starts_other_work():
    text = """KẾ HOẠCH
Tuyên truyền năm 2025 của thị xã Hòa Bình

IV. TỔ CHỨC THỰC HIỆN
1. Văn phòng Ủy ban nhân dân thị xã
Chủ trì, đôn đốc việc giải quyết hồ sơ trực tuyến; cập nhật thông tin lên Hệ thống một cửa
điện tử. Đồng thời, phối hợp tuyên truyền dịch vụ công.
2. Phòng Văn hóa và Thông tin: Chủ trì, phối hợp với Trung tâm Văn hóa huyện xây dựng
kế hoạch; định hướng công tác tuyên truyền cho các xã.
"""
    draft = import_document("hoa-binh.txt", text.encode())
    assert [(" ".join(t.title.split()[:4]), t.when) for t in draft.tasks] == [
        ("Chủ trì, đôn đốc", "Thường xuyên trong năm"),
        ("Chủ trì, phối hợp", "Trong năm 2025"),
        ("Định hướng công tác", "Thường xuyên trong năm"),
    ]
    assert "; cập nhật thông tin" in draft.tasks[0].title
    assert draft.tasks[0].title.endswith("Đồng thời, phối hợp tuyên truyền dịch vụ công")
