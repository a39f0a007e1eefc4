"""A text field of the API that takes one of a few codes, and answers a wrong value in Chinese with the
labels of the choices (a `Literal` would answer with the codes in English quotes: "'online', 'post'
or 'in_person'")."""

from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema


def choice(labels: dict[str, str], what: str, *, blank: str = ""):
    """`str` restricted to the keys of `labels`; `blank` names what the empty value means (then allowed)."""

    def check(value: str) -> str:
        if value == "" and blank:
            return value
        if value not in labels:
            options = "、".join(f"{label}（{code}）" for code, label in labels.items())
            empty = f"；留空表示{blank}" if blank else ""
            raise ValueError(f"{what}请从以下选择：{options}{empty}")
        return value

    values = ([""] if blank else []) + list(labels)
    described = "；".join(f"{code} {label}" for code, label in labels.items())
    return Annotated[str, AfterValidator(check),
                     WithJsonSchema({"type": "string", "enum": values, "description": f"{what}：{described}"})]
