"""The ASGI entry point (issue 18): what streams the queue's server-sent events (core/push.py)
and serves every other page as yichuang/wsgi.py does.

    uvicorn yichuang.asgi:application --host 127.0.0.1 --port 8000          # one process
    gunicorn yichuang.asgi:application -k uvicorn_worker.UvicornWorker -w 4  # several (`make serve`)

With several processes set REDIS_URL, so that a call handled by one reaches the screens
connected to another.

Each request runs its synchronous part (the middleware, the ORM) in a thread of its own, so a
kept database connection would be kept by a thread that ends: connections are closed after
each request here (DB_CONN_MAX_AGE=0 unless set).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.settings")
os.environ.setdefault("DB_CONN_MAX_AGE", "0")
application = get_asgi_application()
