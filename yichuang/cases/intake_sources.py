"""Where a window intake came from, so the case can be linked back to it.

The calling console opens the intake with `?ticket=<id>` for the ticket it just called, and the
served ticket should point at the case created from it. cases sits below appointments and must
not import it, so the dependency is inverted (as with `workdays.clocks`): appointments registers
its linker for the query parameter it uses in its AppConfig.ready(), and the intake calls every
linker whose parameter the request carries, once the case exists. A linker takes the
parameter's value, the case and the clerk, and raises a DomainError to refuse; the case stands
either way.
"""

from collections.abc import Callable, Mapping

from yichuang.core.errors import DomainError

Linker = Callable[..., object]

_linkers: dict[str, Linker] = {}


def register(parameter: str, link: Linker) -> Linker:
    """Link cases opened with `?<parameter>=` (once per parameter: ready() may run twice)."""
    _linkers[parameter] = link
    return link


def link_sources(parameters: Mapping[str, str], *, case, by) -> list[str]:
    """Run the linker of every source the intake was opened from; the refusals' messages."""
    refused = []
    for parameter, link in _linkers.items():
        value = parameters.get(parameter)
        if not value:
            continue
        try:
            link(value, case=case, by=by)
        except DomainError as exc:
            refused.append(exc.message)
    return refused
