"""Who may use the inbox: staff holding 受理员 or 调查员 (INTAKE / INVESTIGATOR), within their 统筹区."""

from gongshang.accounts.choices import StaffRole
from gongshang.accounts.permissions import require_role, staff_required

INBOX_ROLES = (StaffRole.INTAKE, StaffRole.INVESTIGATOR)

inbox_required = staff_required(*INBOX_ROLES)


def require_inbox(user) -> None:
    require_role(user, *INBOX_ROLES)
