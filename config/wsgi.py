import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# WSGI servers do not run Django's system checks: refuse to start when a required contract
# between apps has no provider or a provider does not match (cadre/core/contracts.py).
from cadre.core.contracts import verify  # noqa: E402

verify()
