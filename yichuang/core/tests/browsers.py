"""What the Playwright fixtures (test_browser.py of each app, the accessibility walk) share."""


def close_connections_opened_under_playwright() -> None:
    """Call before leaving `sync_playwright()`. Its event loop runs in the test's own thread,
    and while a loop runs there Django keeps that thread's database connections apart from
    the plain thread's (asgiref's Local: a context variable then). A connection the test body
    opened is invisible once the loop has stopped: nothing closes it, and on PostgreSQL the
    test database cannot be dropped at the end ("is being accessed by 1 other session")."""
    from django.db import connections

    connections.close_all()
