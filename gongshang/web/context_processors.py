"""Navigation per audience, built from the signed-in account."""

from gongshang.web.navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    return {"nav_items": menu_for(user) if user is not None else []}
