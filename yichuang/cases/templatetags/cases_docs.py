from django import template

from ..texts import document_lines, document_title

register = template.Library()


@register.filter
def doc_lines(case, doc):
    return document_lines(case, doc)


@register.filter
def doc_title(kind):
    return document_title(kind)
