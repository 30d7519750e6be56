#!/usr/bin/env python3
"""`bench/ab.py http` under its earlier name (the commands recorded in bench/README.md): see bench/ab.py."""
import os, sys

ab = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ab.py")
os.execv(sys.executable, [sys.executable, ab, "http", *sys.argv[1:]])
