"""The C front end (templates/native/front.c) as an optional extension, lazytensor._front,
built at install. Where it cannot be built (no Python headers, no compiler) the install
still succeeds, and lazytensor builds it on first import instead, or runs the same code in
Python (codegen/native.py). Everything else is declared in pyproject.toml."""
import hashlib

from setuptools import Extension, setup

SOURCE = "templates/native/front.c"
with open(SOURCE, "rb") as f:
    digest = hashlib.sha256(f.read()).hexdigest()

setup(ext_modules=[Extension(
    "lazytensor._front", [SOURCE], optional=True,
    extra_compile_args=["-std=c11", "-fno-strict-aliasing"],
    define_macros=[("LT_FRONT_SOURCE_SHA256", f'"{digest}"')])])
