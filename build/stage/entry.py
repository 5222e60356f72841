"""The first stage's script (frozen by build/stage/stage.spec): see first_stage/."""

import sys

from first_stage.main import main

if __name__ == "__main__":
    sys.exit(main(sys.argv))
