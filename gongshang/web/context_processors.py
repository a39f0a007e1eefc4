"""Navigation per audience, built from the signed-in account."""

from gongshang.web.navigation import menu_for, tab_bar_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {"nav_items": [], "tab_items": []}
    tabs = tab_bar_for(user)
    # The current tab: the one whose page is the longest prefix of this address.
    path = getattr(request, "path", "")
    current = max((t for t in tabs if path.startswith(t["url"])), key=lambda t: len(t["url"]), default=None)
    for tab in tabs:
        tab["current"] = tab is current
    return {"nav_items": menu_for(user), "tab_items": tabs}
