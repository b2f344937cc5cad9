"""Comparing two public answers template by template, as the lookup guard's tests do: less
the portal frame's navigation, which is rendered once per worker and kept (portal/frame.py) by
whichever request comes first."""

from yichuang.portal import frame


def page_templates(response) -> list[str]:
    return [t.name for t in response.templates if t.name not in frame.KEPT_TEMPLATES]
