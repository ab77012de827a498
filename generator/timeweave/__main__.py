import os
import sys

from timeweave.cli.main import main, wants_quick_exit

code = main()
if wants_quick_exit():
    # Nothing is left to clean up, and the interpreter would free every record and model one by one
    # (a tenth of a second after validating 10,000 events): flush what was printed and leave.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a reader that went away (`validate | head`): nothing more to tell it
            pass
    os._exit(code)
raise SystemExit(code)
