"""The standard call script of 跟踪回访 (seed 003: 电话询问…听取意见和建议) and the hall's default
sampling rule (5% of each department's completed cases a month, at least one). The hall office
edits both in the back office."""

from decimal import Decimal

from django.db import migrations

OPENING = (
    "您好！我是{大厅}的工作人员，您于{日期}在我们这里办理了“{事项}”。"
    "为了改进服务，想占用您一两分钟做个回访，可以吗？"
)
CLOSING = "感谢您的支持！如有意见建议，欢迎随时拨打我们的投诉电话或在网上留言。"
QUESTIONS = [
    ("您对这次办事的总体满意程度如何？", "level"),
    ("工作人员是否一次性告知了需要的全部材料？", "yes_no"),
    ("事项是否在承诺的时间内办结？", "yes_no"),
    ("工作人员是否热情、耐心、用语文明？", "yes_no"),
    ("办理过程中是否遇到推诿、刁难或索要好处的情况？", "yes_no"),
    ("您对我们的工作还有什么意见和建议？", "text"),
]


def add_script(apps, schema_editor):
    VisitScript = apps.get_model("feedback", "VisitScript")
    VisitQuestion = apps.get_model("feedback", "VisitQuestion")
    VisitRule = apps.get_model("feedback", "VisitRule")
    script = VisitScript.objects.create(name="跟踪回访标准话术", opening=OPENING, closing=CLOSING)
    for position, (text, kind) in enumerate(QUESTIONS, start=1):
        VisitQuestion.objects.create(script=script, position=position, text=text, kind=kind)
    VisitRule.objects.create(share_percent=Decimal("5.00"), minimum=1, script=script)


def remove_script(apps, schema_editor):
    apps.get_model("feedback", "VisitRule").objects.filter(department__isnull=True).delete()
    apps.get_model("feedback", "VisitScript").objects.filter(name="跟踪回访标准话术").delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_feedback_loop")]

    operations = [migrations.RunPython(add_script, remove_script)]
