"""Where a window intake came from, so the case can be linked back to it and the clerk led back.

The calling console opens the intake with `?ticket=<id>` for the ticket it just called, and the
served ticket should point at the case created from it. cases sits below appointments and must
not import it, so the dependency is inverted (as with `workdays.clocks`): appointments registers
its linker for the query parameter it uses in its AppConfig.ready(), and the intake calls every
linker whose parameter the request carries, once the case exists. A linker takes the
parameter's value, the case and the clerk, and raises a DomainError to refuse; the case stands
either way.

A source may also say how to go back to it (`back`): given the parameter's value and the
clerk, a (label, url) pair or None. The intake passes the parameters on (`carried`) to the
pages it leads to — the case, the printed notice — and those pages show the way back, so the
clerk goes console → intake → accept → print → console without a menu.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from yichuang.core.errors import DomainError

Linker = Callable[..., object]
BackLink = Callable[..., "tuple[str, str] | None"]


@dataclass(frozen=True)
class Source:
    link: Linker
    back: BackLink | None = None


_sources: dict[str, Source] = {}


def register(parameter: str, link: Linker, *, back: BackLink | None = None) -> Linker:
    """Link cases opened with `?<parameter>=` (once per parameter: ready() may run twice)."""
    _sources[parameter] = Source(link, back)
    return link


def link_sources(parameters: Mapping[str, str], *, case, by) -> list[str]:
    """Run the linker of every source the intake was opened from; the refusals' messages."""
    refused = []
    for parameter, source in _sources.items():
        value = parameters.get(parameter)
        if not value:
            continue
        try:
            source.link(value, case=case, by=by)
        except DomainError as exc:
            refused.append(exc.message)
    return refused


def carried(parameters: Mapping[str, str]) -> dict[str, str]:
    """The sources' parameters among `parameters`, to pass on to the next page."""
    return {p: parameters[p] for p in _sources if parameters.get(p)}


def query(parameters: Mapping[str, str], **extra: str) -> str:
    """`carried(parameters)` (and `extra`) as a query string with its "?", or ""."""
    values = {**carried(parameters), **extra}
    return f"?{urlencode(values)}" if values else ""


def back_links(parameters: Mapping[str, str], *, by) -> list[tuple[str, str]]:
    """The ways back to the sources the page was opened from, as (label, url)."""
    links = []
    for parameter, source in _sources.items():
        value = parameters.get(parameter)
        if value and source.back is not None:
            link = source.back(value, by=by)
            if link is not None:
                links.append(link)
    return links
