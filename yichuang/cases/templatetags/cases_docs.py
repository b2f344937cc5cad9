from django import template

from ..texts import document_lines

register = template.Library()


@register.filter
def doc_lines(case, doc):
    return document_lines(case, doc)
