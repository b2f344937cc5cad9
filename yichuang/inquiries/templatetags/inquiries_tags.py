from django import template

from yichuang.core.masking import mask_name, mask_phone

register = template.Library()


@register.filter
def masked_name(value):
    return mask_name(value)


@register.filter
def masked_phone(value):
    return mask_phone(value)
