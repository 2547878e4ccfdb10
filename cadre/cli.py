"""The `cadre` command: Cadre's own verbs plus every Django management command.

cadre demo                 set up SQLite, generate a county, create demo accounts, serve
cadre serve [ADDR:PORT]    serve the app (development server)
cadre generate --scale S   synthetic data
cadre import FILE.xlsx     import units, positions, cadres, appointments
cadre audit verify         check the hash chain of the audit log
cadre token issue|list|revoke
cadre accounts unlock|end-sessions|disable USER
cadre accountability_nightly   lift ended measures, remind overdue 函询 (run daily)
cadre <django command>     e.g. cadre migrate, cadre check --deploy
"""

import os
import sys

ALIASES = {"serve": "runserver", "import": "import_xlsx"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    if not args or args[0] in ("-h", "--help", "help"):
        print(__doc__)
        return
    args[0] = ALIASES.get(args[0], args[0])
    execute_from_command_line(["cadre", *args])


if __name__ == "__main__":
    main()
