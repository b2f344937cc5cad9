"""Routing a free question (issue 16, inquiries/suggest.py) on a 500-item catalogue: how long
the index takes to build, and how long one suggestion takes with a warm index.

    .venv/bin/python bench/suggest_bench.py                  # SQLite in bench/out/
    .venv/bin/python bench/suggest_bench.py --items 2000 --rounds 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yichuang_bench_suggest \\
        .venv/bin/python bench/suggest_bench.py --keep-database

The demo catalogue (29 items, its FAQ and synonyms) is topped up to `--items` with generated
items of the demo's departments and posts (names, keywords, materials and conditions drawn from
realistic parts). The questions are the evaluation set's (inquiries/tests/suggest_eval.csv),
asked `--rounds` times each. A suggestion is timed whole, as the API's view calls it: the
index's fingerprint queries, the scoring, and reading who covers each suggested post now. The
aim is a median under 20 ms. The memory a worker gains (jieba's trimmed dictionary, numpy,
bm25s, the index) is measured as resident set size before the first question and after.
"""

import argparse
import csv
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
EVAL = ROOT / "yichuang" / "inquiries" / "tests" / "suggest_eval.csv"

THINGS = (
    "校园卡 图书证 门禁卡 停车证 工作证 医疗证 实验室准入 宿舍钥匙 饭卡 借书证 体检报告 社保卡 "
    "公积金 职称证书 教师资格证 外籍教师证 出国护照 港澳通行证 报到证 档案转递 党组织关系 "
    "团组织关系 奖学金 助学金 学费减免 科研经费 设备采购 会议室 体育场馆 校车 网络账号 "
    "邮箱账号 VPN账号 软件正版化 打印复印 学位服 毕业照 实习协议 就业协议 三方协议"
).split()
ACTIONS = "办理 补办 变更 注销 证明开具 查询 登记 审批 备案 延期 续办 退费 预约 领取".split()
MATERIALS = (
    "申请表 本人身份证 学生证或校园卡 工作证 近期一寸免冠照片 单位证明 所在学院意见 "
    "导师签字意见 缴费凭证 原证件 遗失声明 授权委托书 合同复印件 发票 审批单"
).split()
CONDITIONS = [
    "本校在读学生",
    "本校在职教职工",
    "证件遗失或损坏的师生",
    "因工作需要的教职工，经所在单位同意",
    "符合学校相关管理办法规定条件的申请人",
]


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def prepare(items: int) -> None:
    """A demo-like hall (departments, posts, the demo catalogue, FAQ and synonyms) topped up
    with generated items to `items` in all."""
    from django.core.management import call_command

    from yichuang.catalog.models import Kind, Material, Service
    from yichuang.core.pinyin import search_keys
    from yichuang.demo import org_data
    from yichuang.demo.catalog_data import seed_services
    from yichuang.demo.more_data import seed_faq
    from yichuang.demo.routing_data import seed_routing
    from yichuang.org import services as org
    from yichuang.org.models import Department, Post

    call_command("migrate", verbosity=0)
    if Department.objects.exists():
        return
    office = org.create_staff(
        username="office1",
        password="bench-pass-2026",
        full_name="李敏",
        roles=["hall_office"],
        department=None,
        by=None,
    )
    for i, (code, name, short, location, phone, hours) in enumerate(org_data.DEPARTMENTS, 1):
        org.create_department(
            code=code,
            name=name,
            short_name=short,
            location=location,
            phone=phone,
            hours=hours,
            sort_order=i,
            by=None,
        )
    departments = {d.code: d for d in Department.objects.all()}
    for i, (code, name, dept, _window, _holder, _backups) in enumerate(org_data.POSTS, 1):
        holder, backup = (
            org.create_staff(
                username=f"{code}-{ab}",
                password="bench-pass-2026",
                full_name=f"{name}{ab.upper()}",
                department=departments[dept],
                roles=["window_staff"],
                by=None,
            )
            for ab in ("a", "b")
        )
        org.create_post(
            code=code,
            name=name,
            department=departments[dept],
            window=None,
            holder=holder,
            backups=[backup],
            duties=f"{name}：{org_data.DUTIES}",
            sort_order=i,
            by=None,
        )
    seed_services(by=None)
    seed_faq(office=office)
    seed_routing(by=office)
    posts = list(Post.objects.select_related("department"))
    rng = random.Random(16)
    made = Service.objects.count()
    n = 0
    while made < items:
        thing, action = THINGS[n % len(THINGS)], ACTIONS[(n // len(THINGS)) % len(ACTIONS)]
        n += 1
        post = rng.choice(posts)
        name = f"{thing}{action}"
        keywords = f"{thing} {action}{thing}"
        initials, full = search_keys(name, keywords)
        service = Service.objects.create(
            code=f"gen-{n:04d}",
            name=name,
            department=post.department,
            post=post,
            kind=Kind.COMMITTED,
            legal_days=10,
            committed_days=5,
            basis="《本校管理办法》",
            conditions=rng.choice(CONDITIONS),
            category=thing,
            keywords=keywords,
            pinyin_initials=initials[:400],
            pinyin=full[:1200],
            version=1,
        )
        Material.objects.bulk_create(
            Material(service=service, position=p, name=m)
            for p, m in enumerate(rng.sample(MATERIALS, 3), start=1)
        )
        made += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep-database", action="store_true", help="reuse a prepared one")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"suggest-{args.items}.sqlite3"
    if "DATABASE_URL" not in os.environ:
        if not args.keep_database:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from yichuang.catalog.models import Service

    started = time.perf_counter()
    prepare(args.items)
    print(
        f"catalogue: {Service.objects.count()} items (prepared in {time.perf_counter() - started:.1f} s)"
    )

    from yichuang.inquiries import suggest_index, words
    from yichuang.inquiries.suggest import suggest

    before = rss_mib()
    started = time.perf_counter()
    words.tokenizer()
    load = time.perf_counter() - started
    started = time.perf_counter()
    suggest_index.forget()
    suggest_index.current()
    first_build = time.perf_counter() - started
    builds = []
    for _i in range(3):
        suggest_index.forget()
        started = time.perf_counter()
        suggest_index.current()
        builds.append(time.perf_counter() - started)
    after = rss_mib()

    with EVAL.open(encoding="utf-8") as f:
        questions = [row["question"] for row in csv.DictReader(f)]
    suggest(questions[0])  # warm
    times = []
    for _r in range(args.rounds):
        for q in questions:
            started = time.perf_counter()
            suggest(q)
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(f"jieba (trimmed dictionary) loaded in {load * 1000:.0f} ms")
    print(
        f"index build: first {first_build * 1000:.0f} ms, then median "
        f"{statistics.median(builds) * 1000:.0f} ms (tokenizer warm)"
    )
    print(
        f"suggestion, warm index, {len(times)} questions: median {statistics.median(times):.2f} ms, "
        f"p95 {p95:.2f} ms, max {times[-1]:.2f} ms"
    )
    print(f"worker memory: {before:.0f} MiB before the first question, {after:.0f} MiB after")


if __name__ == "__main__":
    main()
