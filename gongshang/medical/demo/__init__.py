"""工伤医疗 demo data, part by part, in the order the parts need each other: the institutions and
their catalogues first, then 张伟's stays at the demo hospital, the review desk and statements, the 异地就医备案 and device referrals, the on-site audit campaign."""

from . import audits, encounters, institutions, remote, review

PARTS = (institutions, encounters, review, remote, audits)


def seed(stdout=None) -> None:
    for part in PARTS:
        part.seed(stdout=stdout)
