"""`{{ text|phone_links }}`: the telephone numbers in a text become tel: links, so that a
phone calls them with one tap; everything else is escaped as usual."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# A run of digits, with the dashes, spaces and brackets people write in numbers
# ("0731-8882 1001", "(0571) 8720 6000", "400-800-1234", "+86 138 1234 5678"), long enough to
# be a number one dials (an extension like "转 8012" is not called on its own).
NUMBER = re.compile(r"(?<![\w+])(\+?\(?\d[\d\- ()]{3,}\d)(?!\w)")
MIN_DIGITS = 5


def _digits(text: str) -> str:
    return ("+" if text.startswith("+") else "") + re.sub(r"\D", "", text)


@register.filter(is_safe=True, needs_autoescape=True)
def phone_links(value, autoescape=True):
    text = "" if value is None else str(value)
    escape = conditional_escape if autoescape else (lambda s: s)
    parts, last = [], 0
    for match in NUMBER.finditer(text):
        number = match.group(1)
        if len(re.sub(r"\D", "", number)) < MIN_DIGITS:
            continue
        parts.append(escape(text[last : match.start(1)]))
        parts.append(format_html('<a href="tel:{}">{}</a>', _digits(number), number))
        last = match.end(1)
    parts.append(escape(text[last:]))
    return mark_safe("".join(str(p) for p in parts).replace("\n", "<br>"))  # noqa: S308
