"""Launches Thunk's Python runtime client: python3 -S -u bootstrap.py

A script is compiled afresh at every start while an imported module's bytecode is cached in __pycache__, so
this stub imports thunk_runtime instead of being it (a few milliseconds of every cold start). Keep the directory
holding both files writable for the first start, or precompile it: python3 -m compileall -q <dir>.
"""
import sys

import thunk_runtime

sys.exit(thunk_runtime.main())
