"""The demo university hall's people and posts. Names are invented."""

DEPARTMENTS = [
    # code, name, short name for document numbers, office, phone, hours
    (
        "jwc",
        "教务处",
        "教务",
        "行政楼一楼 师生服务大厅 1-2 号窗口",
        "0731-8882 1001",
        "工作日 8:30-12:00, 14:30-17:30",
    ),
    (
        "xsc",
        "学生处",
        "学工",
        "行政楼一楼 师生服务大厅 3 号窗口",
        "0731-8882 1002",
        "工作日 8:30-12:00, 14:30-17:30",
    ),
    (
        "yjsy",
        "研究生院",
        "研",
        "行政楼一楼 师生服务大厅 4 号窗口",
        "0731-8882 1003",
        "工作日 8:30-12:00, 14:30-17:30",
    ),
    (
        "rsc",
        "人事处",
        "人事",
        "行政楼一楼 师生服务大厅 5 号窗口",
        "0731-8882 1004",
        "工作日 8:30-12:00, 14:30-17:30",
    ),
    (
        "cwc",
        "财务处",
        "财务",
        "行政楼一楼 师生服务大厅 6 号窗口",
        "0731-8882 1005",
        "工作日 8:30-12:00, 14:30-17:00",
    ),
    (
        "hqc",
        "后勤保障处",
        "后勤",
        "行政楼一楼 师生服务大厅 7 号窗口",
        "0731-8882 1006",
        "每天 8:00-20:00（报修 24 小时）",
    ),
]

WINDOWS = [
    ("1", "学籍与成绩", "jwc"),
    ("2", "考试与证书", "jwc"),
    ("3", "学生事务", "xsc"),
    ("4", "研究生事务", "yjsy"),
    ("5", "人事服务", "rsc"),
    ("6", "财务服务", "cwc"),
    ("7", "后勤服务", "hqc"),
]

# username, full name, department, roles, title, office phone
STAFF = [
    ("window1", "王晓燕", "jwc", ["window_staff"], "学籍管理员", "0731-8882 1011"),
    ("jwc_liuyang", "刘洋", "jwc", ["window_staff"], "考务管理员", "0731-8882 1012"),
    ("jwc_chenjing", "陈静", "jwc", ["window_staff"], "教务员", "0731-8882 1013"),
    (
        "head1",
        "张卫国",
        "jwc",
        ["department_head", "window_staff"],
        "教务处副处长（窗口首席代表）",
        "0731-8882 1010",
    ),
    ("window2", "陈思远", "xsc", ["window_staff"], "资助管理员", "0731-8882 1021"),
    ("xsc_zhaolei", "赵磊", "xsc", ["window_staff"], "学生事务员", "0731-8882 1022"),
    ("xsc_head", "孙丽华", "xsc", ["department_head"], "学生处副处长", "0731-8882 1020"),
    ("yjs_sunli", "孙莉", "yjsy", ["window_staff"], "学位管理员", "0731-8882 1031"),
    ("yjs_zhoujie", "周杰", "yjsy", ["window_staff"], "研究生学籍管理员", "0731-8882 1032"),
    ("yjs_head", "吴建国", "yjsy", ["department_head"], "研究生院培养办主任", "0731-8882 1030"),
    ("rsc_wufang", "吴芳", "rsc", ["window_staff"], "人事专员", "0731-8882 1041"),
    ("rsc_zhengqiang", "郑强", "rsc", ["window_staff"], "劳资专员", "0731-8882 1042"),
    ("rsc_head", "冯志刚", "rsc", ["department_head"], "人事处副处长", "0731-8882 1040"),
    ("cwc_hemin", "何敏", "cwc", ["window_staff"], "报销会计", "0731-8882 1051"),
    ("cwc_linhai", "林海", "cwc", ["window_staff"], "收费会计", "0731-8882 1052"),
    ("cwc_head", "黄丽", "cwc", ["department_head"], "财务处副处长", "0731-8882 1050"),
    ("hqc_maqing", "马青", "hqc", ["window_staff"], "维修调度员", "0731-8882 1061"),
    ("hqc_gaofeng", "高峰", "hqc", ["window_staff"], "宿舍管理员", "0731-8882 1062"),
    ("hqc_head", "郭建华", "hqc", ["department_head"], "后勤保障处副处长", "0731-8882 1060"),
    ("reviewer1", "赵蕾", None, ["reviewer"], "大厅审核专员", "0731-8882 1002"),
    ("office1", "李敏", None, ["hall_office"], "大厅管理办公室主任", "0731-8882 1000"),
    ("evaluator1", "钱学文", None, ["evaluator"], "教师代表（评议员）", ""),
    ("admin", "系统管理员", None, ["administrator"], "信息化办公室", "0731-8882 1099"),
    # 三员分立: accounts and roles, and the audit record, each with its own person.
    ("security1", "安全管理员", None, ["security_administrator"], "信息化办公室", "0731-8882 1098"),
    ("auditor1", "审计管理员", None, ["audit_administrator"], "纪检监察室", "0731-8882 1097"),
]

DUTIES = "按照办事指南受理、审核本岗位事项；执行首问负责制和一次性告知制；按承诺时限办结；做好办件台账登记。"
PROCEDURE = "咨询 → 核验材料（一次性告知缺少材料）→ 受理并出具受理通知书 → 审核（一审）→ 复核（一核）→ 办结并通知申请人。"
COMMITMENT = "热情接待、首问负责；材料齐全的即办件当场办结，承诺件在承诺时限内办结；不推诿、不刁难、不吃拿卡要。"

# post code, name, department, window, holder, backups (ordered)
POSTS = [
    ("jwc-status", "学籍管理岗", "jwc", "1", "window1", ["jwc_chenjing", "jwc_liuyang"]),
    ("jwc-exam", "考试与证书岗", "jwc", "2", "jwc_liuyang", ["window1"]),
    ("xsc-aid", "学生资助岗", "xsc", "3", "window2", ["xsc_zhaolei"]),
    ("xsc-card", "学生证与户籍岗", "xsc", "3", "xsc_zhaolei", ["window2"]),
    ("yjs-degree", "研究生学位岗", "yjsy", "4", "yjs_sunli", ["yjs_zhoujie"]),
    ("yjs-status", "研究生学籍岗", "yjsy", "4", "yjs_zhoujie", ["yjs_sunli"]),
    ("rsc-cert", "人事证明岗", "rsc", "5", "rsc_wufang", ["rsc_zhengqiang"]),
    ("cwc-reimb", "财务报销岗", "cwc", "6", "cwc_hemin", ["cwc_linhai"]),
    ("cwc-invoice", "票据与收费岗", "cwc", "6", "cwc_linhai", ["cwc_hemin"]),
    ("hqc-repair", "后勤报修岗", "hqc", "7", "hqc_maqing", ["hqc_gaofeng"]),
]

# The second campus (东校区): its own hall, windows, posts, queues and hall office. 教务处,
# 学生处 and 财务处 are present in both halls; the university's supervising office
# (supervisor1) sees both side by side.
# code, name, address, hours, phone, latitude, longitude
HALLS = [
    (
        "east",
        "东校区服务大厅",
        "东校区图书馆一楼东侧",
        "工作日 8:30-12:00, 14:30-17:00",
        "0731-8882 2000",
        "28.170000",
        "113.010000",
    ),
]
# The default hall's own place (it was made from HALL_NAME by the migration).
MAIN_HALL = {
    "address": "本部行政楼一楼",
    "hours": "工作日 8:30-12:00, 14:30-17:30",
    "phone": "0731-8882 1000",
    "latitude": "28.190000",
    "longitude": "112.940000",
}

# number, name, department, hall
HALL_WINDOWS = [
    ("E1", "东区教务服务", "jwc", "east"),
    ("E2", "东区学生事务", "xsc", "east"),
    ("E3", "东区财务服务", "cwc", "east"),
]

# username, full name, department, roles, title, office phone, halls ([] = every hall it sees)
HALL_STAFF = [
    ("east_jwc", "林小雨", "jwc", ["window_staff"], "东区教务员", "0731-8882 2011", ["east"]),
    ("east_xsc", "许晨", "xsc", ["window_staff"], "东区学生事务员", "0731-8882 2021", ["east"]),
    ("east_cwc", "唐宁", "cwc", ["window_staff"], "东区报销会计", "0731-8882 2051", ["east"]),
    (
        "office2",
        "韩梅",
        None,
        ["hall_office"],
        "东校区大厅管理办公室主任",
        "0731-8882 2000",
        ["east"],
    ),
    (
        "supervisor1",
        "邓文",
        None,
        ["supervising_office"],
        "学校政务服务管理办公室",
        "0731-8882 0001",
        [],
    ),
]

# post code, name, department, window, holder, backups
HALL_POSTS = [
    ("jwc-east", "东区教务岗", "jwc", "E1", "east_jwc", ["east_xsc"]),
    ("xsc-east", "东区学生事务岗", "xsc", "E2", "east_xsc", ["east_jwc"]),
    ("cwc-east", "东区财务岗", "cwc", "E3", "east_cwc", ["east_xsc"]),
]

# prefix, window, group name, the codes of services offered there (present in both halls).
# The prefixes are the main hall's for the same departments: each hall has its own A queue.
HALL_GROUPS = [
    ("A", "E1", "东区教务", ["jwc"]),
    ("C", "E2", "东区学生事务", ["xsc"]),
    ("F", "E3", "东区财务", ["cwc"]),
]
