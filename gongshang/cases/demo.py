"""Demo for 我的工伤 (青岛市 370200): the 受理员 receives 张伟's own quick report and leaves him a
message (marked as a demo message), so his case card shows a message to answer next to the cases
the other demo modules carry at later stages (认定 submitted, accepted, decided; a recorded
appraisal conclusion with entitlements awaiting review). Idempotent."""

from gongshang.accounts.models import User
from gongshang.core.pii.crypto import blind_index

ZHANG_WEI_ID = "370202198803151237"
DEMO_MESSAGE = "（演示留言）请补充受伤手指的近照，便于核实伤情。"


def seed(stdout=None) -> None:
    from gongshang.quickreports.choices import ReportEventType
    from gongshang.quickreports.models import QuickReport
    from gongshang.quickreports.services.staff import quick_report_message, quick_report_receive

    intake = User.objects.filter(username="intake", kind="staff").first()
    worker = User.objects.filter(kind="individual", person__id_number_index=blind_index(ZHANG_WEI_ID)).first()
    if intake is None or worker is None:
        return
    report = QuickReport.objects.filter(reporter=worker, region="370200").order_by("pk").first()
    if report is None or report.events.filter(event_type=ReportEventType.MESSAGED).exists():
        return
    if report.status == "new":
        report = quick_report_receive(actor=intake, report=report)
    quick_report_message(actor=intake, report=report, text=DEMO_MESSAGE)
    if stdout:
        stdout.write("  我的工伤：受理员已接收张伟本人的快报并留言（演示），其案件卡片显示“回复经办机构留言”")
