"""`python3 -m glassland_plot ...`: what `glassland plot` executes."""
import sys

from glassland_plot.cli import main

sys.exit(main())
