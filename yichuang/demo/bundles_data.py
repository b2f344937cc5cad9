"""The demo hall's bundles (一件事一次办), saved through the catalogue's own service
function: each a life event of a student or a staff member, made of services of three or
four departments, led by the department with the longest promise."""

from yichuang.catalog.models import Bundle, Service
from yichuang.catalog.services import save_bundle
from yichuang.catalog.validation import BundleData

# code, name, lead service, other services, who it is for
BUNDLES = [
    (
        "freshman-enrolment",
        "新生入学",
        "xsc-hukou-in",
        ["jwc-freshman-check", "hqc-dorm-checkin", "cwc-freshman-fees"],
        "本科新生报到时一次办理：学籍注册、集体户口迁入、宿舍入住和学费住宿费缴纳确认。"
        "身份证、录取通知书和照片只交一份。",
    ),
    (
        "graduation-leave",
        "毕业离校",
        "jwc-graduation-clearance",
        ["xsc-graduate-files", "hqc-dorm-checkout", "cwc-graduate-settlement"],
        "本科毕业生离校前一次办理：领取毕业证书和学位证书、档案转递和户口迁出、退宿、财务结清。",
    ),
    (
        "staff-onboarding",
        "教职工入职",
        "rsc-onboarding",
        ["cwc-salary-account", "hqc-staff-housing"],
        "新进教职工报到时一次办理：人事报到、工资卡登记和过渡住房申请。",
    ),
    (
        "staff-retirement",
        "教职工退休",
        "rsc-retirement",
        ["cwc-retirement-settlement", "hqc-housing-return"],
        "教职工退休时一次办理：退休手续、借款与公务卡结清、周转房退还。",
    ),
]


def seed_bundles(*, by=None) -> int:
    """Create and publish the demo bundles that do not exist yet; their services must."""
    services = Service.objects.select_related("department").in_bulk(field_name="code")
    existing = set(Bundle.objects.values_list("code", flat=True))
    created = 0
    for code, name, lead, others, summary in BUNDLES:
        if code in existing:
            continue
        data = BundleData(
            code=code,
            name=name,
            lead=services[lead],
            services=[services[lead]] + [services[c] for c in others],
            summary=summary,
        )
        save_bundle(data, by=by, note="初始发布")
        created += 1
    return created
