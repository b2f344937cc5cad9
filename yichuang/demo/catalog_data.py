"""Demo service items of a university's service hall, published through the catalogue's own
service function (so they are validated, versioned and audited like any other item).

The departments and posts come from the demo seed and are looked up by code. Where to go,
when, and whom to call are left to the post's window and the department (the snapshot
falls back to them), so the demo keeps one set of addresses and phone numbers.
"""

from yichuang.catalog.models import Kind, MaterialFormat, Service
from yichuang.catalog.services import save_service
from yichuang.catalog.validation import MaterialData, ServiceData, StepData
from yichuang.org.models import Department, Post

STUDENT_RULES = "《普通高等学校学生管理规定》（教育部令第41号）"
FREE = "不收费"
DEPARTMENTS = ["jwc", "xsc", "yjsy", "rsc", "cwc", "hqc"]


def need(name, originals=1, copies=0, notes="", fmt=MaterialFormat.PAPER) -> MaterialData:
    return MaterialData(name=name, originals=originals, copies=copies, notes=notes, format=fmt)


def when(name, condition, originals=1, copies=0, notes="", fmt=MaterialFormat.PAPER):
    return MaterialData(
        name=name,
        required=False,
        condition=condition,
        originals=originals,
        copies=copies,
        notes=notes,
        format=fmt,
    )


PROXY = when("授权委托书及代办人身份证", "委托他人代办时", 1, 1, "委托书须本人签字")


# fmt: off
def item(code, name, dept, post, kind, legal, committed, category, basis, conditions,
         materials, steps, *, online=False, fees=FREE, fee_basis="") -> dict:
    return locals()


ITEMS = [
    # 教务处
    item("jwc-enrolment-cert", "在读证明", "jwc", "jwc-status", Kind.IMMEDIATE, 3, 0, "学籍管理",
         f"{STUDENT_RULES}；《本校本科生学籍管理规定》",
         "具有本校正式学籍的在读本科生。",
         [need("学生证或校园卡", notes="核验后当场退还"), need("本人有效身份证件"), PROXY],
         ["提交申请：窗口或网上办事大厅提交，注明用途和份数", "核验身份：窗口核对学籍信息",
          "打印盖章：当场打印并加盖教务处公章"], online=True),
    item("jwc-transcript", "成绩证明（中英文成绩单）", "jwc", "jwc-exam", Kind.IMMEDIATE, 3, 0,
         "考试与成绩", f"{STUDENT_RULES}；《本校课程考核与成绩管理办法》",
         "本校在读或已毕业的本科生。",
         [need("学生证或校园卡"), when("毕业证书", "已毕业学生申请时", 0, 1), PROXY],
         ["提交申请：选择中文或英文版本及份数", "核验身份：核对学籍与成绩记录",
          "打印盖章：当场打印并加盖教务处成绩专用章"], online=True),
    item("jwc-suspension", "学籍异动（休学/复学）", "jwc", "jwc-status", Kind.COMMITTED, 10, 5,
         "学籍管理", f"{STUDENT_RULES}；《本校本科生学籍管理规定》",
         "因病或其他原因需暂停学业的在籍本科生；休学期满申请复学的学生。",
         [need("学籍异动申请表", notes="本人签字，学院签署意见"), need("学生证"),
          when("二级甲等以上医院诊断证明", "因病休学或病愈复学时", 1, 1),
          when("入伍通知书", "应征入伍保留学籍时", 0, 1)],
         ["提交申请：向学院提交申请表及证明材料", "学院审核：学院签署意见后报教务处",
          "教务处审批：审核并办理学籍状态变更", "领取通知：窗口领取学籍异动通知书"]),
    item("jwc-major-transfer", "转专业申请", "jwc", "jwc-status", Kind.COMMITTED, 20, 15,
         "学籍管理", f"{STUDENT_RULES}；《本校本科生转专业实施办法》",
         "符合转专业条件的一、二年级本科生，在学校公布的报名时间内申请。",
         [need("转专业申请表", notes="转出学院签署意见"),
          when("特长或获奖证明", "以学科特长申请转入时", 0, 1)],
         ["网上报名：在教务系统填报志愿", "转出学院审核", "转入学院考核：笔试或面试",
          "公示：拟录取名单公示不少于 5 个工作日", "学籍变更：教务处办理转专业手续"]),
    item("jwc-diploma-cert", "毕（结）业证明书补办", "jwc", "jwc-status", Kind.COMMITTED, 20, 10,
         "证书证明",
         f"{STUDENT_RULES}（学历证书遗失或者损坏的，经本人申请，学校核实后出具相应的证明书）",
         "本校已取得毕（结）业证书、证书遗失或损坏的毕业生。",
         [need("毕业证明书补办申请表"), need("本人身份证", 1, 1),
          when("遗失声明", "证书遗失时", 0, 1, "在公开发行报刊或学校网站刊登"),
          when("损坏的原证书", "证书损坏时", 1, 0, "由学校收回")],
         ["提交申请", "核实学历信息：核对学籍档案与学历电子注册信息", "制作证明书并加盖公章",
          "领取：本人凭身份证领取或邮寄"]),
    item("jwc-exam-recheck", "课程考试成绩复核", "jwc", "jwc-exam", Kind.COMMITTED, 10, 5,
         "考试与成绩", f"{STUDENT_RULES}；《本校课程考核与成绩管理办法》",
         "对课程考试成绩有异议的学生，在成绩公布后 10 个工作日内申请。",
         [need("成绩复核申请表", notes="写明课程名称、任课教师和考试时间")],
         ["提交申请", "组织复核：开课学院核查试卷评分和合分", "告知结果：成绩有误的予以更正"],
         online=True),
    item("jwc-deferred-exam", "缓考申请", "jwc", "jwc-exam", Kind.COMMITTED, 5, 3, "考试与成绩",
         f"{STUDENT_RULES}；《本校课程考核与成绩管理办法》",
         "因病、因公或其他特殊原因不能参加课程期末考试的学生，原则上在考试前申请。",
         [need("缓考申请表", notes="任课教师和学院签署意见"),
          when("医院诊断证明", "因病申请时", 1, 1),
          when("相关证明材料", "因公务、直系亲属病危等其他原因申请时", 0, 1)],
         ["提交申请", "学院审核", "教务处审批并通知学生及任课教师"]),
    item("jwc-minor", "辅修专业学籍登记", "jwc", "jwc-status", Kind.COMMITTED, 10, 5, "学籍管理",
         f"{STUDENT_RULES}；《本校辅修专业管理办法》",
         "主修专业学有余力、经辅修专业所在学院录取的本科生。",
         [need("辅修专业报名表", notes="主修学院签署意见"), need("主修专业成绩单", notes="可在窗口打印")],
         ["提交材料", "辅修学院确认录取名单", "教务处登记辅修学籍并通知学生"], online=True),
    item("jwc-info-correction", "学籍信息更正（姓名、身份证号等）", "jwc", "jwc-status",
         Kind.COMMITTED, 20, 10, "学籍管理",
         f"{STUDENT_RULES}；《高等学校学生学籍学历电子注册办法》（教学〔2014〕11号）",
         "学籍信息与本人身份证件不一致的在读学生。",
         [need("学籍信息更正申请表"), need("本人身份证", 1, 1),
          need("户口簿本人页", 1, 1, "原件核验后退还"),
          when("公安机关出具的变更证明", "姓名或身份证号码变更时", 1, 1)],
         ["提交申请", "核对证件", "报省级教育行政部门审核", "更新学籍电子注册信息并告知学生"]),
    # 学生处
    item("xsc-hardship", "家庭经济困难认定", "xsc", "xsc-aid", Kind.COMMITTED, 20, 10, "学生资助",
         "《关于做好家庭经济困难学生认定工作的指导意见》（教财〔2018〕16号）；《本校家庭经济困难学生认定办法》",
         "本校全日制在读学生；每学年秋季学期集中认定，家庭情况突变的可随时申请。",
         [need("家庭经济困难学生认定申请表", notes="学生本人及家长签字"), need("个人诚信承诺书"),
          when("特殊群体证明", "属于低保、特困供养、孤残、烈士子女等特殊困难群体时", 0, 1)],
         ["提出申请：网上填报或窗口提交", "民主评议：班级认定评议小组评议",
          "学院审核并公示：公示不少于 5 个工作日", "学生处复核建档并告知结果"], online=True),
    item("xsc-loan", "国家助学贷款受理确认（生源地信用助学贷款）", "xsc", "xsc-aid",
         Kind.IMMEDIATE, 3, 0, "学生资助",
         "国家助学贷款相关政策；《本校国家助学贷款工作实施办法》",
         "已在生源地县级学生资助管理中心办理生源地信用助学贷款的学生。",
         [need("生源地信用助学贷款受理证明（回执）", notes="须有回执校验码"), need("学生证或校园卡")],
         ["提交回执", "核验信息：录入回执校验码并核对学籍", "当场确认：贷款发放后用于冲抵学费"]),
    item("xsc-work-study", "勤工助学岗位申请", "xsc", "xsc-aid", Kind.IMMEDIATE, 3, 0, "学生资助",
         "《高校学生勤工助学管理办法（2018年修订）》（教财〔2018〕12号）",
         "本校全日制在读学生，家庭经济困难学生优先安排。",
         [need("勤工助学岗位申请表"), need("学生证或校园卡"),
          when("用人单位接收意见", "申请指定岗位时")],
         ["提交申请", "登记入库：当场出具登记回执", "推荐上岗：根据岗位需求安排面试"],
         online=True),
    item("xsc-green-channel", "新生入学“绿色通道”办理", "xsc", "xsc-aid", Kind.IMMEDIATE, 3, 0,
         "学生资助", "国家学生资助政策；《本校新生入学“绿色通道”实施办法》",
         "家庭经济困难、暂时无法缴清学费的新生。",
         [need("录取通知书"), need("本人身份证", 1, 1),
          when("生源地信用助学贷款受理证明", "已办理生源地贷款时")],
         ["提交材料", "核实情况", "当场办理入学手续，学费缓缴"]),
    item("xsc-hardship-grant", "临时困难补助申请", "xsc", "xsc-aid", Kind.COMMITTED, 15, 7,
         "学生资助", "《本校学生临时困难补助管理办法》",
         "因突发疾病、意外事故或家庭变故导致生活暂时困难的在读学生。",
         [need("临时困难补助申请表", notes="辅导员签署意见"),
          when("相关证明材料", "因疾病、意外事故或家庭变故申请时", 0, 1)],
         ["提交申请", "学院核实", "学生处审批", "补助发放至本人银行卡"]),
    item("xsc-card-reissue", "学生证补办", "xsc", "xsc-card", Kind.COMMITTED, 10, 5, "证件户籍",
         f"{STUDENT_RULES}；《本校学生证管理办法》",
         "学生证遗失或损坏的在读学生。",
         [need("学生证补办申请表", notes="学院签署意见"), need("近期一寸免冠证件照", notes="蓝底"),
          when("原学生证", "学生证损坏时")],
         ["提交申请并缴纳工本费", "核验学籍信息", "制证", "领取：凭校园卡领取"],
         fees="工本费 10 元/本",
         fee_basis="《本校服务性收费和代收费管理办法》（已报主管部门备案）"),
    item("xsc-rail-discount", "火车票学生优惠区间变更", "xsc", "xsc-card", Kind.IMMEDIATE, 3, 0,
         "证件户籍", "《铁路旅客运输规程》（学生票优惠规定）；《本校学生证管理办法》",
         "家庭住址迁移、需变更乘车优惠区间的在读学生。",
         [need("学生证"), need("家庭住址变更证明", 1, 1, "户口簿本人页或父母所在地证明，原件核验后退还"),
          need("火车票学生优惠卡", notes="当场重新写入")],
         ["提交材料", "核验住址证明", "变更乘车区间并写卡"]),
    item("xsc-hukou-move", "学生集体户口迁出", "xsc", "xsc-card", Kind.COMMITTED, 10, 5,
         "证件户籍", "《中华人民共和国户口登记条例》；《本校学生集体户口管理办法》",
         "户口在学校集体户的学生，毕业、退学或其他原因需迁出。",
         [need("户口迁出申请表"), need("本人身份证", 1, 1),
          when("准予迁入证明", "迁入地要求凭准迁证办理时", 1, 1),
          when("毕业证书或就业报到证明", "毕业生迁出时", 0, 1)],
         ["提交申请", "审核并开具户籍证明信", "本人到辖区派出所办理迁出"]),
    # 研究生院
    item("yjs-degree-cert", "学位证明书补办（研究生）", "yjsy", "yjs-degree", Kind.COMMITTED,
         20, 10, "学位管理",
         "《中华人民共和国学位法》；《学位证书和学位授予信息管理办法》（学位〔2015〕18号）",
         "本校授予学位、学位证书遗失或损坏的研究生毕业生。",
         [need("学位证明书补办申请表"), need("本人身份证", 1, 1),
          when("遗失声明", "证书遗失时", 0, 1), when("损坏的原证书", "证书损坏时", 1, 0, "由学校收回")],
         ["提交申请", "核实学位授予信息", "制作学位证明书并加盖公章", "领取或邮寄"]),
    item("yjs-suspension", "研究生休学/复学", "yjsy", "yjs-status", Kind.COMMITTED, 10, 5,
         "研究生学籍", f"{STUDENT_RULES}；《本校研究生学籍管理规定》",
         "因病或其他原因需暂停学业的在籍研究生；休学期满申请复学的研究生。",
         [need("研究生学籍异动申请表", notes="导师和培养单位签署意见"),
          when("二级甲等以上医院诊断证明", "因病休学或病愈复学时", 1, 1)],
         ["提交申请", "导师与培养单位审核", "研究生院审批", "学籍状态变更并通知本人"]),
    item("yjs-enrolment-cert", "研究生在读证明", "yjsy", "yjs-status", Kind.IMMEDIATE, 3, 0,
         "研究生学籍", f"{STUDENT_RULES}；《本校研究生学籍管理规定》",
         "具有本校正式学籍的在读研究生。",
         [need("学生证或校园卡"), PROXY], ["提交申请", "核验学籍", "当场打印盖章"], online=True),
    item("yjs-defense", "学位论文答辩申请", "yjsy", "yjs-degree", Kind.COMMITTED, 10, 5,
         "学位管理", "《中华人民共和国学位法》；《本校学位授予工作细则》",
         "完成培养计划、学位论文通过评阅的研究生。",
         [need("学位论文答辩申请书", notes="导师签署意见"), need("学位论文评阅意见汇总表"),
          need("学位论文学术不端行为检测报告", notes="检测结果须符合学校规定")],
         ["提交申请", "培养单位审核", "研究生院审批答辩委员会组成", "通知答辩安排"], online=True),
    # 人事处
    item("rsc-employment-cert", "在职证明", "rsc", "rsc-cert", Kind.IMMEDIATE, 3, 0, "人事证明",
         "《事业单位人事管理条例》（国务院令第652号）；《本校人事证明开具管理办法》",
         "本校在职教职工。",
         [need("工作证或校园卡"), when("对方单位指定格式的证明", "需按指定格式开具时", 1, 0,
                                  "内容须与本人人事信息一致"), PROXY],
         ["提交申请", "核对人事信息", "当场打印并加盖人事处公章"], online=True),
    item("rsc-income-cert", "收入证明", "rsc", "rsc-cert", Kind.COMMITTED, 5, 2, "人事证明",
         "《事业单位人事管理条例》（国务院令第652号）；《本校人事证明开具管理办法》",
         "本校在职教职工。",
         [need("收入证明申请表", notes="注明用途"), need("工作证或校园卡"),
          when("对方单位指定格式的证明", "需按指定格式开具时")],
         ["提交申请", "核对收入：人事处会同财务处核对工资收入", "开具并盖章", "窗口领取"]),
    item("rsc-archive", "人事档案查（借）阅", "rsc", "rsc-cert", Kind.COMMITTED, 5, 3, "人事档案",
         "《干部人事档案工作条例》；《本校人事档案管理办法》",
         "因工作需要由组织（人事）部门指派的工作人员；不得查阅本人及亲属的档案。",
         [need("档案查（借）阅审批表", notes="所在单位审核盖章"), need("查阅人工作证件")],
         ["提交审批表", "人事处审核", "在档案室指定地点查阅，借阅的按期归还"]),
    # 财务处
    item("cwc-travel", "差旅费报销", "cwc", "cwc-reimb", Kind.COMMITTED, 10, 3, "报销",
         "《中央和国家机关差旅费管理办法》（财行〔2013〕531号）；《本校差旅费管理办法》",
         "因公出差的教职工，原则上在出差结束后 1 个月内办理。",
         [need("网上报销单（预约单）", notes="经费负责人签字"), need("出差审批单"),
          need("交通票据", notes="电子发票打印后附行程单"), need("住宿费发票及明细单"),
          when("会议或培训通知", "参加会议或培训时", 0, 1)],
         ["网上填报预约", "经费负责人审批", "投递单据", "财务审核", "支付至公务卡或本人银行卡"],
         online=True),
    item("cwc-tuition-invoice", "学费票据（财政票据）补开", "cwc", "cwc-invoice", Kind.IMMEDIATE,
         3, 0, "票据与收费", "《财政票据管理办法》（财政部令第70号）",
         "已缴纳学费、住宿费，需要补开或重新打印票据的学生。",
         [need("学生证或校园卡"), PROXY],
         ["提交申请", "核对缴费记录", "当场打印电子票据或告知下载方式"], online=True),
    item("cwc-payment-cert", "缴费证明开具", "cwc", "cwc-invoice", Kind.IMMEDIATE, 3, 0,
         "票据与收费", "《本校学生收费管理办法》",
         "需要证明学费、住宿费缴纳情况的学生。",
         [need("学生证或校园卡"), PROXY], ["提交申请", "核对缴费记录", "当场打印盖章"]),
    # 后勤保障处
    item("hqc-dorm-repair", "宿舍维修", "hqc", "hqc-repair", Kind.COMMITTED, 5, 2, "后勤服务",
         "《本校学生公寓管理规定》；《本校后勤维修服务承诺》",
         "学生公寓内水电、门窗、家具等设施损坏；人为损坏的按价赔偿。",
         [need("报修单", notes="写明宿舍号、故障情况和联系电话；网上报修可免填", fmt=MaterialFormat.EITHER),
          when("故障照片", "网上报修时", 0, 0, fmt=MaterialFormat.ELECTRONIC)],
         ["报修：窗口、电话或网上报修", "派单：2 小时内派单", "上门维修", "验收评价"],
         online=True, fees="不收费（人为损坏的按材料成本价赔偿）"),
    item("hqc-room-change", "学生宿舍调整申请", "hqc", "hqc-repair", Kind.COMMITTED, 10, 5,
         "后勤服务", "《本校学生公寓管理规定》",
         "因身体、学习等原因需调整宿舍的在读学生。",
         [need("宿舍调整申请表", notes="辅导员签署意见"), when("医院证明", "因身体原因申请时", 1, 1)],
         ["提交申请", "学院审核", "后勤保障处安排床位", "办理入住与退宿手续"]),
    # The services that the bundles (一件事, demo/bundles_data.py) are made of. The documents
    # several departments ask for carry one name everywhere (本人身份证, 录取通知书,
    # 近期一寸免冠证件照, 报到证或派遣函), so a bundle asks for each once.
    # 新生入学
    item("xsc-hukou-in", "新生集体户口迁入", "xsc", "xsc-card", Kind.COMMITTED, 10, 5, "证件户籍",
         "《中华人民共和国户口登记条例》；《本校学生集体户口管理办法》",
         "自愿将户口迁入学校集体户的新录取学生。",
         [need("录取通知书", 1, 1), need("本人身份证", 1, 1), need("户口迁移证", notes="迁出地派出所开具"),
          need("近期一寸免冠证件照", 2, 0, "蓝底"),
          when("户口簿本人页", "省内迁移、无须户口迁移证时", 0, 1)],
         ["提交材料", "审核并汇总报送辖区派出所", "派出所办理落户", "领取集体户口卡复印件"],
         online=True),
    item("jwc-freshman-check", "新生入学资格复查与学籍注册", "jwc", "jwc-status", Kind.COMMITTED,
         10, 3, "学籍管理", f"{STUDENT_RULES}（第七条、第八条 入学资格复查与注册）",
         "按期报到的本科新生；因故不能按期报到的须事先请假。",
         [need("录取通知书"), need("本人身份证", 1, 1), need("近期一寸免冠证件照", 2, 0, "用于学籍卡"),
          when("高考加分或专项计划证明", "享受加分或专项计划录取时", 0, 1)],
         ["报到核验：核对录取名单与身份证件", "入学资格复查", "学籍电子注册"], online=True),
    item("hqc-dorm-checkin", "新生宿舍入住登记", "hqc", "hqc-repair", Kind.IMMEDIATE, 3, 0,
         "后勤服务", "《本校学生公寓管理规定》",
         "已分配宿舍的本科新生。",
         [need("录取通知书"), need("本人身份证"),
          when("住宿费缴费凭证", "未在网上缴纳住宿费时", 0, 1)],
         ["核对宿舍分配", "领取钥匙和入住须知", "签订安全承诺书"], online=True),
    item("cwc-freshman-fees", "新生学费住宿费缴纳确认", "cwc", "cwc-invoice", Kind.IMMEDIATE, 3, 0,
         "票据与收费", "《本校学生收费管理办法》",
         "本科新生；家庭经济困难、走“绿色通道”的新生可缓交。",
         [need("录取通知书"), need("本人身份证"),
          when("银行转账凭证", "线下转账缴费时", 0, 1)],
         ["核对缴费记录", "开具电子票据"], online=True),
    # 毕业离校
    item("jwc-graduation-clearance", "毕业生离校（学籍与证书）", "jwc", "jwc-status", Kind.COMMITTED,
         10, 5, "证书证明", f"{STUDENT_RULES}（第五十三条 毕业证书、学位证书）",
         "已取得毕业资格的本科毕业生。",
         [need("本人身份证", 1, 1), need("学生证或校园卡", notes="交回注销"),
          need("毕业生离校登记表", notes="学院签章")],
         ["提交离校登记表", "核对毕业资格与欠费欠书情况", "发放毕业证书、学位证书"],
         online=True),
    item("xsc-graduate-files", "毕业生档案转递与户口迁出", "xsc", "xsc-card", Kind.COMMITTED, 10, 5,
         "证件户籍", "《流动人员人事档案管理服务规定》；《本校学生集体户口管理办法》",
         "本校本科毕业生，档案转往就业单位或生源地、户口迁出学校集体户。",
         [need("本人身份证", 1, 1), need("就业协议书或劳动合同", 0, 1),
          when("准予迁入证明", "户口迁往就业地时", 1, 1)],
         ["核对档案去向", "开具报到证明与户籍证明信", "机要寄送档案"], online=True),
    item("hqc-dorm-checkout", "毕业生退宿", "hqc", "hqc-repair", Kind.IMMEDIATE, 3, 0, "后勤服务",
         "《本校学生公寓管理规定》",
         "已办理毕业离校登记的本科毕业生。",
         [need("学生证或校园卡"), need("宿舍物品清点单", notes="宿管员签字")],
         ["宿管员清点物品", "交回钥匙", "退宿登记"], online=True),
    item("cwc-graduate-settlement", "毕业生财务结清", "cwc", "cwc-invoice", Kind.IMMEDIATE, 3, 0,
         "票据与收费", "《本校学生收费管理办法》",
         "本科毕业生：核对学费、住宿费及借款是否结清。",
         [need("学生证或校园卡"), need("本人身份证")],
         ["核对欠费与借款", "出具结清证明"], online=True),
    # 教职工入职
    item("rsc-onboarding", "新进教职工报到", "rsc", "rsc-cert", Kind.COMMITTED, 10, 5, "人事管理",
         "《事业单位人事管理条例》；《本校教职工招聘与入职管理办法》",
         "经学校公开招聘、已签订聘用合同的新进教职工。",
         [need("本人身份证", 1, 1), need("报到证或派遣函", 1, 1), need("学历学位证书", 1, 1),
          need("近期一寸免冠证件照", 2, 0), need("入职体检报告", notes="学校指定医院")],
         ["提交报到材料", "审核聘用手续", "办理人事关系与档案接收", "发放工作证"], online=True),
    item("cwc-salary-account", "工资卡与薪酬信息登记", "cwc", "cwc-reimb", Kind.IMMEDIATE, 3, 0,
         "薪酬", "《本校教职工薪酬发放管理办法》",
         "新进教职工。",
         [need("本人身份证", 1, 1), need("本人名下一类银行账户", 0, 1, "银行卡正面复印件")],
         ["登记银行账户", "录入薪酬系统"], online=True),
    item("hqc-staff-housing", "新进教职工过渡住房申请", "hqc", "hqc-repair", Kind.COMMITTED, 10, 5,
         "后勤服务", "《本校教职工过渡住房管理办法》",
         "在本市无自有住房的新进教职工，入住期限一般不超过三年。",
         [need("本人身份证", 1, 1), need("报到证或派遣函", 0, 1), need("过渡住房申请表")],
         ["提交申请", "核对住房情况", "分配房源", "签订租住协议并领取钥匙"], online=True),
    # 教职工退休
    item("rsc-retirement", "教职工退休手续办理", "rsc", "rsc-cert", Kind.COMMITTED, 20, 10,
         "人事管理", "《国务院关于工人退休、退职的暂行办法》；《本校教职工退休工作实施办法》",
         "达到法定退休年龄或符合提前退休条件的在职教职工。",
         [need("本人身份证", 1, 1), need("工作证", notes="交回注销"),
          need("退休审批表", notes="所在单位签署意见")],
         ["所在单位提交名单", "审核工龄与待遇", "报送社保机构", "发放退休证"], online=True),
    item("cwc-retirement-settlement", "退休教职工借款与公务卡结清", "cwc", "cwc-reimb",
         Kind.COMMITTED, 10, 5, "报销", "《本校公务卡管理办法》",
         "即将退休的教职工：清理个人借款，注销公务卡。",
         [need("本人身份证"), need("工作证"), when("公务卡", "持有公务卡时")],
         ["核对借款与公务卡", "注销公务卡", "出具结清证明"], online=True),
    item("hqc-housing-return", "周转房退还", "hqc", "hqc-repair", Kind.COMMITTED, 10, 5,
         "后勤服务", "《本校教职工过渡住房管理办法》",
         "租住学校周转房、退休或离校的教职工。",
         [need("本人身份证"), need("工作证"), need("房屋钥匙", notes="全部交回")],
         ["预约验房", "结清水电费", "交回钥匙"], online=True),
]
# fmt: on

# What applicants call an item when they do not know its catalogue name.
KEYWORDS = {
    "jwc-enrolment-cert": "在校证明 学籍证明 在读证明书",
    "jwc-transcript": "成绩单 成绩表 英文成绩单",
    "jwc-suspension": "休学 复学 保留学籍",
    "jwc-major-transfer": "转专业 换专业",
    "jwc-diploma-cert": "毕业证补办 毕业证遗失 学历证明",
    "jwc-exam-recheck": "查分 查卷 成绩申诉",
    "jwc-deferred-exam": "缓考 延期考试",
    "jwc-minor": "第二专业 双学位",
    "jwc-info-correction": "改名 学籍信息修改",
    "xsc-hardship": "贫困生认定 困难认定",
    "xsc-loan": "助学贷款 生源地贷款",
    "xsc-work-study": "勤工俭学 校内兼职",
    "xsc-green-channel": "缓交学费 学费缓缴",
    "xsc-hardship-grant": "临时补助 困难救助",
    "xsc-card-reissue": "补学生证 学生证遗失",
    "xsc-rail-discount": "学生票 乘车区间 火车票优惠卡",
    "xsc-hukou-move": "迁户口 户口迁移",
    "yjs-degree-cert": "学位证补办 学位证遗失",
    "yjs-enrolment-cert": "研究生在校证明",
    "yjs-defense": "论文答辩 查重",
    "rsc-employment-cert": "工作证明 在职证明书",
    "rsc-income-cert": "工资证明",
    "rsc-archive": "查档案 借档案",
    "cwc-travel": "出差报销 差旅报销",
    "cwc-tuition-invoice": "学费发票 学费收据",
    "cwc-payment-cert": "交费证明 学费缴纳证明",
    "hqc-dorm-repair": "宿舍报修 寝室报修 报修",
    "hqc-room-change": "换宿舍 调宿舍",
}


# 国家政务服务事项编码 of the items a province's catalogue lists for a university (public
# services to students and staff). Each is an implementation code as GB/T 39554.1-2020 builds
# it: the university's 18-character unified social credit code (12…: a public institution;
# invented, like every name here) followed by a 10-digit basic code (type, item, sub-item).
# The hall's purely internal items (reimbursements, repairs, housing) have none.
UNIVERSITY_CREDIT_CODE = "12330000MB0E47215K"
ITEM_CODES = {
    code: UNIVERSITY_CREDIT_CODE + basic
    for code, basic in {
        "jwc-enrolment-cert": "2000103001",
        "jwc-transcript": "2000103002",
        "jwc-suspension": "2000101001",
        "jwc-major-transfer": "2000101002",
        "jwc-diploma-cert": "2000104001",
        "jwc-info-correction": "2000101003",
        "xsc-hardship": "2000205001",
        "xsc-loan": "2000205002",
        "xsc-green-channel": "2000205003",
        "xsc-card-reissue": "2000202001",
        "xsc-rail-discount": "2000202002",
        "xsc-hukou-move": "2000206001",
        "xsc-hukou-in": "2000206002",
        "yjs-degree-cert": "2000304001",
        "yjs-enrolment-cert": "2000303001",
        "rsc-employment-cert": "2000403001",
        "rsc-archive": "2000407001",
        "jwc-graduation-clearance": "2000104002",
        "xsc-graduate-files": "2000207001",
    }.items()
}


def _steps(lines) -> list[StepData]:
    return [StepData(*line.split("：", 1)) for line in lines]


def seed_services(*, by=None) -> int:
    """Create and publish (version 1) the demo items that do not exist yet; returns how many
    were created. The departments and posts must exist."""
    departments = {d.code: d for d in Department.objects.filter(code__in=DEPARTMENTS)}
    posts = {p.code: p for p in Post.objects.filter(code__in={i["post"] for i in ITEMS})}
    missing = sorted(set(DEPARTMENTS) - set(departments)) + sorted(
        {i["post"] for i in ITEMS} - set(posts)
    )
    if missing:
        raise LookupError(f"缺少演示部门或岗位：{'、'.join(missing)}")
    existing = set(Service.objects.values_list("code", flat=True))
    created = 0
    for i in ITEMS:
        if i["code"] in existing:
            continue
        data = ServiceData(
            code=i["code"],
            item_code=ITEM_CODES.get(i["code"], ""),
            name=i["name"],
            department=departments[i["dept"]],
            post=posts[i["post"]],
            kind=i["kind"],
            legal_days=i["legal"],
            committed_days=i["committed"],
            basis=i["basis"],
            conditions=i["conditions"],
            fees=i["fees"],
            fee_basis=i["fee_basis"],
            online=i["online"],
            category=i["category"],
            keywords=KEYWORDS.get(i["code"], ""),
            materials=[MaterialData(**vars(m)) for m in i["materials"]],
            steps=_steps(i["steps"]),
        )
        save_service(data, by=by, note="初始发布")
        created += 1
    fill_item_codes(by=by)
    return created


def fill_item_codes(*, by=None) -> int:
    """A demo seeded before items had national codes gets them, each as the item's next
    version; an item that has a code (or that the hall changed) is left alone, so a second run
    changes nothing. Returns how many were filled."""
    filled = 0
    for service in Service.objects.filter(code__in=ITEM_CODES, item_code=""):
        data = ServiceData.from_service(service)
        data.item_code = ITEM_CODES[service.code]
        save_service(data, by=by, service=service, note="补录国家事项编码")
        filled += 1
    return filled
