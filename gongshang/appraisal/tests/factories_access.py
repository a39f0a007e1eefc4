"""Helpers of the expert-access tests: an application scheduled with an expert on its panel."""

from datetime import date

from ..models import PanelDraw, PanelMember
from .factories import make_batch, make_site
from .factories_batches import accepted


def on_panel(application, apr, expert, *, batch=None):
    """Seat `expert` on a new draw of `application` (a re-draw when it had one); the batch is drawn."""
    batch = batch or application.batch or make_batch(make_site(), apr, exam_on=date(2026, 3, 20), status="drawn")
    application.batch = batch
    application.save(update_fields=["batch"])
    draw = PanelDraw.objects.create(batch=batch, seed="s" * 16, pool_sha256="0" * 64, drawn_by=apr)
    PanelMember.objects.create(application=application, draw=draw, expert=expert, category="ortho", is_chair=True)
    return batch


def scheduled_with(case, worker, apr, expert, **fields):
    """A scheduled application of `case` whose (latest) panel holds `expert`."""
    application = accepted(case, worker, **fields)
    application.status = "scheduled"
    application.save(update_fields=["status"])
    on_panel(application, apr, expert)
    return application
