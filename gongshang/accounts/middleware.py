"""Staff sessions end after settings.STAFF_IDLE_TIMEOUT_MINUTES without a request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

from gongshang.accounts.choices import AuthEvent
from gongshang.core.audit import record_event

SESSION_KEY = "last_activity"


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "is_staff_user", False):
            now = time.time()
            last = request.session.get(SESSION_KEY)
            limit = settings.STAFF_IDLE_TIMEOUT_MINUTES * 60
            if last is not None and now - last > limit:
                record_event(actor=user, event_type=AuthEvent.IDLE_TIMEOUT,
                             details={"idle_minutes": round((now - last) / 60)})
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.warning(request, f"您已超过 {settings.STAFF_IDLE_TIMEOUT_MINUTES} 分钟未操作，为保护数据安全已自动退出，请重新登录。")
                return redirect("accounts:staff_login")
            request.session[SESSION_KEY] = now
        return self.get_response(request)
