"""The demo hall office's synonym list for routing free questions (the items' own keywords are
in catalog_data.py), written through the service function like everything the seed makes."""

from yichuang.core.errors import DomainError
from yichuang.inquiries.models import Synonym
from yichuang.inquiries.synonyms import save_synonym

# The hall office's list: what people say → the words of the catalogue it means.
SYNONYMS = [
    ("丢了 丢失 遗失 掉了 弄丢 找不到", "补办 遗失"),
    ("坏了 烂了 破了 坏掉 损坏", "损坏 维修"),
    ("漏水 堵了 堵塞 停电 没电 断了 不亮 不制冷 不出水 没热水", "维修"),
    ("灯 空调 水龙头 门锁 马桶 厕所 床板 热水器 插座 窗户", "宿舍维修"),
    ("寝室 公寓", "宿舍"),
    ("报账 报销", "财务 报销"),
    ("贫困生 贫困", "家庭经济困难"),
    ("兼职 打工 勤工俭学", "勤工助学"),
    ("没钱 救助 急用钱", "临时困难补助"),
    ("研究生 硕士 博士 研一 研二 研三", "研究生"),
    ("工资", "收入"),
    ("发票 收据", "票据"),
    ("交了 交费 缴了", "缴费"),
    ("写错 错了 不一致 不对", "更正"),
    ("当兵 参军", "入伍"),
    ("上班 下班 几点 周末 中午", "办公时间"),
    ("没带齐 没带全 缺了 不全", "材料不全"),
    ("代办 替 帮我", "委托 代办"),
]


def seed_routing(*, by=None) -> None:
    """Give the hall office its synonym list (once)."""
    if Synonym.objects.exists():
        return
    for phrases, terms in SYNONYMS:
        try:
            save_synonym(by=by, phrases=phrases, terms=terms)
        except DomainError:
            continue
