"""Demo change requests, filed through the service by the demo handler of 海川机械 (so this
seeder runs after the accounts seeder): a new hire waiting for 增员确认 and a leaver waiting for
减员确认. Idempotent."""

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.models import User
from gongshang.registry.models import Employer, EnrolmentChange
from gongshang.registry.services.changes import change_submit

DEMO_CHANGES = [
    {"kind": "add_new", "insurance_type": "injury", "id_number": "370285200203044818", "name": "吴磊",
     "mobile": "13900000006", "household_type": "urban", "identity": "employee", "declared_wage": "5000.00"},
    {"kind": "reduce_terminate", "insurance_type": "injury", "id_number": "370203199001012316", "name": "刘洋"},
]


@transaction.atomic
def seed(stdout=None) -> None:
    employer = Employer.objects.get(uscc="91370200MA3C5UWK4C")
    handler = User.objects.filter(employer=employer, is_primary_handler=True).first()
    if handler is None or EnrolmentChange.objects.filter(employer=employer).exists():
        return
    month = timezone.localdate().strftime("%Y-%m")
    for data in DEMO_CHANGES:
        change_submit(actor=handler, data={**data, "effective_month": month})
    if stdout:
        stdout.write("  人员异动：2 条待确认的增减员申报（海川机械：增员 吴磊、减员 刘洋）")
