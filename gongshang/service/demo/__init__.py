"""服务 demo data, part by part, in the order the parts need each other: the window requests on the
recognition demo's applications, the 12333 tickets and knowledge base, case messages, ratings of the
finished matters (and of closed tickets), then 工伤预防 plans and projects, and the training sessions
under a contracted project."""

from importlib import import_module

PARTS = ("window", "tickets", "messages", "ratings", "prevention", "training")


def seed(stdout=None) -> None:
    for name in PARTS:
        import_module(f"{__name__}.{name}").seed(stdout=stdout)
