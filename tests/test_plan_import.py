"""``plan import``: the layouts real plans use, and their traps, in small documents.

Each test builds a document (a Word file with real tables, or text), imports it, and
reads the draft as the operator would: its tasks with their lead units and time, the
plan file it writes (which must load as it is), and the review's doubtful lines.
"""

from __future__ import annotations

from scheduler.importer import import_document
from scheduler.importer.units import key, split_cell
from scheduler.importer.writer import draft_toml
from scheduler.planfile import parse_plan
from tests.plan_documents import WordTable, word

HEADER = [
    "Stt",
    "Nội dung",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian hoàn thành",
    "Sản phẩm",
]


def tasks_of(draft) -> list[tuple[str, str, list[str], str]]:
    return [(t.code, t.title, [u.name for u in t.lead], t.when) for t in draft.tasks]


def loads(draft, name="draft.docx"):
    return parse_plan(draft_toml(draft, name).encode(), name)


DECISION = word(
    "ỦY BAN NHÂN DÂN HUYỆN HÒA BÌNH",
    "Số: 45/QĐ-UBND",
    "Hòa Bình, ngày 20 tháng 01 năm 2026",
    "QUYẾT ĐỊNH",
    "Về việc ban hành Kế hoạch cải cách hành chính năm 2026 của huyện Hòa Bình",
    "Căn cứ Quyết định số 608/QĐ-UBND ngày 19/01/2025 của UBND tỉnh;",
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính năm 2026.",
    "TM. ỦY BAN NHÂN DÂN",
    "KẾ HOẠCH",
    "Cải cách hành chính năm 2026 của huyện Hòa Bình",
    "(Kèm theo Quyết định số 45/QĐ-UBND ngày 20/01/2026 của UBND huyện Hòa Bình)",
    "I. TỔ CHỨC THỰC HIỆN",
    "1. Phòng Nội vụ huyện",
    "- Thực hiện theo Quyết định số 608/QĐ-UBND ngày 19/01/2025 của UBND tỉnh.",
    "- Định kỳ quý, 06 tháng, năm báo cáo kết quả cải cách hành chính gửi UBND huyện.",
    "TM. ỦY BAN NHÂN DÂN",
    "KT. CHỦ TỊCH",
    "PHỤ LỤC",
    WordTable(
        rows=[
            HEADER,
            ["I. CẢI CÁCH THỂ CHẾ", "", "", "", "", ""],
            [
                "1",
                "Rà soát văn bản quy phạm pháp luật",
                "Phòng Tư pháp huyện",
                "Các phòng, ban, đơn vị huyện; UBND các xã, thị trấn",
                "Quý II/2026",
                "Báo cáo rà soát",
            ],
            [
                "2",
                "Kiểm tra công tác\nban hành văn bản",
                "Phòng VH&TT",
                "Văn phòng HĐND và UBND huyện",
                "Tháng 9",
                "",
            ],
            HEADER,
            ["II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "", "", "", "", ""],
            [
                "1",
                "Công khai thủ tục hành chính",
                "Phòng Nội vụ; Phòng Tư pháp",
                "Trung tâm Văn hóa, Thông tin và Thể thao huyện",
                "Thường xuyên",
                "",
            ],
            [
                "",
                "Cập nhật thủ tục trên Cổng dịch vụ công",
                "Phòng Nội vụ; Phòng Tư pháp",
                "",
                "trước ngày 30/6/2026",
                "",
            ],
            ["2", "Đánh giá sự hài lòng", "UBND các xã, thị trấn", "", "Khi có yêu cầu", ""],
        ],
        across=[1, 5],
        down=[(6, 7, 2)],
    ),
)


def test_a_decision_with_its_plan_and_an_appendix_after_the_signature():
    draft = import_document("quyet-dinh.docx", DECISION)
    header = draft.header
    assert header.title == "Kế hoạch cải cách hành chính năm 2026 của huyện Hòa Bình"
    assert header.issuer == "Ủy ban nhân dân huyện Hòa Bình"
    assert header.document == "Quyết định số 45/QĐ-UBND ngày 20/01/2026 của UBND huyện Hòa Bình"
    assert str(header.issued) == "2026-01-20" and header.year == 2026
    assert tasks_of(draft) == [
        ("T1", "Rà soát văn bản quy phạm pháp luật", ["Phòng Tư pháp huyện"], "Quý II/2026"),
        ("T2", "Kiểm tra công tác ban hành văn bản", ["Phòng VH&TT"], "Tháng 9"),
        # "Phòng Tư pháp" is the "Phòng Tư pháp huyện" of row I.1: one unit, first name kept.
        (
            "T3",
            "Công khai thủ tục hành chính",
            ["Phòng Nội vụ", "Phòng Tư pháp huyện"],
            "Thường xuyên",
        ),
        (
            "T4",
            "Cập nhật thủ tục trên Cổng dịch vụ công",
            ["Phòng Nội vụ", "Phòng Tư pháp huyện"],
            "trước ngày 30/6/2026",
        ),
        ("T5", "Đánh giá sự hài lòng", ["UBND các xã, thị trấn"], "Khi có yêu cầu"),
        (
            "R1",
            "Báo cáo kết quả cải cách hành chính gửi UBND huyện",
            ["Phòng Nội vụ"],
            "Định kỳ quý, 06 tháng, năm",
        ),
    ]
    sources = [t.source for t in draft.tasks]
    assert sources[:5] == [
        "Phụ lục, I, dòng 1",
        "Phụ lục, I, dòng 2",
        "Phụ lục, II, dòng 1",
        "Phụ lục, II, dòng 7",
        "Phụ lục, II, dòng 2",
    ]
    assert draft.tasks[0].product == "Báo cáo rà soát"
    assert [u.name for u in draft.tasks[0].support] == [
        "Các phòng, ban, đơn vị huyện",
        "UBND các xã, thị trấn",
    ]
    # The citation's date is no deadline: the sentence is listed, not turned into a task.
    assert [(d.text, d.reason) for d in draft.doubts] == [
        (
            "Thực hiện theo Quyết định số 608/QĐ-UBND ngày 19/01/2025 của UBND tỉnh.",
            "nhiệm vụ không có mốc thời gian; không thành nhiệm vụ",
        ),
    ]
    spec = loads(draft)
    assert [t.code for t in spec.tasks] == ["T1", "T2", "T3", "T4", "T5", "R1"]
    assert str(spec.tasks[3].schedule.due) == "2026-06-29 23:59:59+07:00"


def test_the_draft_keeps_the_issue_date_and_the_products_as_keys_that_load():
    draft = import_document("quyet-dinh.docx", DECISION)
    today = draft_toml(draft, "quyet-dinh.docx")
    assert "\nissued = 2026-01-20" in today and '\nproduct = "Báo cáo rà soát"' in today
    assert str(loads(draft, "quyet-dinh.docx").issued) == "2026-01-20"
    # The groups the document names collectively are groups with no members listed.
    assert '[[groups]]\ncode = "PBĐVH"' not in today and 'name = "UBND các xã, thị trấn"' in today


def test_time_column_names_and_a_time_the_parser_cannot_read():
    for column in ("Tiến độ", "Thời gian trình", "Thời gian thực hiện"):
        data = word(
            "KẾ HOẠCH",
            "Chuyển đổi số năm 2025 của tỉnh Lâm Viên",
            WordTable(
                rows=[
                    ["TT", "Nhiệm vụ", "Đơn vị chủ trì", column],
                    ["1", "Trình đề án chuyển đổi số", "Sở TT&TT", "Quý III"],
                    ["2", "Hoàn thiện cơ sở dữ liệu", "Sở KH&ĐT", "tùy tình hình"],
                ]
            ),
        )
        draft = import_document("cds.docx", data)
        assert tasks_of(draft) == [
            ("T1", "Trình đề án chuyển đổi số", ["Sở TT&TT"], "Quý III"),
            ("T2", "Hoàn thiện cơ sở dữ liệu", ["Sở KH&ĐT"], "Trong năm 2025"),
        ], column
        assert draft.tasks[1].written_when == "tùy tình hình"
        assert draft.doubts[0].reason == (
            'chưa đọc được thời gian "tùy tình hình"; tạm ghi "Trong năm 2025", hãy sửa'
        )
        assert "# Thời gian trong văn bản: tùy tình hình" in draft_toml(draft, "cds")
        loads(draft)


ACTIVITIES = """KẾ HOẠCH
Tuyên truyền cải cách hành chính năm 2021 của huyện Kông Chro

III. HÌNH THỨC, BIỆN PHÁP TUYÊN TRUYỀN

1. Cập nhật, công khai thủ tục hành chính.
a) Thời gian thực hiện: Thường xuyên trong năm 2021.
b) Cơ quan thực hiện: Các cơ quan, đơn vị và UBND các xã, thị trấn.
c) Nội dung: Văn phòng HĐND&UBND huyện nhập cơ sở dữ liệu.

2. Tham gia các lớp tập huấn về CCHC.
a) Thời gian thực hiện: Theo Kế hoạch của Sở, ngành liên quan.
b) Cơ quan chủ trì: Phòng Nội vụ huyện.
Cơ quan phối hợp: Phòng Tư pháp huyện.
"""

TIMELINE = """KẾ HOẠCH
Tuyên truyền cải cách hành chính thị xã Cửa Lò năm 2024

4.3. Thời gian truyền thông.
- Tháng 1: Ban hành kế hoạch tuyên truyền.
- Tháng 3 đến tháng 4: Tổ chức truyền thông về dịch vụ công trực tuyến.
- Hỗ trợ người dân nộp hồ sơ trực tuyến: từ tháng 1 đến tháng 12.
"""

PER_UNIT = """KẾ HOẠCH
Kiểm kê đất đai năm 2026 của huyện Đồng Xuân

III. NHIỆM VỤ CỤ THỂ
1. Phòng Tài nguyên và Môi trường
- Rà soát hồ sơ địa chính. Thời gian: Quý II/2026.
- Tổng hợp số liệu kiểm kê. Thời gian hoàn thành: trước ngày 15/8/2026.
2. UBND các xã, thị trấn
- Kiểm kê đất đai trên địa bàn. Thời gian: Tháng 6 đến tháng 7.
"""


def test_numbered_activities_with_their_time_and_lead_lines():
    draft = import_document("kong-chro.txt", ACTIVITIES.encode())
    assert tasks_of(draft) == [
        (
            "T1",
            "Cập nhật, công khai thủ tục hành chính",
            ["Các cơ quan, đơn vị", "UBND các xã, thị trấn"],
            "Thường xuyên trong năm 2021",
        ),
        (
            "T2",
            "Tham gia các lớp tập huấn về CCHC",
            ["Phòng Nội vụ huyện"],
            "Theo Kế hoạch của Sở, ngành liên quan",
        ),
    ]
    assert [u.name for u in draft.tasks[1].support] == ["Phòng Tư pháp huyện"]
    assert draft.tasks[0].source == "mục 1"


def test_a_month_timeline_with_no_units_anywhere_is_led_by_the_issuer_and_the_review_says_so():
    draft = import_document("cua-lo.txt", TIMELINE.encode())
    assert tasks_of(draft) == [
        ("T1", "Ban hành kế hoạch tuyên truyền", ["Ủy ban nhân dân thị xã Cửa Lò"], "Tháng 1"),
        (
            "T2",
            "Tổ chức truyền thông về dịch vụ công trực tuyến",
            ["Ủy ban nhân dân thị xã Cửa Lò"],
            "Tháng 3 đến tháng 4",
        ),
        (
            "T3",
            "Hỗ trợ người dân nộp hồ sơ trực tuyến",
            ["Ủy ban nhân dân thị xã Cửa Lò"],
            "Từ tháng 1 đến tháng 12",
        ),
    ]
    assert len(draft.doubts) == 3
    assert "kế hoạch này do Ủy ban nhân dân thị xã Cửa Lò ban hành" in draft.doubts[0].reason
    assert all("hãy sửa đơn vị chủ trì" in d.reason for d in draft.doubts[1:])
    assert str(loads(draft).tasks[1].schedule.due) == "2024-04-30 23:59:59+07:00"


def test_duties_listed_per_unit_each_ending_with_its_time():
    draft = import_document("kiem-ke.txt", PER_UNIT.encode())
    assert tasks_of(draft) == [
        ("D1", "Rà soát hồ sơ địa chính", ["Phòng Tài nguyên và Môi trường"], "Quý II/2026"),
        (
            "D2",
            "Tổng hợp số liệu kiểm kê",
            ["Phòng Tài nguyên và Môi trường"],
            "trước ngày 15/8/2026",
        ),
        ("D3", "Kiểm kê đất đai trên địa bàn", ["UBND các xã, thị trấn"], "Tháng 6 đến tháng 7"),
    ]
    loads(draft)


def test_prose_duties_with_deadlines_and_periodic_reports():
    text = """KẾ HOẠCH
Tuyên truyền cải cách hành chính huyện Thuận Nam năm 2022

IV. TỔ CHỨC THỰC HIỆN:
1. Các cơ quan, đơn vị thuộc huyện và Ủy ban nhân dân các xã
- Xây dựng Kế hoạch năm 2022 gửi về Ủy ban nhân dân huyện (qua Phòng Nội vụ)
trước ngày 30/01/2022, đồng thời bố trí kinh phí.
- Định kỳ 06 tháng, một năm báo cáo kết quả gửi về Ủy ban nhân dân huyện (qua Phòng Nội vụ).
2. Phòng Nội vụ
- Theo dõi, đôn đốc việc thực hiện Kế hoạch này. Định kỳ tổng hợp, đánh giá kết quả.
3. Phòng Tư pháp: Tham mưu xây dựng Kế hoạch tuyên truyền pháp luật.
Trên đây là Kế hoạch tuyên truyền.
"""
    draft = import_document("thuan-nam.txt", text.encode())
    groups = ["Các cơ quan, đơn vị thuộc huyện", "Ủy ban nhân dân các xã"]
    assert [(t.code, t.lead and [u.name for u in t.lead], t.when) for t in draft.tasks] == [
        ("D1", groups, "Trước ngày 30/01/2022"),
        ("R1", groups, "Định kỳ 06 tháng, một năm"),
        ("D2", ["Phòng Nội vụ"], "Thường xuyên trong năm"),
        ("R2", ["Phòng Nội vụ"], "Định kỳ 06 tháng, năm"),
        ("D3", ["Phòng Tư pháp"], "Trong năm 2022"),
    ]
    assert draft.tasks[0].reports_to is not None
    assert draft.tasks[0].reports_to.name == "Phòng Nội vụ"
    assert draft.doubts[0].reason == (
        'văn bản không ghi kỳ báo cáo; tạm lấy "Định kỳ 06 tháng, năm", hãy kiểm tra'
    )
    spec = loads(draft)
    assert [o.period for o in spec.tasks[1].schedule.occurrences] == [
        "6 tháng đầu năm 2022",
        "Năm 2022",
    ]


def test_one_unit_however_it_is_written():
    same = [
        ("Phòng Văn hóa và Thông tin huyện", "phòng Văn hóa và Thông tin", "Phòng VH&TT"),
        (
            "Trung tâm Văn hóa - Thông tin và Thể thao huyện",
            "Trung tâm Văn hoá, Thông tin và Thể thao huyện",
            "TT-VH-TT",
        ),
        (
            "Văn phòng HĐND và UBND huyện",
            "Văn phòng HĐND&UBND huyện",
            "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện",
        ),
        ("UBND các xã, thị trấn", "UBND xã, thị trấn có liên quan", "Ủy ban nhân dân cấp xã"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông tỉnh", "Sở Thông tin và Truyền thông"),
        ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư", "Sở Kế hoạch và Đầu tư tỉnh"),
        (
            "Ủy ban MTTQ Việt Nam huyện",
            "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Long Hồ",
            "Ủy ban mặt trận tổ quốc Việt Nam huyện",
        ),
    ]
    for names in same:
        assert len({key(name, ("long", "hồ")) for name in names}) == 1, names
    assert key("Sở Nội vụ") != key("Phòng Nội vụ")
    assert key("UBND huyện") != key("UBND tỉnh")


def test_a_cell_of_units_splits_on_semicolons_and_va_not_inside_a_name():
    cases = [
        (
            "Phòng, ban, đơn vị huyện; UBND các xã, thị trấn.",
            ["Phòng, ban, đơn vị huyện", "UBND các xã, thị trấn"],
        ),
        (
            "Trung tâm Văn hóa, Thông tin và Thể thao huyện và UBND cấp xã",
            ["Trung tâm Văn hóa, Thông tin và Thể thao huyện", "UBND cấp xã"],
        ),
        ("Phòng Tài chính và Kế hoạch", ["Phòng Tài chính và Kế hoạch"]),
        (
            "Văn phòng HĐND và UBND huyện và UBND các xã",
            ["Văn phòng HĐND và UBND huyện", "UBND các xã"],
        ),
        (
            "Ủy ban MTTQ Việt Nam huyện và các tổ chức chính trị - xã hội",
            ["Ủy ban MTTQ Việt Nam huyện", "các tổ chức chính trị - xã hội"],
        ),
        ("Phòng Nội vụ\nPhòng Tư pháp".replace("\n", "; "), ["Phòng Nội vụ", "Phòng Tư pháp"]),
    ]
    for cell, names in cases:
        assert split_cell(cell) == names, cell


def test_collective_owners_become_groups_in_the_draft():
    draft = import_document("quyet-dinh.docx", DECISION)
    groups = {u.name for t in draft.tasks for u in (*t.lead, *t.support) if u.is_group}
    assert groups == {"Các phòng, ban, đơn vị huyện", "UBND các xã, thị trấn"}
    spec = loads(draft)
    assert {u.name for u in spec.units if u.is_group} == groups
