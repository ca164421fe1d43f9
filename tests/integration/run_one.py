#!/usr/bin/env python3
"""Runs one integration test function: run_one.py FILE TEST_NAME (ctest registers each one)."""
import importlib.util
import os
import sys
import unittest

path, name = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
spec = importlib.util.spec_from_file_location(os.path.basename(path)[:-3], path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
suite = unittest.TestSuite()
for obj in vars(module).values():
    if isinstance(obj, type) and issubclass(obj, unittest.TestCase) and hasattr(obj, name):
        suite.addTest(obj(name))
if suite.countTestCases() != 1:
    print(f"run_one: expected exactly one {name} in {path}, found {suite.countTestCases()}")
    sys.exit(2)
result = unittest.TextTestRunner(verbosity=2).run(suite)
sys.exit(0 if result.wasSuccessful() else 1)
