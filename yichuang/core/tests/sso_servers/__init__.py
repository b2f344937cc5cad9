"""The identity providers the single sign-on tests sign in through, each a real server in its
own process with its own settings and SQLite file: a CAS 3.0 server (django-cas-server, with
single log-out) and an OpenID Connect provider (django-oauth-toolkit). Test-only: the
`dev` extra brings both. servers.py starts them."""
